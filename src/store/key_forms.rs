//! The byte forms, other than the one treaty writes, that a record key was
//! found in on the schemas topic: Karapace's legacy field order, SR 3.x's
//! magic-0 SCHEMA keys, a global config or mode with `"subject":null`.
//! Compaction pairs a tombstone only with records of the very same bytes,
//! so a key is removed for good only once each of its forms got one
//! (spec §1.2, Confluent #2961); the writer looks them up here.
//!
//! Each entry's key is the record key as the store writes it, a NUL byte
//! (which the JSON of a key never holds) and the form's bytes; the value
//! is empty. A form is forgotten once a tombstone in that form is written
//! or read, after which compaction removes it from the topic.

use rocksdb::{Direction, IteratorMode, WriteBatch, WriteOptions};

use super::{Store, StoreError, KEY_FORMS};
use crate::records::RecordKey;

/// A record key as read from (or written to) the topic.
pub struct FoundKey {
    pub key: RecordKey,
    /// The key's bytes on the topic.
    pub bytes: Vec<u8>,
    /// Whether the record there was a tombstone.
    pub tombstone: bool,
}

impl Store {
    /// Remembers the forms `found` shows other than Confluent's canonical
    /// bytes, and forgets those that got their tombstone, in their order.
    pub fn note_key_forms(&self, found: &[FoundKey]) -> Result<(), StoreError> {
        let forms = self.cf(KEY_FORMS);
        let mut batch = WriteBatch::default();
        for seen in found {
            if seen.bytes == seen.key.to_topic() {
                continue;
            }
            let mut entry = prefix(&seen.key);
            entry.extend_from_slice(&seen.bytes);
            match seen.tombstone {
                true => batch.delete_cf(forms, entry),
                false => batch.put_cf(forms, entry, []),
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        // A form lost in a crash is found again: the reader resumes from
        // the store's last position, at or before the record showing it.
        let mut options = WriteOptions::default();
        options.set_sync(false);
        self.db.write_opt(batch, &options)?;
        Ok(())
    }

    /// The forms of `key` remembered, canonical bytes excluded.
    pub fn key_forms(&self, key: &RecordKey) -> Result<Vec<Vec<u8>>, StoreError> {
        let prefix = prefix(key);
        let mut forms = Vec::new();
        let start = IteratorMode::From(&prefix, Direction::Forward);
        for entry in self.db.iterator_cf(self.cf(KEY_FORMS), start) {
            let (entry, _) = entry?;
            let Some(form) = entry.strip_prefix(prefix.as_slice()) else {
                break;
            };
            forms.push(form.to_vec());
        }
        Ok(forms)
    }
}

fn prefix(key: &RecordKey) -> Vec<u8> {
    let mut prefix = serde_json::to_vec(key).expect("keys serialise to JSON");
    prefix.push(0);
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(key: &RecordKey, bytes: &str, tombstone: bool) -> FoundKey {
        FoundKey {
            key: key.clone(),
            bytes: bytes.as_bytes().to_vec(),
            tombstone,
        }
    }

    #[test]
    fn other_forms_are_remembered_across_a_reopen_until_their_tombstone() {
        let dir = tempfile::tempdir().unwrap();
        let version = RecordKey::schema("a-value", 1);
        let karapace = r#"{"subject":"a-value","version":1,"magic":1,"keytype":"SCHEMA"}"#;
        let magic_0 = r#"{"keytype":"SCHEMA","subject":"a-value","version":1,"magic":0}"#;
        let canonical = String::from_utf8(version.to_topic()).unwrap();
        // A key that shares the first one's JSON as a prefix of its text.
        let other = RecordKey::schema("a-value", 10);
        let other_form = r#"{"subject":"a-value","version":10,"magic":1,"keytype":"SCHEMA"}"#;
        {
            let store = Store::open(dir.path()).unwrap();
            store
                .note_key_forms(&[
                    found(&version, karapace, false),
                    found(&version, &canonical, false),
                    found(&version, magic_0, false),
                    found(&other, other_form, false),
                ])
                .unwrap();
            store.flush().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let mut forms = store.key_forms(&version).unwrap();
        forms.sort();
        assert_eq!(forms, [magic_0.as_bytes(), karapace.as_bytes()]);
        store
            .note_key_forms(&[found(&version, karapace, true)])
            .unwrap();
        assert_eq!(store.key_forms(&version).unwrap(), [magic_0.as_bytes()]);
        assert_eq!(store.key_forms(&other).unwrap(), [other_form.as_bytes()]);
        let global = RecordKey::config(None);
        assert!(store.key_forms(&global).unwrap().is_empty());
    }
}
