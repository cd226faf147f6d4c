//! treaty: a schema registry for Kafka, speaking Confluent Schema
//! Registry's REST API, storing in embedded RocksDB.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use treaty::serve;

mod cli;

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
    /// Parse every schema `treaty.yaml` names, offline.
    Check(cli::check::CheckArgs),
    /// Check the working tree's schemas against a baseline at each
    /// subject's level.
    Breaking(cli::breaking::BreakingArgs),
    /// Every finding between two schema files.
    Diff(cli::diff::DiffArgs),
    /// Write every record of a data dir to FILE as JSON lines; works while
    /// a server runs on it.
    Export(Transfer),
    /// Load the JSON lines of `treaty export` into an empty data dir,
    /// keeping ids and versions.
    Import(Transfer),
}

#[derive(clap::Args)]
struct Transfer {
    /// Directory of the RocksDB store.
    #[arg(long, env = "TREATY_DATA_DIR", default_value = "./data")]
    data_dir: std::path::PathBuf,
    /// The JSON lines file.
    file: std::path::PathBuf,
}

fn main() -> ExitCode {
    let args = treaty::config_file::merge(&Cli::command(), std::env::args_os().collect());
    let cli = match args {
        Ok(args) => Cli::parse_from(args),
        Err(error) => {
            eprintln!("treaty: {error}");
            return ExitCode::FAILURE;
        }
    };
    let log_format = match &cli.command {
        Command::Serve(args) => args.log_format,
        _ => treaty::logging::LogFormat::Text,
    };
    let _log_writer = treaty::logging::init(log_format);
    let outcome = match cli.command {
        Command::Check(args) => return exit_code(cli::check::run(args)),
        Command::Breaking(args) => return exit_code(cli::breaking::run(args)),
        Command::Diff(args) => return exit_code(cli::diff::run(args)),
        Command::Serve(args) => serve::run(*args),
        Command::HashPassword => treaty::auth::print_password_hash(),
        Command::HashToken => treaty::auth::print_token_hash(),
        Command::Export(args) => treaty::backup::export(&args.data_dir, &args.file)
            .map(|count| println!("exported {count} records")),
        Command::Import(args) => treaty::backup::import(&args.data_dir, &args.file)
            .map(|count| println!("imported {count} records")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("treaty: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The CI subcommands' exit codes (src/cli/mod.rs).
fn exit_code(outcome: Result<u8, cli::Failure>) -> ExitCode {
    ExitCode::from(outcome.unwrap_or_else(cli::Failure::report))
}
