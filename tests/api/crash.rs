//! Crash safety: SIGKILL at random moments while clients register; every
//! acknowledged registration survives with its id and version.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::server::Server;

const ROUNDS: usize = 6;
const CLIENTS: usize = 12;
const SUBJECTS: usize = 4;

/// A small deterministic generator, so a failing round can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Schema `n`: a record with a field named after `n`, distinct for every n.
/// Subjects are NONE-compatible, so any order of registration is accepted.
fn schema(n: usize) -> String {
    json!({"type": "record", "name": "R", "fields": [{"name": format!("f{n}"), "type": "int"}]})
        .to_string()
}

#[test]
fn acknowledged_registrations_survive_sigkill() {
    let mut server = Server::start();
    server.put("/config", r#"{"compatibility":"NONE"}"#);
    let mut rng = Lcg(20261201);
    let acked: Arc<Mutex<HashMap<usize, (String, i64)>>> = Arc::default();
    let mut next_schema = 0usize;
    let mut total_acked = 0;

    for round in 0..ROUNDS {
        let deadline = Instant::now() + Duration::from_millis(150 + rng.next() % 450);
        let base = server.base.clone();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let base = base.clone();
                let acked = Arc::clone(&acked);
                let first = next_schema + client * 10_000;
                thread::spawn(move || {
                    let agent = ureq::AgentBuilder::new()
                        .timeout(Duration::from_secs(5))
                        .build();
                    for n in first.. {
                        let subject = format!("s{}", n % SUBJECTS);
                        let body = json!({"schema": schema(n)}).to_string();
                        let reply = agent
                            .post(&format!(
                                "{base}/subjects/{subject}/versions?normalize=false"
                            ))
                            .set("Content-Type", "application/json")
                            .send_string(&body);
                        match reply {
                            Ok(response) => {
                                let body: serde_json::Value = response.into_json().expect("json");
                                let id = body["id"].as_i64().expect("id");
                                acked.lock().unwrap().insert(n, (subject, id));
                            }
                            Err(_) => return,
                        }
                    }
                })
            })
            .collect();
        thread::sleep(deadline.saturating_duration_since(Instant::now()));
        server = server.crash_and_restart();
        for client in clients {
            client.join().expect("client thread");
        }
        next_schema += CLIENTS * 10_000;
        total_acked = verify(&server, &acked, round);
    }
    assert!(
        total_acked > 100,
        "the rounds registered too little to prove anything: {total_acked}"
    );
    println!(
        "crash test: {ROUNDS} SIGKILL rounds, {total_acked} acknowledged registrations verified"
    );
}

/// Checks every acknowledged registration after a restart, and the
/// invariants: ids unique per schema, versions contiguous per subject.
fn verify(server: &Server, acked: &Mutex<HashMap<usize, (String, i64)>>, round: usize) -> usize {
    let acked = acked.lock().unwrap();
    let mut ids = HashMap::new();
    for (n, (subject, id)) in acked.iter() {
        let found = server.post(
            &format!("/subjects/{subject}"),
            &json!({"schema": schema(*n)}).to_string(),
        );
        assert_eq!(
            found.status, 200,
            "round {round}: acknowledged schema {n} lost: {:?}",
            found.body
        );
        assert_eq!(
            found.body["id"].as_i64(),
            Some(*id),
            "round {round}: schema {n} changed id"
        );
        if let Some(other) = ids.insert(*id, *n) {
            panic!("round {round}: id {id} handed to schemas {other} and {n}");
        }
    }
    let mut holders: BTreeMap<i64, usize> = BTreeMap::new();
    for s in 0..SUBJECTS {
        let versions = server.get(&format!("/subjects/s{s}/versions")).body;
        let Some(versions) = versions.as_array() else {
            continue;
        };
        let numbers: Vec<i64> = versions.iter().map(|v| v.as_i64().unwrap()).collect();
        let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
        assert_eq!(
            numbers, expected,
            "round {round}: versions of s{s} are not contiguous"
        );
        for version in numbers {
            let id = server
                .get(&format!("/subjects/s{s}/versions/{version}"))
                .body["id"]
                .as_i64()
                .unwrap();
            *holders.entry(id).or_default() += 1;
        }
    }
    assert!(
        holders.values().all(|count| *count == 1),
        "round {round}: an id is held by two versions"
    );
    acked.len()
}
