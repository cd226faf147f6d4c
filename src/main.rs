//! treaty: a schema registry for Kafka, speaking Confluent Schema
//! Registry's REST API, storing in embedded RocksDB.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use treaty::serve;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "treaty", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the registry server.
    Serve(Box<serve::ServeArgs>),
    /// Print the argon2 `password_hash` of a password read from stdin.
    HashPassword,
    /// Print the `token_sha256` of a bearer token read from stdin.
    HashToken,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TREATY_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::HashPassword => treaty::auth::print_password_hash(),
        Command::HashToken => treaty::auth::print_token_hash(),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("treaty: {error}");
            ExitCode::FAILURE
        }
    }
}
