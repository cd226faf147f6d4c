//! The writer killed again and again under load: clients keep sending new
//! registrations to random nodes, retrying as a client does, while the
//! writer of the moment is SIGKILLed and restarted on its data dir.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::broker::Tansu;
use crate::node::{agreed_writer, try_register, Node};
use crate::raw;

const ROUNDS: usize = 5;
const CLIENTS: usize = 4;

/// A registration a node acknowledged: subject, record name, id.
type Ack = (String, String, i64);

/// A small xorshift: which node a client tries next.
struct Dice(u64);

impl Dice {
    fn pick(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

/// Registers `name` under `subject` at random nodes until one acknowledges
/// it. A server error or a dead node is retried, as a client would; a
/// refusal (4xx) is a bug.
fn register_until_acknowledged(
    bases: &Mutex<Vec<String>>,
    dice: &mut Dice,
    subject: &str,
    name: &str,
) -> i64 {
    loop {
        let base = {
            let bases = bases.lock().unwrap();
            bases[dice.pick(bases.len())].clone()
        };
        match try_register(&base, subject, name) {
            Ok(id) => return id,
            Err(error) => {
                assert!(!error.starts_with('4'), "{subject} refused: {error}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

fn record_name(schema: &str) -> String {
    let schema: Value = serde_json::from_str(schema).unwrap();
    schema["name"].as_str().unwrap().to_owned()
}

#[test]
fn killing_the_writer_five_times_under_load_loses_no_acknowledged_registration() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let mut nodes: Vec<Node> = Node::start_three(&broker, dirs.path());
    let bases = Arc::new(Mutex::new(
        nodes.iter().map(|n| n.base.clone()).collect::<Vec<_>>(),
    ));
    let acks: Arc<Mutex<Vec<Ack>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (bases, acks, stop) = (bases.clone(), acks.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut dice = Dice(0x9e37_79b9_7f4a_7c15 ^ (client as u64 + 1));
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    let (subject, name) = (format!("c{client}-{n}"), format!("C{client}_{n}"));
                    let id = register_until_acknowledged(&bases, &mut dice, &subject, &name);
                    acks.lock().unwrap().push((subject, name, id));
                    n += 1;
                }
            })
        })
        .collect();

    let mut dice = Dice(7);
    for round in 0..ROUNDS {
        let refs: Vec<&Node> = nodes.iter().collect();
        let writer = agreed_writer(&refs, Duration::from_secs(30));
        let index = nodes.iter().position(|n| std::ptr::eq(n, writer)).unwrap();
        // Let the clients' writes be under way when the writer dies.
        std::thread::sleep(Duration::from_millis(300));
        let killed = nodes.remove(index);
        let dir = killed.data_dir.clone();
        let killed_at = Instant::now();
        killed.kill();
        let (subject, name) = (format!("probe-{round}"), format!("Probe{round}"));
        let id = register_until_acknowledged(&bases, &mut dice, &subject, &name);
        eprintln!(
            "failover round {round}: writer killed, next write acknowledged after {:?}",
            killed_at.elapsed()
        );
        acks.lock().unwrap().push((subject, name, id));
        let restarted = Node::start(&broker, &dir);
        bases.lock().unwrap()[index] = restarted.base.clone();
        nodes.insert(index, restarted);
    }
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.join().unwrap();
    }

    let acks = acks.lock().unwrap();
    eprintln!("{} registrations acknowledged", acks.len());
    let ids: HashSet<i64> = acks.iter().map(|(_, _, id)| *id).collect();
    assert_eq!(ids.len(), acks.len(), "an id acknowledged for two schemas");
    let deadline = Instant::now() + Duration::from_secs(30);
    for node in &nodes {
        for (subject, name, id) in acks.iter() {
            let path = format!("/subjects/{subject}/versions/latest");
            let latest = loop {
                let (status, latest) = node.request("GET", &path, None);
                if status == 200 {
                    break latest;
                }
                assert!(Instant::now() < deadline, "{} lost {subject}", node.base);
                std::thread::sleep(Duration::from_millis(50));
            };
            assert_eq!(&latest["id"], id, "{} {subject}", node.base);
            let by_id = node.get(&format!("/schemas/ids/{id}"));
            assert_eq!(&record_name(by_id["schema"].as_str().unwrap()), name);
        }
    }
    let topic = raw::one_schema_per_id(&raw::read_all(&broker));
    for (subject, name, id) in acks.iter() {
        let schema = topic
            .get(id)
            .unwrap_or_else(|| panic!("{subject}: id {id} not in the topic"));
        assert_eq!(&record_name(schema), name, "{subject}");
    }
}
