//! `treaty serve --config FILE` (or `TREATY_CONFIG`): the server's settings
//! in a TOML file, one key per flag, named as the flag with underscores
//! (`data_dir = "/var/lib/treaty"` for `--data-dir`). A flag beats its
//! environment variable, which beats the file, which beats the default. A
//! key that names no setting is an error, so a typo is not silently
//! ignored.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgAction, Command};

/// Settings a file cannot hold: where the file is, and clap's own flags.
const NOT_IN_FILE: [&str; 3] = ["config", "help", "version"];

/// The command line `args` with the file's settings appended as flags, for
/// every setting neither a flag nor an environment variable gave. Without
/// a config file, or when `args` do not parse (the real parse then says
/// why), `args` as they are.
pub fn merge(command: &Command, args: Vec<OsString>) -> Result<Vec<OsString>, String> {
    let Ok(matches) = command.clone().try_get_matches_from(&args) else {
        return Ok(args);
    };
    let Some(("serve", serve)) = matches.subcommand() else {
        return Ok(args);
    };
    let Some(path) = serve.get_one::<PathBuf>("config") else {
        return Ok(args);
    };
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config file {shown}: {e}"))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| format!("config file {shown} is not valid TOML: {e}"))?;
    let settings = command
        .find_subcommand("serve")
        .expect("the serve subcommand exists");
    let mut merged = args;
    for (key, value) in table {
        let arg = settings
            .get_arguments()
            .find(|arg| arg.get_id() == key.as_str() && !NOT_IN_FILE.contains(&key.as_str()))
            .ok_or_else(|| format!("config file {shown}: unknown setting `{key}`"))?;
        let given = serve.value_source(&key);
        if matches!(
            given,
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        ) {
            continue;
        }
        let flag = format!("--{}", arg.get_long().expect("settings are long flags"));
        let text = match (arg.get_action(), value) {
            (ArgAction::SetTrue, toml::Value::Boolean(true)) => {
                merged.push(flag.into());
                continue;
            }
            (ArgAction::SetTrue, toml::Value::Boolean(false)) => continue,
            (ArgAction::SetTrue, _) => {
                return Err(format!(
                    "config file {shown}: `{key}` must be true or false"
                ))
            }
            (_, toml::Value::String(text)) => text,
            (_, toml::Value::Integer(number)) => number.to_string(),
            (_, _) => {
                return Err(format!(
                    "config file {shown}: `{key}` must be a string or an integer"
                ))
            }
        };
        // `--flag=value`, so that a value starting with `-` stays a value.
        merged.push(format!("{flag}={text}").into());
    }
    Ok(merged)
}
