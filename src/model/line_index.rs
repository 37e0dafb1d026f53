//! Byte offsets to 1-based lines and columns: the one line index of the crate (HCL syntax
//! errors, block and attribute locations, suppression comments, `.tf.json` positions,
//! `.tfvars` values, `.pullpath.hcl` settings, the first byte of a file that is not UTF-8, and
//! the positions in plan and state JSON errors, through [`locate_once`]).

/// Line starts of a text, for turning byte offsets into line and column.
pub struct LineIndex {
    /// The byte offset where each line starts (the first is 0).
    starts: Vec<usize>,
    /// The length of the text in bytes.
    len: usize,
}

impl LineIndex {
    /// The index of a text.
    pub fn new(src: &str) -> Self {
        Self::from_bytes(src.as_bytes())
    }

    /// The index of bytes that may not be valid UTF-8 (lines end at `\n` all the same).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut starts = vec![0];
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            len: bytes.len(),
        }
    }

    /// The 0-based line that holds a byte offset (clamped to the end of the text) and where it
    /// starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        (line, self.starts[line])
    }

    /// 1-based line and column (in characters) of a byte offset in `src`, the text the index
    /// was made of. An offset past the end is the end; an offset inside a character counts
    /// the bytes from the line's start.
    pub fn locate(&self, src: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(src.len());
        let (line, start) = self.line_of(offset);
        (line as u32 + 1, column(src, start, offset))
    }

    /// 1-based line and column (in bytes) of a byte offset, for text that is not valid UTF-8
    /// (where characters cannot be counted). An offset past the end is the end.
    pub fn locate_byte(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.len);
        let (line, start) = self.line_of(offset);
        (line as u32 + 1, (offset - start) as u32 + 1)
    }

    /// How many lines the text has (a text ending with a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The text of a 0-based line of `src`, without its line break.
    pub fn line<'s>(&self, src: &'s str, i: usize) -> &'s str {
        let start = self.starts[i];
        let end = self.starts.get(i + 1).map_or(src.len(), |&e| e);
        src.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// 1-based column (in characters) of byte `offset` on the line that starts at byte `start`; an
/// offset inside a character counts the bytes from the line's start.
fn column(src: &str, start: usize, offset: usize) -> u32 {
    let col = src
        .get(start..offset)
        .map_or(offset - start, |s| s.chars().count());
    col as u32 + 1
}

/// 1-based line and column (in characters) of a byte offset in `src`, for a caller that asks
/// once (an error in a plan of hundreds of megabytes): the same answer as
/// [`LineIndex::locate`], found by scanning only the text before the offset, with no index built.
pub fn locate_once(src: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(src.len());
    let before = &src.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line as u32 + 1, column(src, start, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters() {
        let src = "a = 1\nb = \"é\" # x\n";
        let ix = LineIndex::new(src);
        assert_eq!(ix.locate(src, 0), (1, 1));
        let off = src.find('#').unwrap();
        assert_eq!(ix.locate(src, off), (2, 9));
    }

    #[test]
    fn byte_columns_for_text_that_is_not_utf8() {
        let bytes = b"a = 1\n\xc3\xa9 = \xff\n";
        let ix = LineIndex::from_bytes(bytes);
        assert_eq!(ix.locate_byte(0), (1, 1));
        assert_eq!(ix.locate_byte(6), (2, 1));
        // After a two-byte character: its bytes count.
        assert_eq!(ix.locate_byte(11), (2, 6));
        assert_eq!(ix.line_count(), 3);
        assert_eq!(ix.locate_byte(99), (3, 1));
    }

    #[test]
    fn locate_once_answers_as_the_index() {
        let src = "{\n  \"é\": [\n\n x\u{1F600}y\n";
        let ix = LineIndex::new(src);
        for offset in (0..=src.len() + 2).filter(|&o| o > src.len() || src.is_char_boundary(o)) {
            assert_eq!(locate_once(src, offset), ix.locate(src, offset), "{offset}");
        }
        assert_eq!(locate_once(src, src.find('y').unwrap()), (4, 4));
    }
}
