//! Confluent's diff `Context`: where in the schema the walk is, which
//! original messages are being compared (the recursion guard), and the
//! differences found so far.

use prost_reflect::{FileDescriptor, MessageDescriptor};

use super::difference::{Difference, DifferenceType};

pub(super) struct Context<'a> {
    /// The schemas' own files; types from any other file came from a
    /// reference or a built-in import.
    pub(super) original_file: &'a FileDescriptor,
    pub(super) update_file: &'a FileDescriptor,
    path: Vec<String>,
    /// Full names of the original messages whose fields are being compared.
    in_progress: Vec<String>,
    differences: Vec<Difference>,
}

impl<'a> Context<'a> {
    pub(super) fn new(original_file: &'a FileDescriptor, update_file: &'a FileDescriptor) -> Self {
        Self {
            original_file,
            update_file,
            path: Vec::new(),
            in_progress: Vec::new(),
            differences: Vec::new(),
        }
    }

    /// Confluent's `getSubcontext` + `setFullName`: a fresh difference list
    /// whose paths start at `local_name`, with the same recursion guard.
    pub(super) fn subcontext(&self, local_name: &str) -> Context<'a> {
        Context {
            original_file: self.original_file,
            update_file: self.update_file,
            path: local_name.split('.').map(str::to_string).collect(),
            in_progress: self.in_progress.clone(),
            differences: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, kind: DifferenceType) {
        self.differences.push(Difference {
            kind,
            path: format!("#/{}", self.path.join("/")),
        });
    }

    /// Adds `kind` at the current path extended by `segments`.
    pub(super) fn add_at(&mut self, segments: &[&str], kind: DifferenceType) {
        let depth = self.path.len();
        self.path.extend(segments.iter().map(|s| s.to_string()));
        self.add(kind);
        self.path.truncate(depth);
    }

    /// Runs `walk` with `segment` appended to the path.
    pub(super) fn within<R>(&mut self, segment: &str, walk: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(segment.to_string());
        let result = walk(self);
        self.path.pop();
        result
    }

    /// Runs `walk` unless `original`'s fields are already being compared
    /// further up (a recursive type); Confluent's `enterSchema`.
    pub(super) fn guarded(&mut self, original: &MessageDescriptor, walk: impl FnOnce(&mut Self)) {
        if self
            .in_progress
            .iter()
            .any(|name| name == original.full_name())
        {
            return;
        }
        self.in_progress.push(original.full_name().to_string());
        walk(self);
        self.in_progress.pop();
    }

    pub(super) fn is_compatible(&self) -> bool {
        self.differences.iter().all(|d| d.kind.is_compatible())
    }

    pub(super) fn absorb(&mut self, other: Context<'a>) {
        self.differences.extend(other.differences);
    }

    pub(super) fn into_differences(self) -> Vec<Difference> {
        self.differences
    }
}
