//! The iteration order of a Java `ConcurrentHashMap<String, _>`, the map in
//! which Confluent's cache keeps the subjects holding an id
//! (`InMemoryCache.guidToSubjectVersions`). `GET /schemas/ids/{id}/subjects`
//! and `/versions` list them in that order, so treaty replays the same puts
//! into a model of the map's table: bins chosen by the spread
//! `String.hashCode`, appended to in a bin, split on resize the way
//! `ConcurrentHashMap.transfer` splits them, and tree bins (which insert at
//! the front) for crowded bins of a large table.

/// `ConcurrentHashMap`'s thresholds (OpenJDK 17).
const INITIAL_CAPACITY: usize = 16;
const TREEIFY_THRESHOLD: usize = 8;
const UNTREEIFY_THRESHOLD: usize = 6;
const MIN_TREEIFY_CAPACITY: usize = 64;

#[derive(Clone)]
struct Bin<V> {
    /// (spread hash, key, value) in iteration order.
    nodes: Vec<(u32, String, V)>,
    tree: bool,
}

impl<V> Default for Bin<V> {
    fn default() -> Self {
        Self {
            nodes: Vec::new(),
            tree: false,
        }
    }
}

/// A model of the table of a `ConcurrentHashMap` that only ever had puts.
pub struct HashOrder<V> {
    bins: Vec<Bin<V>>,
    count: usize,
    /// The size at which the table doubles: three quarters of it.
    size_ctl: usize,
}

impl<V: Clone> HashOrder<V> {
    pub fn new() -> Self {
        Self {
            bins: vec![Bin::default(); INITIAL_CAPACITY],
            count: 0,
            size_ctl: threshold(INITIAL_CAPACITY),
        }
    }

    /// `put(key, value)`: a present key keeps its place and takes the value.
    pub fn put(&mut self, key: &str, value: V) {
        let hash = spread(java_string_hash(key));
        let index = hash as usize & (self.bins.len() - 1);
        let bin = &mut self.bins[index];
        let found = bin.nodes.iter().position(|(_, k, _)| k == key);
        let bin_count = if bin.tree {
            // A tree bin's put never treeifies; it inserts at the front.
            match found {
                Some(at) => bin.nodes[at].2 = value,
                None => bin.nodes.insert(0, (hash, key.to_owned(), value)),
            }
            0
        } else {
            match found {
                Some(at) => {
                    bin.nodes[at].2 = value;
                    at + 1
                }
                None => {
                    bin.nodes.push((hash, key.to_owned(), value));
                    bin.nodes.len() - 1
                }
            }
        };
        if bin_count >= TREEIFY_THRESHOLD {
            self.treeify_bin(index);
        }
        if found.is_none() {
            self.count += 1;
            while self.count >= self.size_ctl {
                self.transfer();
            }
        }
    }

    /// The entries in iteration order: bin by bin, each bin's nodes in order.
    pub fn into_entries(self) -> impl Iterator<Item = (String, V)> {
        self.bins
            .into_iter()
            .flat_map(|bin| bin.nodes.into_iter().map(|(_, k, v)| (k, v)))
    }

    /// A small table grows instead (`tryPresize(n << 1)`); a large one
    /// turns the bin into a tree, its order kept.
    fn treeify_bin(&mut self, index: usize) {
        let n = self.bins.len();
        if n >= MIN_TREEIFY_CAPACITY {
            self.bins[index].tree = true;
            return;
        }
        let size = n << 1;
        let wanted = (size + (size >> 1) + 1).next_power_of_two();
        while wanted > self.size_ctl {
            self.transfer();
        }
    }

    /// Doubles the table. Each bin splits on the new hash bit: a list bin
    /// keeps its last run of same-bit nodes in order and puts the nodes
    /// before it in front of that run in reverse; a tree bin keeps its order.
    fn transfer(&mut self) {
        let n = self.bins.len();
        let mut next = vec![Bin::default(); n * 2];
        for (index, bin) in std::mem::take(&mut self.bins).into_iter().enumerate() {
            let high = |hash: u32| hash as usize & n != 0;
            let (mut low_nodes, mut high_nodes) = (Vec::new(), Vec::new());
            if bin.tree {
                for node in bin.nodes {
                    if high(node.0) {
                        high_nodes.push(node);
                    } else {
                        low_nodes.push(node);
                    }
                }
                let low_tree = low_nodes.len() > UNTREEIFY_THRESHOLD;
                let high_tree = high_nodes.len() > UNTREEIFY_THRESHOLD;
                next[index] = Bin {
                    nodes: low_nodes,
                    tree: low_tree,
                };
                next[index + n] = Bin {
                    nodes: high_nodes,
                    tree: high_tree,
                };
                continue;
            }
            let Some(last) = bin.nodes.last() else {
                continue;
            };
            let last_bit = high(last.0);
            let run_start = bin
                .nodes
                .iter()
                .rposition(|node| high(node.0) != last_bit)
                .map_or(0, |i| i + 1);
            let mut nodes = bin.nodes;
            let run = nodes.split_off(run_start);
            if last_bit {
                high_nodes = run;
            } else {
                low_nodes = run;
            }
            for node in nodes {
                if high(node.0) {
                    high_nodes.insert(0, node);
                } else {
                    low_nodes.insert(0, node);
                }
            }
            next[index].nodes = low_nodes;
            next[index + n].nodes = high_nodes;
        }
        self.bins = next;
        self.size_ctl = threshold(n * 2);
    }
}

fn threshold(capacity: usize) -> usize {
    capacity - (capacity >> 2)
}

/// Java's `String.hashCode` over UTF-16 code units.
fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// `ConcurrentHashMap.spread`: the high half folded into the low, sign
/// bit cleared.
fn spread(hash: i32) -> u32 {
    let h = hash as u32;
    (h ^ (h >> 16)) & 0x7fff_ffff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(keys: &[&str]) -> Vec<String> {
        let mut map = HashOrder::new();
        for key in keys {
            map.put(key, ());
        }
        map.into_entries().map(|(k, ())| k).collect()
    }

    #[test]
    fn string_hash_is_javas() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
    }

    #[test]
    fn keys_come_by_bin_then_by_arrival() {
        // "a".."c" hash to 97..99: bins 1..3 of 16. "Aa" and "BB" share a
        // hash (2112, bin 0), so they keep their arrival order.
        assert_eq!(
            order(&["c", "BB", "a", "Aa", "b"]),
            ["BB", "Aa", "a", "b", "c"]
        );
    }

    #[test]
    fn a_present_key_keeps_its_place() {
        let mut map = HashOrder::new();
        map.put("Aa", 1);
        map.put("BB", 2);
        map.put("Aa", 3);
        let entries: Vec<_> = map.into_entries().collect();
        assert_eq!(entries, [("Aa".to_owned(), 3), ("BB".to_owned(), 2)]);
    }

    #[test]
    fn resizing_reverses_the_nodes_before_the_last_run() {
        // Hashes 1, 17, 33 and 49 share bin 1 of 16; "b".."i" fill bins
        // 2..9 up to the twelfth key, which doubles the table. Bit 16 splits
        // bin 1: 49 is the last run and stays put, the nodes before it go
        // in front of their half one by one, so the low half reverses.
        let mut keys = vec!["\u{1}", "\u{11}", "!", "1"];
        keys.extend(["b", "c", "d", "e", "f", "g", "h", "i"]);
        let ordered = order(&keys);
        let position = |key: &str| ordered.iter().position(|k| k == key);
        assert!(position("!") < position("\u{1}"), "{ordered:?}");
        assert!(position("\u{11}") < position("1"), "{ordered:?}");
        assert_eq!(ordered[0], "!", "bin 1 of 32 comes first: {ordered:?}");
        assert_eq!(
            ordered.last().map(String::as_str),
            Some("1"),
            "bin 17 comes last"
        );
    }
}
