//! What a hostile client cannot do to the server with its authentication
//! (issue 20): forge log lines through the names it sends, or exhaust
//! memory with wrong passwords.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use serde_json::{json, Value};

use crate::auth::{assert_denied, basic, call, credentials_file, login, start, LoggedServer};

/// The line a forger would want in the log, and its start.
const FORGED: &str = "2026-01-01T00:00:00.000000Z  INFO treaty: forged";

#[test]
fn names_in_requests_cannot_forge_log_lines_or_send_terminal_escapes() {
    let temp = tempfile::tempdir().unwrap();
    let server = LoggedServer::start(temp.path(), credentials_file().as_ref(), "");
    let encoded = FORGED.replace(' ', "%20");
    let path = format!("/subjects/payments%0a{encoded}%1b%5B31m/versions");
    let reply = ureq::get(&format!("{}{path}", server.base))
        .set("Authorization", &login("reader"))
        .call();
    assert!(
        matches!(reply, Err(ureq::Error::Status(403, _))),
        "{reply:?}"
    );
    let subject = format!("payments\n{FORGED}\u{1b}[31m");
    let body = json!({
        "schema": json!({"type": "record", "name": "R", "fields": [{"name": "p", "type": "P"}]}).to_string(),
        "references": [{"name": "P", "subject": subject, "version": 1}],
    });
    let reply = ureq::post(&format!("{}/subjects/orders-ref/versions", server.base))
        .set("Authorization", &login("writer"))
        .send_json(body);
    let denied = match reply {
        Err(ureq::Error::Status(403, response)) => response.into_json::<Value>().unwrap(),
        other => panic!("expected 403, got {other:?}"),
    };
    assert_eq!(
        denied["message"],
        json!(format!(
            "User is denied operation Read on Subject: {subject}"
        ))
    );
    let log = server.stop();
    assert!(
        !log.contains('\u{1b}'),
        "an escape reached the log:\n{log:?}"
    );
    assert!(
        !log.lines().any(|line| line.starts_with(&FORGED[..20])),
        "a forged line:\n{log}"
    );
    let denials: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("authorization denied"))
        .collect();
    assert_eq!(denials.len(), 2, "{log}");
    for line in denials {
        assert!(
            line.contains(&format!("payments\\n{FORGED}\\u{{1b}}[31m")),
            "{line}"
        );
    }
}

/// The peak resident memory the load test allows the server (README,
/// "Authentication and TLS"): what it takes idle and serving, with room,
/// and what each concurrent password check (one per core) may hold.
fn memory_bound_mib() -> u64 {
    128 + 24 * cores() as u64
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
const BAD_LOGINS: usize = 500;

/// Peak resident memory of `pid` in MiB, from `/proc`.
fn peak_resident_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .expect("VmHWM in /proc status");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("VmHWM in kB");
    kib / 1024
}

#[test]
fn concurrent_bad_logins_keep_memory_bounded_and_a_valid_login_still_answers() {
    let server = start();
    let before = peak_resident_mib(server.pid());
    let barrier = Arc::new(Barrier::new(BAD_LOGINS));
    let attempts: Vec<_> = (0..BAD_LOGINS)
        .map(|attempt| {
            let url = format!("{}/subjects", server.base);
            let barrier = Arc::clone(&barrier);
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let password = format!("wrong-guess-{attempt}");
                    barrier.wait();
                    let refused = ureq::get(&url)
                        .set("Authorization", &basic("reader", &password))
                        .timeout(Duration::from_secs(120))
                        .call();
                    match refused {
                        Err(ureq::Error::Status(status, response)) => {
                            let retry = response.header("Retry-After").map(str::to_owned);
                            (status, retry, response.into_json::<Value>().unwrap())
                        }
                        other => panic!("expected a refusal, got {other:?}"),
                    }
                })
                .unwrap()
        })
        .collect();
    let replies: Vec<_> = attempts.into_iter().map(|t| t.join().unwrap()).collect();
    let peak = peak_resident_mib(server.pid());
    let bound = memory_bound_mib();
    assert!(
        peak < bound,
        "peak resident memory {peak} MiB over {bound} MiB (at start {before} MiB)"
    );
    let mut over_the_bound = 0;
    for (status, retry_after, body) in replies {
        match status {
            401 => assert_eq!(body, json!({"error_code": 401, "message": "Unauthorized"})),
            429 => {
                over_the_bound += 1;
                assert_eq!(retry_after.as_deref(), Some("1"));
                assert_eq!(
                    body,
                    json!({"error_code": 429, "message": "Request rate limit exceeded"})
                );
            }
            other => panic!("status {other}: {body}"),
        }
    }
    // One check per core runs and 16 per core wait (README): past that,
    // the rest are told to retry.
    if BAD_LOGINS > 17 * cores() {
        assert!(over_the_bound > 0, "no attempt was told to retry");
    }
    let valid = call(&server, "GET", "/subjects", None, &login("reader"));
    assert_eq!((valid.status, valid.body), (200, json!([])));
    assert_denied(
        &call(
            &server,
            "POST",
            "/subjects/x/versions",
            Some("{}"),
            &login("reader"),
        ),
        "Write",
        "Subject: x",
    );
}
