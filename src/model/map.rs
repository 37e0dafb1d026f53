//! The attributes of an object value, kept as one sorted vector.
//!
//! A plan has an object for every resource, each with a handful of attributes. A `BTreeMap`
//! allocates a node for 11 entries whatever the count (and three nodes past 11), which made
//! the map structure nearly half of a large plan's model; a vector holds exactly its entries,
//! and a binary search over a few of them is as fast as a tree walk.
//!
//! Iteration is in key order, as with a `BTreeMap`, so reports and fixes stay deterministic.
//! Inserting out of order moves the entries after the new one: objects built from large
//! collections go through [`FromIterator`], which sorts once.

use super::value::{Key, Value};

/// Up to this many entries, a lookup scans instead of searching (see [`ObjMap::position`]):
/// past it, a scan over keys of equal lengths could cost more than a search.
const SCANNED: usize = 16;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjMap(Vec<(Key, Value)>);

impl ObjMap {
    pub fn new() -> ObjMap {
        ObjMap(Vec::new())
    }

    /// An empty map with room for `n` members.
    pub fn with_capacity(n: usize) -> ObjMap {
        ObjMap(Vec::with_capacity(n))
    }

    /// Where `key` is, or where it would go (for inserting and removing).
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_ref().cmp(key))
    }

    /// Where `key` is: in a small map (most objects of a model: a resource keeps a dozen
    /// attributes or so), found by a scan that compares lengths and calls no `memcmp` until
    /// one is equal, about 2.5 times fewer instructions than a binary search that compares
    /// every probe whole. Keys are unique, so both find the same entry.
    fn position(&self, key: &str) -> Option<usize> {
        if self.0.len() <= SCANNED {
            self.0.iter().position(|(k, _)| k.as_ref() == key)
        } else {
            self.find(key).ok()
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.position(key).map(|i| &mut self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key`; returns the value it replaces.
    pub fn insert(&mut self, key: Key, value: Value) -> Option<Value> {
        // Keys often arrive in order (JSON objects as Terraform writes them, other maps).
        if self
            .0
            .last()
            .is_none_or(|(last, _)| last.as_ref() < key.as_ref())
        {
            self.0.push((key, value));
            return None;
        }
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    /// The value at `key`, inserted with `make` when absent.
    pub fn get_or_insert_with(&mut self, key: Key, make: impl FnOnce() -> Value) -> &mut Value {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key, make()));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Drops spare capacity (readers call this once an object is complete).
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator + '_ {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + '_ {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator + '_ {
        self.0.iter_mut().map(|(_, v)| v)
    }
}

/// Entries in key order.
#[derive(Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, (Key, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Key, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a ObjMap {
    type Item = (&'a Key, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for ObjMap {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for ObjMap {
    /// Sorts once; of equal keys the last wins, as with repeated inserts.
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> ObjMap {
        let mut entries: Vec<(Key, Value)> = iter.into_iter().map(|(k, v)| (k.into(), v)).collect();
        if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
            // Stable: equal keys keep their order, and the last of each run is kept below.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out: Vec<(Key, Value)> = Vec::with_capacity(entries.len());
            for e in entries {
                match out.last_mut() {
                    Some(last) if last.0 == e.0 => *last = e,
                    _ => out.push(e),
                }
            }
            entries = out;
        }
        entries.shrink_to_fit();
        ObjMap(entries)
    }
}

impl<K: Into<Key>> Extend<(K, Value)> for ObjMap {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k.into(), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    #[test]
    fn behaves_like_a_sorted_map() {
        let mut m = ObjMap::new();
        assert_eq!(m.insert("b".into(), n(1.0)), None);
        assert_eq!(m.insert("a".into(), n(2.0)), None);
        assert_eq!(m.insert("c".into(), n(3.0)), None);
        assert_eq!(m.insert("a".into(), n(4.0)), Some(n(2.0)));
        let keys: Vec<&str> = m.keys().map(|k| k.as_ref()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(m.get("a"), Some(&n(4.0)));
        assert!(m.contains_key("c") && !m.contains_key("d"));
        assert_eq!(m.remove("b"), Some(n(1.0)));
        assert_eq!(m.len(), 2);
        *m.get_or_insert_with("d".into(), || n(0.0)) = n(5.0);
        assert_eq!(m.get("d"), Some(&n(5.0)));
    }

    /// Small maps are scanned, larger ones searched: both find every key, and only those.
    #[test]
    fn finds_keys_scanned_or_searched() {
        for size in [0, 1, 2, SCANNED - 1, SCANNED, SCANNED + 1, 3 * SCANNED] {
            let keys: Vec<String> = (0..size).map(|i| format!("k{}", i * 7 % 100)).collect();
            let mut m: ObjMap = keys
                .iter()
                .map(|k| (k.clone(), n(k.len() as f64)))
                .collect();
            for k in &keys {
                assert_eq!(m.get(k), Some(&n(k.len() as f64)), "{k} of {size}");
                assert!(m.contains_key(k));
                assert!(m.get_mut(k).is_some());
            }
            for absent in ["", "k", "k100", "j1", "l1", "k1x"] {
                assert!(!keys.iter().any(|k| k == absent));
                assert_eq!(m.get(absent), None, "{absent} of {size}");
                assert!(!m.contains_key(absent) && m.get_mut(absent).is_none());
            }
        }
    }

    #[test]
    fn collecting_sorts_and_keeps_the_last_of_equal_keys() {
        let m: ObjMap = [("z", n(1.0)), ("a", n(2.0)), ("z", n(3.0))]
            .into_iter()
            .collect();
        let entries: Vec<(&str, &Value)> = m.iter().map(|(k, v)| (k.as_ref(), v)).collect();
        assert_eq!(entries, [("a", &n(2.0)), ("z", &n(3.0))]);
    }
}
