//! What a subcommand found, and its renderings: text for people, JSON for
//! programs, GitHub workflow annotations for pull requests, JUnit XML for
//! the test reports CI systems show.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Serialize;
use serde_json::Value;
use treaty_compat::{CompatibilityLevel, Finding, Verdict};

use super::locate::Location;
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
    /// version), `removed` (in the baseline only: breaking), `retired`
    /// (the same at level NONE) or `ignored`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Where each of the verdict's findings is in the file, in the
    /// findings' order; rendered into the findings as `line` and `column`.
    #[serde(skip)]
    pub locations: Vec<Option<Location>>,
    /// Why a subject the baseline has and the working tree lacks breaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removal: Option<Removal>,
    /// Confluent's message list for the verdict, as the registry's
    /// `?verbose=true` answers it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

/// A subject whose file the working tree no longer has: consumers of its
/// topic lose the schema they read with, as Buf's `FILE_NO_DELETE` sees a
/// deleted file, unless the level promises nothing (NONE).
#[derive(Serialize)]
pub struct Removal {
    pub rule: &'static str,
    /// The subject's level in the baseline.
    pub level: CompatibilityLevel,
    pub message: String,
}

/// The rule of [`Removal`], named as Buf names its file rule.
pub const SUBJECT_NO_DELETE: &str = "SUBJECT_NO_DELETE";

/// One breaking thing about a subject, as every rendering lists it.
struct Problem<'a> {
    rule: &'a str,
    path: String,
    message: &'a str,
    location: Option<Location>,
}

impl Report {
    /// 2 when a file did not load, else 1 when a subject breaks, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self.subjects.iter().any(SubjectResult::breaks) {
            1
        } else {
            0
        }
    }

    /// The report in `format`; paths are shown joined to `root`.
    pub fn render(&self, format: Format, root: &Path) -> String {
        match format {
            Format::Json => {
                let mut text =
                    serde_json::to_string_pretty(&self.json()).expect("a report serializes");
                text.push('\n');
                text
            }
            Format::Text => self.text(root),
            Format::Github => self.github(root),
            Format::Junit => self.junit(root),
        }
    }

    /// The report as JSON, each located finding with its `line` and
    /// `column` (the verdict is `treaty-compat`'s, which knows no files).
    fn json(&self) -> Value {
        let mut json = serde_json::to_value(self).expect("a report serializes");
        for (i, subject) in self.subjects.iter().enumerate() {
            // `pointer_mut`, not indexing: indexing would add a verdict to
            // the subjects that have none.
            let pointer = format!("/subjects/{i}/verdict/findings");
            let Some(findings) = json.pointer_mut(&pointer) else {
                continue;
            };
            for (j, location) in subject.locations.iter().enumerate() {
                if let (Some(location), Some(finding)) = (location, findings.get_mut(j)) {
                    finding["line"] = location.line.into();
                    finding["column"] = location.column.into();
                }
            }
        }
        json
    }

    fn text(&self, root: &Path) -> String {
        let mut out = String::new();
        for error in &self.errors {
            let file = root.join(&error.file);
            out += &format!(
                "{}{}: error: {}\n",
                file.display(),
                at(error.location),
                one_line(&error.message)
            );
        }
        for subject in &self.subjects {
            let file = root.join(&subject.file).display().to_string();
            for problem in subject.problems() {
                out += &format!(
                    "{file}{}: {} {} {}: {}\n",
                    at(problem.location),
                    subject.subject,
                    problem.rule,
                    problem.path,
                    one_line(problem.message)
                );
            }
        }
        let breaking = self.subjects.iter().filter(|s| s.breaks()).count();
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
            let properties = placed(&root.join(&error.file), error.location);
            out += &format!("::error {properties}::{}\n", data(&error.message));
        }
        for subject in &self.subjects {
            for problem in subject.problems() {
                let properties = placed(&root.join(&subject.file), problem.location);
                out += &format!(
                    "::error {properties},title={}::{} {}: {}\n",
                    property(Path::new(problem.rule)),
                    data(&subject.subject),
                    data(&problem.path),
                    data(problem.message)
                );
            }
        }
        out
    }

    /// One test case per subject (a `<failure>` per breaking finding) and
    /// per file that does not load (an `<error>`), in one suite.
    fn junit(&self, root: &Path) -> String {
        let failures = self.subjects.iter().filter(|s| s.breaks()).count();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out += &format!(
            "<testsuites>\n<testsuite name=\"treaty\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\">\n",
            self.subjects.len() + self.errors.len(),
            self.errors.len()
        );
        for error in &self.errors {
            let file = xml(&root.join(&error.file).to_string_lossy());
            out += &format!(
                "<testcase classname=\"{file}\" name=\"{file}\" file=\"{file}\">\n<error message=\"{}\">{file}{}</error>\n</testcase>\n",
                xml(&one_line(&error.message)),
                at(error.location)
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
            for problem in subject.problems() {
                out += &format!(
                    "<failure type=\"{}\" message=\"{}\">{file}{}: {} {}</failure>\n",
                    problem.rule,
                    xml(&one_line(problem.message)),
                    at(problem.location),
                    problem.rule,
                    xml(&problem.path)
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

impl SubjectResult {
    /// A subject with nothing found.
    pub fn new(subject: &str, file: &Path, status: &'static str) -> SubjectResult {
        SubjectResult {
            subject: subject.to_string(),
            file: file.to_path_buf(),
            status,
            verdict: None,
            locations: Vec::new(),
            removal: None,
            messages: Vec::new(),
        }
    }

    fn breaks(&self) -> bool {
        matches!(self.status, "breaking" | "removed")
    }

    /// The verdict's errors, located, then the removal.
    fn problems(&self) -> Vec<Problem<'_>> {
        let findings = self.verdict.iter().flat_map(|v| v.findings.iter());
        let mut problems: Vec<Problem<'_>> = findings
            .enumerate()
            .filter(|(_, f)| f.is_error())
            .map(|(i, f)| Problem {
                rule: f.rule.id(),
                path: path_of(f),
                message: &f.message,
                location: self.locations.get(i).copied().flatten(),
            })
            .collect();
        if let (Some(removal), "removed") = (&self.removal, self.status) {
            problems.push(Problem {
                rule: removal.rule,
                path: "-".to_string(),
                message: &removal.message,
                location: None,
            });
        }
        problems
    }
}

/// An annotation's `file=`, with `line=` and `col=` where the place is
/// known.
fn placed(file: &Path, location: Option<Location>) -> String {
    let mut properties = format!("file={}", property(file));
    if let Some(Location { line, column }) = location {
        properties += &format!(",line={line},col={column}");
    }
    properties
}

/// `:line:column`, or nothing where the place is unknown.
fn at(location: Option<Location>) -> String {
    location.map_or(String::new(), |l| format!(":{}:{}", l.line, l.column))
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
