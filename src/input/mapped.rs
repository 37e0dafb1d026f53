//! Plan files read through a memory map, and the pages of it given back once read.
//!
//! A plan of hundreds of megabytes was read into a buffer first: a copy of every byte (a fifth
//! of a second for 335 MB) and the whole file in the process's memory until the model was
//! built. Mapped, the file is read where the kernel already holds it, and the parts the reader
//! is done with are given back as it goes ([`Pages`]): `planned_values` once the instances are
//! gathered (`resource_changes` carries the same values), each resource's text once it is
//! decoded. Peak memory is then the model plus the part of the file still to be read.
//!
//! Only regular files are mapped; standard input, pipes and devices are read as before. A file
//! truncated by another process while pullpath maps it ends the process with `SIGBUS`, as for
//! every program that maps its input (ripgrep, git): inputs are files a CI job wrote, not files
//! being written.

use std::fs::File;
use std::ops::Range;

use memmap2::{Mmap, UncheckedAdvice};

/// Files smaller than this are read into a buffer: mapping them saves nothing.
pub const MAP_AT_LEAST: u64 = 1 << 20;

/// Maps `file` read-only.
pub fn map(file: &File) -> std::io::Result<Mmap> {
    // SAFETY: the mapping is read-only (a shared mapping of the file: its contents are the
    // file's, as the page cache holds them). The one hazard of a file mapping, another process
    // changing or truncating the file meanwhile, is the one every reader of mapped files
    // accepts (see the module's documentation); pullpath never writes to its inputs.
    unsafe { Mmap::map(file) }
}

/// Gives back pages of a mapped input that the reader will not read again. Text of the input
/// stays valid after its pages are given back: the mapping is read-only, so a page read again
/// is read again from the file (slower, never different). Giving back is thus only ever a
/// matter of memory and time, never of what is read.
#[derive(Clone, Copy)]
pub struct Pages<'a> {
    map: Option<&'a Mmap>,
}

impl<'a> Pages<'a> {
    /// For text that is not mapped: giving back does nothing.
    pub const NONE: Pages<'static> = Pages { map: None };

    pub fn of(map: &'a Mmap) -> Pages<'a> {
        Pages { map: Some(map) }
    }

    /// Whether giving back does anything (the text is mapped).
    pub fn is_mapped(&self) -> bool {
        self.map.is_some()
    }

    /// The byte range of `s` within the mapping, when it is text of the mapping.
    pub fn range_of(&self, s: &str) -> Option<Range<usize>> {
        let map = self.map?;
        let base = map.as_ptr() as usize;
        let start = (s.as_ptr() as usize).checked_sub(base)?;
        let end = start.checked_add(s.len())?;
        (end <= map.len()).then_some(start..end)
    }

    /// Gives back the whole pages inside `range` (offsets in the mapping). Partial pages at
    /// either end are kept: they hold text next to the range.
    pub fn release(&self, range: Range<usize>) {
        let Some(map) = self.map else {
            return;
        };
        let page = page_size();
        let start = range.start.div_ceil(page) * page;
        let end = (range.end.min(map.len()) / page) * page;
        if start >= end {
            return;
        }
        // SAFETY: `MADV_DONTNEED` on a read-only shared file mapping drops the pages from this
        // process; a later read of them faults the same file contents back in. No byte of the
        // mapping changes, so the `&str` borrowed from it stay valid.
        let _ =
            unsafe { map.unchecked_advise_range(UncheckedAdvice::DontNeed, start, end - start) };
    }

    /// Gives back every whole page outside `keep` (ranges of the mapping, in any order,
    /// overlapping or not).
    pub fn release_outside(&self, mut keep: Vec<Range<usize>>) {
        let Some(map) = self.map else {
            return;
        };
        keep.sort_by_key(|r| r.start);
        let mut from = 0;
        for r in keep {
            if r.start > from {
                self.release(from..r.start);
            }
            from = from.max(r.end);
        }
        if from < map.len() {
            self.release(from..map.len());
        }
    }
}

/// The size of a memory page: 4 KiB on x86-64 and most ARM machines. Where pages are larger,
/// memmap2 widens a range to whole pages and a little text next to it is given back too: it is
/// read again from the file if needed (see [`Pages`]).
fn page_size() -> usize {
    4096
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A file of `len` letters, removed when dropped, and its mapping.
    struct Mapped(std::path::PathBuf, Mmap);

    impl Drop for Mapped {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn mapped(name: &str, len: usize) -> Mapped {
        let path = std::env::temp_dir().join(format!("pullpath-{name}-{}", std::process::id()));
        let text: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
        File::create(&path).unwrap().write_all(&text).unwrap();
        let map = map(&File::open(&path).unwrap()).unwrap();
        Mapped(path, map)
    }

    #[test]
    fn text_given_back_reads_the_same() {
        let m = mapped("given-back", 5 * 4096 + 100);
        let map = &m.1;
        let text = std::str::from_utf8(map).unwrap();
        let before = text.to_string();
        let pages = Pages::of(map);
        pages.release(0..text.len());
        assert_eq!(text, before);
        pages.release_outside(vec![4096..4100, 3 * 4096 - 5..3 * 4096 + 7]);
        assert_eq!(text, before);
    }

    #[test]
    fn ranges_are_found_only_for_text_of_the_mapping() {
        let m = mapped("ranges", 10_000);
        let map = &m.1;
        let text = std::str::from_utf8(map).unwrap();
        let pages = Pages::of(map);
        assert_eq!(pages.range_of(&text[100..200]), Some(100..200));
        assert_eq!(pages.range_of("elsewhere"), None);
        assert_eq!(Pages::NONE.range_of(&text[1..2]), None);
        assert!(!Pages::NONE.is_mapped());
        Pages::NONE.release(0..10);
    }
}
