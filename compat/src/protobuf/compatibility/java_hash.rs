//! The iteration order of a `java.util.HashSet<String>`, because Confluent
//! walks the message names of a scope in that order and so orders its
//! messages by it.
//!
//! Java iterates a hash table bucket by bucket, each bucket in insertion
//! order (resizing keeps that relative order), so the order depends only on
//! the final capacity and the insertion order. Buckets are never turned
//! into trees for the few names a scope has.

/// A model of a Java `HashMap`'s key set: capacity and keys in insertion order.
pub(super) struct JavaHashSet<'a> {
    capacity: usize,
    keys: Vec<&'a str>,
}

impl<'a> JavaHashSet<'a> {
    /// `new HashMap<>()`: 16 buckets.
    pub(super) fn new() -> Self {
        Self {
            capacity: 16,
            keys: Vec::new(),
        }
    }

    /// `new HashSet<>(other)`: sized for `other`, then filled in `other`'s
    /// iteration order.
    pub(super) fn copy_of(other: &JavaHashSet<'a>) -> Self {
        let wanted = ((other.keys.len() as f32 / 0.75) as usize + 1).max(16);
        let mut set = Self {
            capacity: wanted.next_power_of_two(),
            keys: Vec::new(),
        };
        for key in other.iteration_order() {
            set.insert(key);
        }
        set
    }

    /// `put`: a new key is appended; past 3/4 load the table doubles.
    pub(super) fn insert(&mut self, key: &'a str) {
        if self.keys.contains(&key) {
            return;
        }
        self.keys.push(key);
        if self.keys.len() > self.capacity / 4 * 3 {
            self.capacity *= 2;
        }
    }

    /// The keys in the order a Java loop over the set visits them.
    pub(super) fn iteration_order(&self) -> Vec<&'a str> {
        let mut keys = self.keys.clone();
        keys.sort_by_key(|key| spread_hash(key) as usize & (self.capacity - 1));
        keys
    }
}

/// `String.hashCode()` (over UTF-16 units) spread as `HashMap.hash` does.
fn spread_hash(key: &str) -> u32 {
    let hash = key
        .encode_utf16()
        .fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(unit as i32)) as u32;
    hash ^ (hash >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_matches_java() {
        // "Hello".hashCode() == 69609650 in Java.
        assert_eq!(spread_hash("Hello"), 69609650u32 ^ (69609650u32 >> 16));
    }

    #[test]
    fn keys_are_visited_by_bucket_then_insertion_order() {
        // "Aa" and "BB" collide in Java (both hash to 2112).
        let mut set = JavaHashSet::new();
        for key in ["BB", "b", "Aa", "a"] {
            set.insert(key);
        }
        assert_eq!(set.iteration_order(), ["BB", "Aa", "a", "b"]);
    }

    #[test]
    fn growing_past_three_quarters_doubles_the_table() {
        let names: Vec<String> = (0..13).map(|i| format!("M{i}")).collect();
        let mut set = JavaHashSet::new();
        for name in &names {
            set.insert(name);
        }
        assert_eq!(set.capacity, 32);
        assert_eq!(JavaHashSet::copy_of(&set).capacity, 32);
    }
}
