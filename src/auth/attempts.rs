//! What a password check may cost. Each argon2 verification takes about
//! 19 MiB and a core for tens of milliseconds, so an unbounded stream of
//! wrong passwords would take the server's memory and CPU. Verifications
//! therefore run at most one per core, a few more requests wait briefly for
//! a turn, and the rest are told to retry later; a credential that just
//! failed fails again from memory, without a second verification.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a failed credential is answered from memory.
const FAILED_FOR: Duration = Duration::from_secs(30);
/// Failed credentials remembered at most; past it the expired go, and if
/// none has expired the memory starts again (a flood of distinct failures
/// is bounded by the verification permits anyway).
const FAILED_LIMIT: usize = 10_000;
/// Requests that may wait for a verification, per permit.
const WAITING_PER_PERMIT: usize = 16;
/// How long a request waits for a turn before it is told to retry.
const WAIT_FOR_TURN: Duration = Duration::from_secs(2);
/// What `Retry-After` tells a request that found no turn.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The bound on concurrent password verifications and the memory of
/// recent failures, keyed by the SHA-256 of the `Authorization` value.
pub struct Attempts {
    verifying: Arc<Semaphore>,
    waiting: Semaphore,
    failed: Mutex<HashMap<[u8; 32], Instant>>,
}

impl Attempts {
    /// One verification at a time per core.
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::with_permits(cores)
    }

    fn with_permits(permits: usize) -> Self {
        Self {
            verifying: Arc::new(Semaphore::new(permits)),
            waiting: Semaphore::new(permits * WAITING_PER_PERMIT),
            failed: Mutex::new(HashMap::new()),
        }
    }

    /// A turn to verify, held until the verification ends (it moves into
    /// the blocking task, so a client that hangs up does not free it
    /// early); `None` when too many are waiting already or the wait runs
    /// out.
    pub async fn turn(&self) -> Option<OwnedSemaphorePermit> {
        let _in_line = self.waiting.try_acquire().ok()?;
        let turn = Arc::clone(&self.verifying).acquire_owned();
        tokio::time::timeout(WAIT_FOR_TURN, turn).await.ok()?.ok()
    }

    pub fn recently_failed(&self, key: &[u8; 32]) -> bool {
        let failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        failed.get(key).is_some_and(|at| at.elapsed() < FAILED_FOR)
    }

    pub fn record_failure(&self, key: [u8; 32]) {
        let mut failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        if failed.len() >= FAILED_LIMIT {
            failed.retain(|_, at| at.elapsed() < FAILED_FOR);
            if failed.len() >= FAILED_LIMIT {
                failed.clear();
            }
        }
        failed.insert(key, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn turns_are_bounded_and_those_in_excess_are_refused() {
        let attempts = Attempts::with_permits(1);
        let held = attempts.turn().await.expect("a free turn");
        let waiters: Vec<_> = (0..WAITING_PER_PERMIT)
            .map(|_| attempts.waiting.try_acquire().expect("room to wait"))
            .collect();
        assert!(attempts.turn().await.is_none(), "no room left to wait");
        drop(waiters);
        drop(held);
        assert!(attempts.turn().await.is_some());
    }

    #[test]
    fn a_failure_is_remembered_by_its_key() {
        let attempts = Attempts::with_permits(1);
        attempts.record_failure([1; 32]);
        assert!(attempts.recently_failed(&[1; 32]));
        assert!(!attempts.recently_failed(&[2; 32]));
    }
}
