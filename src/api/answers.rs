//! Answers rendered once and shared until what they show changes: the
//! plain `GET /schemas/ids/{id}` of each schema content (an id's content
//! never changes while the id exists), and `GET /subjects` without a query
//! per state of the registry.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, RwLock};

use axum::body::Bytes;

use crate::registry::{Registry, SchemaContent};

/// Rendered schema answers by the address of the content they render.
type ByAddress = HashMap<usize, (Arc<SchemaContent>, Bytes), BuildHasherDefault<AddressHasher>>;

#[derive(Default)]
pub struct RenderedAnswers {
    /// By the address of the content they render, which the entry keeps
    /// alive (so no other content can take that address while it is here).
    schemas: RwLock<ByAddress>,
    /// The size past which the next insert drops entries for contents the
    /// registry no longer holds.
    prune_at: Mutex<usize>,
    /// The registry's generation and the listing of every subject then.
    all_subjects: Mutex<Option<(u64, Bytes)>>,
}

/// Entries kept before the first prune.
const PRUNE_FROM: usize = 4096;

impl RenderedAnswers {
    /// The bytes `render` makes of `content`, made on the first request.
    pub fn schema(
        &self,
        content: &Arc<SchemaContent>,
        render: impl FnOnce(&SchemaContent) -> Bytes,
    ) -> Bytes {
        let address = Arc::as_ptr(content) as usize;
        if let Some((_, bytes)) = read(&self.schemas).get(&address) {
            return bytes.clone();
        }
        let bytes = render(content);
        let mut schemas = self.schemas.write().unwrap_or_else(|p| p.into_inner());
        schemas.insert(address, (Arc::clone(content), bytes.clone()));
        let mut prune_at = self.prune_at.lock().unwrap_or_else(|p| p.into_inner());
        if schemas.len() >= (*prune_at).max(PRUNE_FROM) {
            schemas.retain(|_, (content, _)| Arc::strong_count(content) > 1);
            *prune_at = 2 * schemas.len();
        }
        bytes
    }

    /// `GET /subjects` without a query: `render` makes the listing's bytes
    /// once per state of the registry; until the next write, later
    /// requests share them.
    pub fn all_subjects(
        &self,
        registry: &Registry,
        render: impl FnOnce(Vec<String>) -> Bytes,
    ) -> Bytes {
        let mut cached = self.all_subjects.lock().unwrap_or_else(|p| p.into_inner());
        let generation = registry.generation();
        if let Some((shown, bytes)) = &*cached {
            if *shown == generation {
                return bytes.clone();
            }
        }
        let (generation, subjects) = registry.all_live_subjects();
        let bytes = render(subjects);
        *cached = Some((generation, bytes.clone()));
        bytes
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

/// Addresses are distinct already; one multiplication spreads them.
#[derive(Default)]
pub struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 << 8) | u64::from(*byte);
        }
    }

    fn write_usize(&mut self, address: usize) {
        self.0 = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use treaty_compat::SchemaType;

    fn content(text: &str) -> Arc<SchemaContent> {
        Arc::new(SchemaContent {
            schema_type: SchemaType::Avro,
            schema: text.to_owned(),
            references: Vec::new(),
            metadata: None,
            rule_set: None,
            md5: None,
        })
    }

    #[test]
    fn a_content_is_rendered_once_and_a_forgotten_one_is_pruned() {
        let answers = RenderedAnswers::default();
        let kept = content("\"string\"");
        let mut renders = 0;
        for _ in 0..3 {
            let bytes = answers.schema(&kept, |c| {
                renders += 1;
                Bytes::from(c.schema.clone())
            });
            assert_eq!(bytes, "\"string\"");
        }
        assert_eq!(renders, 1);
        for n in 0..2 * PRUNE_FROM {
            answers.schema(&content(&n.to_string()), |c| Bytes::from(c.schema.clone()));
        }
        let held = read(&answers.schemas).len();
        assert!(
            held < PRUNE_FROM,
            "contents nobody holds are dropped: {held}"
        );
        assert!(read(&answers.schemas).contains_key(&(Arc::as_ptr(&kept) as usize)));
    }
}
