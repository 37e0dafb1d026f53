//! A fast hasher for the maps of one run ([`FastMap`], [`FastSet`]): the multiply-rotate scheme
//! of FxHash (Firefox, rustc), eight bytes a step, with the best-mixed high bits rotated down
//! at the end (hashbrown picks the bucket by the low bits).
//!
//! SipHash, the standard library's default, resists hash flooding (HashDoS): an attacker who
//! chooses the keys cannot make them collide without knowing a per-process secret. Here the
//! keys are addresses, ids and names from the input, which may come from a pull request, but
//! pullpath is a one-shot command whose input is bounded by the file it is given: colliding
//! keys make a probe longer in proportion to the collisions, never unbounded, and no server
//! stays up for a second request. The worst case is a slower run on a large crafted file, which
//! the author of that file could cause as well by making the file larger. SipHash costs about
//! three times as much over a long address, which the graph hashes many times per resource.
//!
//! The order of a map with this hasher is as arbitrary as with any other: nothing iterates one
//! into output without sorting first.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A `HashSet` with [`FastHasher`].
pub type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// An empty [`FastMap`] with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

/// FxHash's constant (from the fractional digits of π, odd).
const K: u64 = 0x517c_c1b7_2722_0a95;

/// The FxHash step over 64-bit words (see the module documentation).
#[derive(Clone, Copy, Default)]
pub struct FastHasher {
    hash: u64,
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length in the top byte: "a" and "a\0" differ.
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The multiply carries upward only: the high bits depend on every input bit, the low
        // ones (hashbrown's bucket index) on few of the last word's.
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash + ?Sized>(t: &T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(t)
    }

    #[test]
    fn equal_keys_hash_equal_and_near_keys_differ() {
        assert_eq!(hash("aws_vpc.main"), hash(&"aws_vpc.main".to_string()));
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(hash(&(1usize, "a")), hash(&(1usize, "b")));
        // Addresses that differ in one character in the middle, in the low bits that pick the
        // bucket of a map of 2^16 entries.
        let mut low = FastSet::default();
        for n in 0..10_000 {
            let a = format!("module.vpc[\"vpc-{n:05}\"].aws_vpc_endpoint.ecr_dkr");
            low.insert(hash(a.as_str()) & 0xffff);
        }
        assert!(low.len() > 8_000, "{} distinct buckets", low.len());
        let mut low = FastSet::default();
        for n in 0..10_000usize {
            low.insert(hash(&n) & 0xffff);
        }
        assert_eq!(low.len(), 10_000);
    }

    #[test]
    fn maps_work() {
        let mut m: FastMap<String, usize> = map_with_capacity(4);
        m.insert("x".into(), 1);
        assert_eq!(m.get("x"), Some(&1));
        assert_eq!(m.get("y"), None);
    }
}
