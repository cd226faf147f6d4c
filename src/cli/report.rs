//! What a subcommand found, and its renderings: text for people, JSON for
//! programs, GitHub workflow annotations for pull requests, JUnit XML for
//! the test reports CI systems show.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Serialize;
use treaty_compat::{Finding, Verdict};

use super::resolve::SchemaError;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Github,
    Junit,
}

/// The results of one run, in the manifest's order.
#[derive(Default, Serialize)]
pub struct Report {
    pub subjects: Vec<SubjectResult>,
    /// Files that do not parse (exit code 2).
    pub errors: Vec<SchemaError>,
}

/// One subject (or, for `diff`, the one pair of files).
#[derive(Serialize)]
pub struct SubjectResult {
    pub subject: String,
    pub file: PathBuf,
    /// `valid` (check), `compatible`, `breaking`, `new` (no baseline
    /// version) or `ignored`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Confluent's message list for the verdict, as the registry's
    /// `?verbose=true` answers it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

impl Report {
    /// 2 when a file did not load, else 1 when a subject breaks, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self.subjects.iter().any(|s| s.status == "breaking") {
            1
        } else {
            0
        }
    }

    /// The report in `format`; paths are shown joined to `root`.
    pub fn render(&self, format: Format, root: &Path) -> String {
        match format {
            Format::Json => {
                let mut text = serde_json::to_string_pretty(self).expect("a report serializes");
                text.push('\n');
                text
            }
            Format::Text => self.text(root),
            Format::Github => self.github(root),
            Format::Junit => self.junit(root),
        }
    }

    fn text(&self, root: &Path) -> String {
        let mut out = String::new();
        for error in &self.errors {
            let at = match (error.line, error.column) {
                (Some(line), Some(column)) => format!(":{line}:{column}"),
                _ => String::new(),
            };
            let file = root.join(&error.file);
            out += &format!(
                "{}{at}: error: {}\n",
                file.display(),
                one_line(&error.message)
            );
        }
        for subject in &self.subjects {
            let file = root.join(&subject.file).display().to_string();
            for finding in errors_of(subject) {
                out += &format!(
                    "{file}: {} {} {}: {}\n",
                    subject.subject,
                    finding.rule.id(),
                    path_of(finding),
                    one_line(&finding.message)
                );
            }
        }
        let breaking = self
            .subjects
            .iter()
            .filter(|s| s.status == "breaking")
            .count();
        out += &format!(
            "{} subject(s), {} breaking, {} invalid file(s)\n",
            self.subjects.len(),
            breaking,
            self.errors.len()
        );
        out
    }

    fn github(&self, root: &Path) -> String {
        let mut out = String::new();
        for error in &self.errors {
            let mut properties = format!("file={}", property(&root.join(&error.file)));
            if let (Some(line), Some(column)) = (error.line, error.column) {
                properties += &format!(",line={line},col={column}");
            }
            out += &format!("::error {properties}::{}\n", data(&error.message));
        }
        for subject in &self.subjects {
            for finding in errors_of(subject) {
                out += &format!(
                    "::error file={},title={}::{} {}: {}\n",
                    property(&root.join(&subject.file)),
                    property(Path::new(finding.rule.id())),
                    data(&subject.subject),
                    data(&path_of(finding)),
                    data(&finding.message)
                );
            }
        }
        out
    }

    /// One test case per subject (a `<failure>` per breaking finding) and
    /// per file that does not load (an `<error>`), in one suite.
    fn junit(&self, root: &Path) -> String {
        let failures = self
            .subjects
            .iter()
            .filter(|s| s.status == "breaking")
            .count();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out += &format!(
            "<testsuites>\n<testsuite name=\"treaty\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\">\n",
            self.subjects.len() + self.errors.len(),
            self.errors.len()
        );
        for error in &self.errors {
            let file = xml(&root.join(&error.file).to_string_lossy());
            let at = match (error.line, error.column) {
                (Some(line), Some(column)) => format!(":{line}:{column}"),
                _ => String::new(),
            };
            out += &format!(
                "<testcase classname=\"{file}\" name=\"{file}\" file=\"{file}\">\n<error message=\"{}\">{file}{at}</error>\n</testcase>\n",
                xml(&one_line(&error.message))
            );
        }
        for subject in &self.subjects {
            let file = xml(&root.join(&subject.file).to_string_lossy());
            out += &format!(
                "<testcase classname=\"{file}\" name=\"{}\" file=\"{file}\">\n",
                xml(&subject.subject)
            );
            if subject.status == "ignored" {
                out += "<skipped/>\n";
            }
            for finding in errors_of(subject) {
                out += &format!(
                    "<failure type=\"{}\" message=\"{}\">{} {}</failure>\n",
                    finding.rule.id(),
                    xml(&one_line(&finding.message)),
                    finding.rule.id(),
                    xml(&path_of(finding))
                );
            }
            out += "</testcase>\n";
        }
        out + "</testsuite>\n</testsuites>\n"
    }
}

/// Text as XML character data or an attribute value.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn errors_of(subject: &SubjectResult) -> impl Iterator<Item = &Finding> {
    subject
        .verdict
        .iter()
        .flat_map(|v| v.findings.iter())
        .filter(|f| f.is_error())
}

/// Where the finding is: the new schema's path, else the old one's.
fn path_of(finding: &Finding) -> String {
    match (&finding.new_path, &finding.old_path) {
        (Some(new), _) => new.clone(),
        (None, Some(old)) => format!("{old} (old)"),
        (None, None) => "-".to_string(),
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A workflow command's message, escaped as GitHub's toolkit does.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value, which also escapes `:` and `,`.
fn property(path: &Path) -> String {
    data(&path.to_string_lossy())
        .replace(':', "%3A")
        .replace(',', "%2C")
}
