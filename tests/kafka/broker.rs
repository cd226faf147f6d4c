//! A tansu broker of a test's own: in memory, on a free loopback port, in
//! a folder of its own (tansu reads `.env` from its working directory and
//! every parent, so it gets an empty one), stopped when dropped.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use treaty::kafka::KafkaConfig;

pub struct Tansu {
    child: Child,
    folder: tempfile::TempDir,
    pub bootstrap: String,
}

impl Tansu {
    /// `None` (with a note) where no tansu is installed, outside CI; in CI
    /// a missing broker fails the test, it is never skipped there.
    pub fn start() -> Option<Self> {
        let Some(binary) = binary() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "TREATY_TANSU_BIN is not set or not a file: source scripts/kafka-env.sh"
            );
            eprintln!(
                "no tansu broker (TREATY_TANSU_BIN): source scripts/kafka-env.sh to run this test"
            );
            return None;
        };
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join(".env"), "").unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("tcp://127.0.0.1:{port}");
        let log = std::fs::File::create(folder.path().join("tansu.log")).unwrap();
        let child = Command::new(binary)
            .current_dir(folder.path())
            .args([
                "broker",
                "--listener-url",
                url.as_str(),
                "--advertised-listener-url",
                url.as_str(),
            ])
            .args(["--storage-engine", "memory://tansu/"])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let broker = Self {
            child,
            folder,
            bootstrap: format!("127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(&broker.bootstrap).is_err() {
            assert!(
                Instant::now() < deadline,
                "tansu did not listen: {}",
                broker.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(broker)
    }

    pub fn config(&self, topic: &str) -> KafkaConfig {
        KafkaConfig::new(&self.bootstrap, Some(topic), &[]).unwrap()
    }

    /// Stops the broker's process where it is (SIGSTOP): connections are
    /// accepted by the kernel but nothing answers until [`Self::resume`].
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill {signal}");
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.folder.path().join("tansu.log")).unwrap_or_default()
    }
}

impl Drop for Tansu {
    fn drop(&mut self) {
        self.resume();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("TREATY_TANSU_BIN")?);
    path.is_file().then_some(path)
}
