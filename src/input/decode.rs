//! Turns the bytes of an input file into UTF-8 text, and finds the JSON document inside text
//! that CI wrappers decorated.
//!
//! Real files carry byte-order marks (UTF-8 from editors, UTF-16LE from PowerShell's `>`), and
//! hashicorp/setup-terraform's wrapper prints a `[command]…` line before the JSON and
//! `::set-output …` lines after it. These are tolerated and noted; anything else is an error.

use std::borrow::Cow;

use anyhow::{bail, Result};

use crate::model::line_index::locate_once;

/// Decoded text and what was tolerated on the way.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub notes: Vec<String>,
}

/// Decodes UTF-8 or UTF-16 (LE/BE, with or without a byte-order mark). UTF-8 input is taken
/// over without a copy, owned or borrowed (a mapped file): plans can be hundreds of megabytes.
pub fn decode<'a>(bytes: impl Into<Cow<'a, [u8]>>) -> Result<Decoded<'a>> {
    let bytes = bytes.into();
    let mut notes = Vec::new();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        bail!("the file is empty: expected a Terraform plan or state in JSON (`terraform show -json`)");
    }
    let text = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        notes.push("skipped a UTF-8 byte-order mark".to_string());
        utf8(match bytes {
            Cow::Borrowed(b) => Cow::Borrowed(&b[3..]),
            Cow::Owned(mut b) => {
                b.drain(..3);
                Cow::Owned(b)
            }
        })?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        notes.push("decoded UTF-16LE (byte-order mark)".to_string());
        Cow::Owned(utf16(rest, false)?)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        notes.push("decoded UTF-16BE (byte-order mark)".to_string());
        Cow::Owned(utf16(rest, true)?)
    } else if bytes.len() >= 2 && bytes[0] != 0 && bytes[1] == 0 {
        // ASCII text in UTF-16LE without a mark: every second byte is zero.
        notes.push("decoded UTF-16LE (no byte-order mark)".to_string());
        Cow::Owned(utf16(&bytes, false)?)
    } else if bytes.len() >= 2 && bytes[0] == 0 && bytes[1] != 0 {
        notes.push("decoded UTF-16BE (no byte-order mark)".to_string());
        Cow::Owned(utf16(&bytes, true)?)
    } else {
        utf8(bytes)?
    };
    if let Some(pos) = find_nul(text.as_bytes()) {
        let (line, col) = locate_once(&text, pos);
        bail!("binary data (a NUL character at line {line}, column {col}): expected JSON text");
    }
    Ok(Decoded { text, notes })
}

/// The first NUL byte. Blocks of 64 bytes are tested whole (the compiler turns the test into
/// vector instructions: a few times faster than a byte search over a plan of hundreds of
/// megabytes, which has none); the block that has one is searched byte by byte.
fn find_nul(bytes: &[u8]) -> Option<usize> {
    let mut blocks = bytes.chunks_exact(64);
    let at = blocks
        .by_ref()
        .position(|b| b.iter().fold(false, |any, &x| any | (x == 0)))
        .map_or(bytes.len() - blocks.remainder().len(), |i| i * 64);
    bytes[at..].iter().position(|&x| x == 0).map(|i| at + i)
}

fn utf8<'a>(bytes: Cow<'a, [u8]>) -> Result<Cow<'a, str>> {
    let checked = match bytes {
        Cow::Borrowed(b) => std::str::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|e| (e, Cow::Borrowed(b))),
        Cow::Owned(b) => String::from_utf8(b)
            .map(Cow::Owned)
            .map_err(|e| (e.utf8_error(), Cow::Owned(e.into_bytes()))),
    };
    checked.map_err(|(e, bytes)| {
        let valid = e.valid_up_to();
        // The prefix up to `valid` was just checked.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
        let (line, col) = locate_once(prefix, prefix.len());
        anyhow::anyhow!(
            "not valid UTF-8 at byte {valid} (line {line}, column {col}): expected UTF-8 or UTF-16 text"
        )
    })
}

fn utf16(bytes: &[u8], big_endian: bool) -> Result<String> {
    if !bytes.len().is_multiple_of(2) {
        bail!(
            "looks like UTF-16 but has an odd number of bytes ({}): the file is truncated or not text",
            bytes.len()
        );
    }
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, r) in char::decode_utf16(units).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => {
                let (line, col) = locate_once(&out, out.len());
                bail!(
                    "invalid UTF-16 (an unpaired surrogate at code unit {i}, line {line}, column {col})"
                );
            }
        }
    }
    Ok(out)
}

/// Where the JSON document starts: the first line that begins with `{` (after blanks). Lines
/// before it are wrapper noise. Returns the byte offset and the number of lines skipped.
pub fn json_start(text: &str) -> Result<(usize, usize)> {
    // Only the start of each line is looked at: `terraform show -json` writes the whole
    // document on one line, and finding that line's end would cross the whole file.
    let mut offset = 0;
    let mut n = 0;
    while offset < text.len() {
        let line = &text[offset..];
        // As `trim_start` of the line (a line's own newline is its last character).
        let trimmed = line.trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
        if trimmed.starts_with('{') {
            return Ok((offset, n));
        }
        match trimmed.find('\n') {
            Some(i) => offset = text.len() - trimmed.len() + i + 1,
            None => break,
        }
        n += 1;
    }
    let first = text.lines().next().unwrap_or("").trim();
    let shown: String = first.chars().take(60).collect();
    bail!("no JSON object found (the first line is `{shown}`): expected a Terraform plan or state from `terraform show -json`")
}

/// The deepest JSON nesting read, as serde_json's own recursion limit.
pub const MAX_JSON_DEPTH: usize = 128;

/// Refuses JSON nested deeper than [`MAX_JSON_DEPTH`] anywhere in `text`, also inside the parts
/// that are only skipped (serde_json skips a value without counting its depth, so a 100,000-deep
/// object under `planned_values` would otherwise pass unnoticed). One pass over the bytes;
/// strings are stepped over, so brackets inside them do not count. The scan starts at byte
/// `from` (where the document starts, after wrapper noise); positions are in the whole text.
pub fn check_nesting(text: &str, from: usize) -> Result<()> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // To the closing quote, stepping over escapes. Most of a plan's bytes are in
                // strings: they are crossed eight at a time while none is a quote or a
                // backslash.
                i += 1;
                loop {
                    while let Some(chunk) = bytes.get(i..i + 8) {
                        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
                        let m = zero_byte(w ^ (LOW_BYTES * u64::from(b'"')))
                            | zero_byte(w ^ (LOW_BYTES * u64::from(b'\\')));
                        if m != 0 {
                            i += (m.trailing_zeros() / 8) as usize;
                            break;
                        }
                        i += 8;
                    }
                    match bytes.get(i) {
                        None | Some(b'"') => break,
                        Some(b'\\') => i += 2,
                        Some(_) => i += 1,
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    let (line, column) = locate_once(text, i);
                    bail!(
                        "line {line}, column {column}: JSON nested deeper than {MAX_JSON_DEPTH} \
                         levels (recursion limit exceeded); no plan or state is nested this deep"
                    );
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// 0x01 in every byte of a word.
const LOW_BYTES: u64 = 0x0101_0101_0101_0101;

/// A word whose lowest zero byte (and perhaps others above it) has its high bit set; zero when
/// no byte of `w` is zero. The lowest flagged byte is always a zero byte of `w`.
fn zero_byte(w: u64) -> u64 {
    w.wrapping_sub(LOW_BYTES) & !w & (LOW_BYTES << 7)
}

/// Checks what follows the JSON document: nothing, or wrapper noise (`%0A`, `::set-output` lines).
/// Another JSON document is an error: two plans in one file are not one plan.
pub fn check_trailer(trailer: &str, line: u32) -> Result<Option<String>> {
    let t = trailer.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.starts_with('{') || t.starts_with('[') {
        bail!("line {line}: a second JSON document follows the first; give one plan or state per file");
    }
    // `::debug::…`, `::set-output …`: GitHub Actions workflow commands from the wrapper.
    let workflow_command = t.starts_with("::");
    if let Some(c) = t
        .chars()
        .next()
        .filter(|c| matches!(c, '}' | ']' | ',' | ':' | '"') && !workflow_command)
    {
        bail!("line {line}: invalid JSON: unexpected `{c}` after the end of the document (unbalanced braces?)");
    }
    let shown: String = t.lines().next().unwrap_or("").chars().take(40).collect();
    Ok(Some(format!(
        "ignored text after the JSON document (line {line}: `{shown}`), as printed by CI wrappers"
    )))
}

#[cfg(test)]
mod tests {

    #[test]
    fn nesting_steps_over_strings_with_escapes_at_every_offset() {
        let deep = "[".repeat(MAX_JSON_DEPTH + 1);
        for k in 0..24 {
            let pad = "a".repeat(k);
            // Brackets inside a string (after an escaped quote and backslash) do not count.
            let inside = format!("{{\"k\": \"{pad}\\\"\\\\{deep}\"}}");
            assert!(check_nesting(&inside, 0).is_ok(), "{inside}");
            // The same brackets after the string do.
            let outside = format!("{{\"k\": [\"{pad}\\\"\\\\\", {deep}]}}");
            assert!(check_nesting(&outside, 0).is_err(), "{outside}");
        }
    }

    use super::*;

    #[test]
    fn nesting_is_counted_everywhere_but_inside_strings() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(check_nesting(&deep(MAX_JSON_DEPTH), 0).is_ok());
        let e = check_nesting(&format!("{{\"a\":\n{}}}", deep(MAX_JSON_DEPTH)), 0)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("line 2, column 128: JSON nested deeper"),
            "{e}"
        );
        let in_string = format!("{{\"a\": \"{}\\\"{}\"}}", "[".repeat(500), "{".repeat(500));
        assert!(check_nesting(&in_string, 0).is_ok());
    }

    #[test]
    fn decodes_utf16le_with_and_without_bom() {
        let s = "{\"a\":1}";
        let mut le: Vec<u8> = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(le.clone()).unwrap().text, s);
        assert_eq!(decode(le[2..].to_vec()).unwrap().text, s);
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(be).unwrap().text, s);
    }

    #[test]
    fn rejects_empty_binary_and_bad_utf8() {
        assert!(decode(b"".to_vec()).is_err());
        assert!(decode(b"  \n".to_vec()).is_err());
        let e = decode(b"{\"a\":\n\"\xff\"}".to_vec())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2"), "{e}");
        assert!(decode(b"{\0\0\0\0}".to_vec()).is_err());
    }

    #[test]
    fn finds_the_first_line_that_starts_an_object() {
        for (text, expected) in [
            ("{}", Some((0, 0))),
            ("  \t{}", Some((0, 0))),
            ("\n\n{", Some((2, 2))),
            ("x\r\n \u{a0}{", Some((3, 1))),
            ("[1]\n  \n\u{2003}{\"a\":1}\n", Some((7, 2))),
            ("a{\nb\n", None),
            ("", None),
            ("\n \n", None),
        ] {
            assert_eq!(json_start(text).ok(), expected, "{text:?}");
        }
    }

    #[test]
    fn finds_nul_bytes_in_every_block_position() {
        for len in [0, 1, 63, 64, 65, 200] {
            let mut bytes = vec![b'a'; len];
            assert_eq!(find_nul(&bytes), None);
            for at in 0..len {
                bytes[at] = 0;
                assert_eq!(find_nul(&bytes), Some(at), "{len} {at}");
                bytes[at] = b'a';
            }
        }
    }

    #[test]
    fn finds_json_after_wrapper_lines() {
        let text = "[command]/tmp/terraform-bin show -json plan\n{\"a\":1}%0A\n::set-output name=exitcode::0\n";
        let (start, skipped) = json_start(text).unwrap();
        assert_eq!(skipped, 1);
        assert!(text[start..].starts_with('{'));
        assert!(check_trailer("%0A\n::set-output x", 2).unwrap().is_some());
        assert!(check_trailer("\n {\"b\":2}", 2).is_err());
        assert!(check_trailer("\n::debug::Terraform exited with code 0.", 2)
            .unwrap()
            .is_some());
        assert!(check_trailer("}}\n", 2).is_err());
    }
}
