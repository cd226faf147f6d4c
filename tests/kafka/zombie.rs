//! A writer frozen (SIGSTOP) while writes are in flight, deposed while it
//! sleeps, then woken: the broker's fencing must refuse everything it
//! still tries, and no node may apply what it wrote but never committed.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::broker::Tansu;
use crate::node::{agreed_writer, try_register, Node};
use crate::raw;

const CLIENTS: usize = 4;

/// A subject written once, and what the writer answered.
type Answer = (String, Result<i64, String>);

#[test]
fn a_paused_writer_woken_after_a_takeover_gets_nothing_acknowledged_or_applied() {
    let Some(broker) = Tansu::start() else { return };
    let dirs = tempfile::tempdir().unwrap();
    let nodes: Vec<Node> = Node::start_three(&broker, dirs.path());
    let refs: Vec<&Node> = nodes.iter().collect();
    let zombie = agreed_writer(&refs, Duration::from_secs(30));
    let others: Vec<&Node> = nodes.iter().filter(|n| !std::ptr::eq(*n, zombie)).collect();

    // Clients writing straight to the writer, each write once, never
    // retried elsewhere: (subject, answer).
    let answers: Arc<Mutex<Vec<Answer>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (base, answers, stop) = (zombie.base.clone(), answers.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    let subject = format!("z{client}-{n}");
                    let answer = try_register(&base, &subject, &format!("Z{client}_{n}"));
                    answers.lock().unwrap().push((subject, answer));
                    n += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    zombie.pause();
    stop.store(true, Ordering::SeqCst);

    // Another node takes over and acknowledges writes while it sleeps.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut successor_acks = Vec::new();
    let successor = loop {
        let writer = others
            .iter()
            .find(|n| n.get("/v1/cluster")["role"] == "writer");
        if let Some(writer) = writer {
            break *writer;
        }
        assert!(Instant::now() < deadline, "no takeover");
        std::thread::sleep(Duration::from_millis(50));
    };
    for n in 0..3 {
        let subject = format!("after-{n}");
        let id = successor.register(&subject, &format!("After{n}"));
        successor_acks.push((subject, id));
    }
    zombie.resume();
    for client in clients {
        client.join().unwrap();
    }

    // Woken, it may be elected again: then it is a new writer, fenced and
    // caught up afresh, which the checks below hold to the same rules.
    agreed_writer(&refs, Duration::from_secs(30));
    let records = raw::read_all(&broker);
    let schemas = raw::one_schema_per_id(&records);
    // Where the successor's marker is: nothing the zombie acknowledged may
    // have been written after it.
    let takeover = records
        .iter()
        .find(|r| r.writer.as_deref().is_some_and(|w| w != zombie.base))
        .expect("the successor's marker")
        .offset;
    let answers = answers.lock().unwrap();
    let acknowledged: Vec<(&String, i64)> = answers
        .iter()
        .filter_map(|(s, a)| a.as_ref().ok().map(|id| (s, *id)))
        .chain(successor_acks.iter().map(|(s, id)| (s, *id)))
        .collect();
    let ids: HashSet<i64> = acknowledged.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), acknowledged.len(), "an id acknowledged twice");
    let refused = answers.iter().filter(|(_, a)| a.is_err()).count();
    let unknown = answers
        .iter()
        .filter(|(_, a)| {
            a.as_ref()
                .is_err_and(|e| e.contains("\"error_code\":50002"))
        })
        .count();
    eprintln!(
        "zombie: {} writes acknowledged before the pause, {refused} refused after it \
         ({unknown} of unknown outcome)",
        acknowledged.len() - successor_acks.len()
    );
    assert!(refused > 0, "no write was in flight when the writer froze");
    for (subject, id) in &acknowledged {
        let written_at = records
            .iter()
            .find(|r| {
                r.schema()
                    .is_some_and(|(i, s, _)| i == *id && s == subject.as_str())
            })
            .unwrap_or_else(|| panic!("{subject} (id {id}) not in the topic"))
            .offset;
        if subject.starts_with('z') {
            assert!(
                written_at < takeover,
                "{subject} acknowledged after the takeover"
            );
        }
        assert!(schemas.contains_key(id));
    }
    // Every node: the acknowledged writes with their ids, none of the
    // refused ones.
    let deadline = Instant::now() + Duration::from_secs(30);
    for node in &nodes {
        for (subject, id) in &acknowledged {
            let path = format!("/subjects/{subject}/versions/latest");
            loop {
                let (status, latest) = node.request("GET", &path, None);
                if status == 200 {
                    assert_eq!(&latest["id"], id, "{} {subject}", node.base);
                    break;
                }
                assert!(Instant::now() < deadline, "{} lost {subject}", node.base);
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    // A refused write is applied by no node. One refused as of unknown
    // outcome (50002, Confluent's store timeout: its batch committed, its
    // confirmation did not) is applied by every node or by none.
    for (subject, answer) in answers.iter() {
        let Err(error) = answer else { continue };
        let path = format!("/subjects/{subject}/versions/latest");
        let seen: Vec<(u16, Value)> = nodes
            .iter()
            .map(|node| {
                let (status, latest) = node.request("GET", &path, None);
                (status, latest["id"].clone())
            })
            .collect();
        if error.contains("\"error_code\":50002") {
            assert!(
                seen.iter().all(|s| s == &seen[0]),
                "{subject}, refused with {error}, differs between nodes: {seen:?}"
            );
        } else {
            assert!(
                seen.iter().all(|(status, _)| *status == 404),
                "{subject}, refused with {error}, applied: {seen:?}"
            );
        }
    }
}
