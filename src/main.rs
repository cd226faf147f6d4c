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
    /// A registry's REST API for scripts: subjects, versions, get, get-id,
    /// register, compat, config, mode, delete.
    Registry(cli::admin::AdminArgs),
    /// Write every record of a data dir to FILE as JSON lines; works while
    /// a server runs on it.
    Export(Transfer),
    /// Load the JSON lines of `treaty export`, or a dump of a `_schemas`
    /// topic, into an empty data dir or a running registry, keeping ids
    /// and versions.
    Import(ImportArgs),
}

#[derive(clap::Args)]
struct Transfer {
    /// Directory of the RocksDB store.
    #[arg(long, env = "TREATY_DATA_DIR", default_value = "./data")]
    data_dir: std::path::PathBuf,
    /// The JSON lines file; `-` for standard output.
    file: std::path::PathBuf,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// Directory of the RocksDB store to fill; it must be empty.
    #[arg(long, env = "TREATY_DATA_DIR", default_value = "./data")]
    data_dir: std::path::PathBuf,
    /// Restore into the running registry at this URL instead (treaty or any
    /// Confluent-compatible one), through IMPORT mode.
    #[arg(long)]
    registry: Option<String>,
    /// With `--registry`: USER:PASSWORD for HTTP Basic authentication.
    #[arg(long, env = "TREATY_REGISTRY_BASIC_AUTH", requires = "registry")]
    basic_auth: Option<String>,
    /// With `--registry`: a bearer token.
    #[arg(
        long,
        env = "TREATY_REGISTRY_BEARER_TOKEN",
        requires = "registry",
        conflicts_with = "basic_auth"
    )]
    bearer_token: Option<String>,
    /// FILE is a dump of a Confluent or Karapace `_schemas` topic: each
    /// line a record's key JSON, the separator, its value JSON (as
    /// `kafka-console-consumer --property print.key=true` or `kcat -K`
    /// print them).
    #[arg(long)]
    from_confluent: bool,
    /// With `--from-confluent`: what stands between key and value.
    #[arg(long, default_value = "\t", requires = "from_confluent")]
    separator: String,
    /// The file to read; `-` for standard input.
    file: std::path::PathBuf,
}

impl ImportArgs {
    fn run(self) -> Result<(), Box<dyn std::error::Error>> {
        use treaty::backup::{remote, Source, Target};
        let source = match self.from_confluent {
            // `\t` as typed on a command line is the tab.
            true => Source::TopicDump {
                separator: self.separator.replace("\\t", "\t"),
            },
            false => Source::Export,
        };
        let target = match &self.registry {
            Some(url) => {
                let credentials = match (self.basic_auth, self.bearer_token) {
                    (Some(user_info), _) => remote::Credentials::Basic(user_info),
                    (None, Some(token)) => remote::Credentials::Bearer(token),
                    (None, None) => remote::Credentials::None,
                };
                Target::Registry(remote::RemoteRegistry::open(url, credentials)?)
            }
            None => Target::DataDir(&self.data_dir),
        };
        let summary = treaty::backup::import(&source, &self.file, target)?;
        println!("{summary}");
        Ok(())
    }
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
        Command::Registry(args) => return exit_code(cli::admin::run(args)),
        Command::Serve(args) => serve::run(*args),
        Command::HashPassword => treaty::auth::print_password_hash(),
        Command::HashToken => treaty::auth::print_token_hash(),
        Command::Export(args) => treaty::backup::export(&args.data_dir, &args.file)
            .map(|count| println!("exported {count} records")),
        Command::Import(args) => args.run(),
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
