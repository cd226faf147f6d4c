//! Waits until treaty answers `GET /` on a local port, polling every 5 ms
//! from this one process. `bench/run.sh` times startup with it: a shell
//! loop starting `curl` and `sleep` every few milliseconds would take a
//! good share of a core from the server it is timing on a 2-core machine.
//! Exits 1 if the server's process ends first, or after `--timeout-s`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    port: u16,
    /// The server's process id: waiting stops if it exits.
    #[arg(long)]
    pid: u32,
    #[arg(long, default_value_t = 300)]
    timeout_s: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let deadline = Instant::now() + Duration::from_secs(args.timeout_s);
    let alive = Path::new("/proc").join(args.pid.to_string());
    while Instant::now() < deadline && alive.exists() {
        if answers_ok(args.port) {
            return ExitCode::SUCCESS;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    ExitCode::FAILURE
}

/// Whether `GET /` gets a 200 answer.
fn answers_ok(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let mut status = [0u8; 12];
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .is_ok()
        && stream.write_all(request.as_bytes()).is_ok()
        && stream.read_exact(&mut status).is_ok()
        && status.starts_with(b"HTTP/1.1 200")
}
