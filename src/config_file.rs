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
/// why), `args` as they are. The first reading ignores what the file may
/// still complete (`--tls-key` given, `tls_cert` in the file).
pub fn merge(command: &Command, args: Vec<OsString>) -> Result<Vec<OsString>, String> {
    let Ok(matches) = command
        .clone()
        .ignore_errors(true)
        .try_get_matches_from(&args)
    else {
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

#[cfg(test)]
mod tests {
    use clap::{Args, Command};

    use super::merge;
    use crate::serve::ServeArgs;

    fn merged(file: &str, args: &[&str]) -> Result<Vec<String>, String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("treaty.toml");
        std::fs::write(&path, file).expect("config written");
        let command =
            Command::new("treaty").subcommand(ServeArgs::augment_args(Command::new("serve")));
        let mut line: Vec<std::ffi::OsString> = ["treaty", "serve", "--config"]
            .iter()
            .map(Into::into)
            .collect();
        line.push(path.into_os_string());
        line.extend(args.iter().map(Into::into));
        let merged = merge(&command, line)?;
        Ok(merged[4..]
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect())
    }

    #[test]
    fn file_settings_follow_the_flags_as_flags() {
        let file = "data_dir = \"/srv/treaty\"\nmax_body_bytes = 10\nauth_open_reads = true\n";
        let mut added = merged(file, &["--max-body-bytes", "20"]).expect("merges");
        added.sort();
        assert_eq!(
            added,
            [
                "--auth-open-reads",
                "--data-dir=/srv/treaty",
                "--max-body-bytes",
                "20"
            ]
        );
    }

    #[test]
    fn the_file_may_complete_what_a_flag_requires() {
        let added = merged("tls_cert = \"cert.pem\"\n", &["--tls-key", "key.pem"]);
        assert_eq!(
            added.expect("merges"),
            ["--tls-key", "key.pem", "--tls-cert=cert.pem"]
        );
    }

    #[test]
    fn values_of_the_wrong_kind_are_errors_naming_the_key() {
        let error = merged("auth_open_reads = \"yes\"\n", &[]).expect_err("refused");
        assert!(
            error.contains("`auth_open_reads` must be true or false"),
            "{error}"
        );
        let error = merged("listen = [1]\n", &[]).expect_err("refused");
        assert!(error.contains("`listen`"), "{error}");
    }
}
