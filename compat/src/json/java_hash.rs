//! The iteration order of Java's `HashMap`/`HashSet` of strings. Confluent's
//! differ walks properties and dependencies in that order, so reproducing it
//! gives the same message order as Confluent, not only the same verdict.
//!
//! A Java hash map iterates bucket by bucket (`(h ^ h >>> 16) & (capacity-1)`
//! of `String.hashCode`), and within a bucket in insertion order; resizing
//! keeps that. So the order is a stable sort by bucket at the final capacity.

/// `String.hashCode`: over UTF-16 code units, wrapping.
fn java_string_hash(s: &str) -> u32 {
    s.encode_utf16().fold(0u32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(u32::from(unit))
    })
}

fn bucket(s: &str, capacity: usize) -> usize {
    let h = java_string_hash(s);
    ((h ^ (h >> 16)) as usize) & (capacity - 1)
}

/// Capacity after growing from `initial` (a power of two) to hold `count`
/// entries at Java's 0.75 load factor.
fn grown_capacity(initial: usize, count: usize) -> usize {
    let mut capacity = initial;
    while count * 4 > capacity * 3 {
        capacity *= 2;
    }
    capacity
}

fn sorted_by_bucket(keys: Vec<&str>, capacity: usize) -> Vec<&str> {
    let mut keys = keys;
    keys.sort_by_cached_key(|k| bucket(k, capacity));
    keys
}

/// Distinct keys in first-insertion order.
fn distinct<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = std::collections::HashSet::new();
    keys.into_iter().filter(|key| seen.insert(*key)).collect()
}

/// Order of a `new HashMap<>()` filled with `keys` in the given order.
pub(crate) fn hash_map_order<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let keys = distinct(keys);
    let capacity = grown_capacity(16, keys.len());
    sorted_by_bucket(keys, capacity)
}

/// Order of `s = new HashSet<>(first); s.addAll(then)` where `first` and
/// `then` are given in their own iteration orders.
pub(crate) fn hash_set_union_order<'a>(first: Vec<&'a str>, then: Vec<&'a str>) -> Vec<&'a str> {
    // HashSet(Collection): HashMap(max((int) (n / .75f) + 1, 16)), rounded
    // up to a power of two.
    let sized_for = ((first.len() as f32 / 0.75) as usize + 1).max(16);
    let initial = sized_for.next_power_of_two();
    let keys = distinct(first.into_iter().chain(then));
    let capacity = grown_capacity(initial, keys.len());
    sorted_by_bucket(keys, capacity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_matches_java() {
        assert_eq!(java_string_hash("foo") as i32, 101574);
        assert_eq!(java_string_hash("bar") as i32, 97299);
        assert_eq!(java_string_hash("") as i32, 0);
        assert_eq!(java_string_hash("polygenelubricants") as i32, i32::MIN);
    }

    #[test]
    fn small_maps_iterate_by_bucket() {
        // Java: new HashSet<>(List.of("foo", "bar")) iterates [bar, foo].
        assert_eq!(hash_map_order(["foo", "bar"]), ["bar", "foo"]);
        assert_eq!(
            hash_set_union_order(vec!["foo"], vec!["bar", "foo"]),
            ["bar", "foo"]
        );
    }
}
