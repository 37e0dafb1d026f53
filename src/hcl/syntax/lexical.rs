//! The lexical rules the scans of this module share with the parser: templates' `${` / `%{`
//! and their escapes, heredoc starts, line ends and identifier bytes.

/// What starts at `i` in a quoted string or a heredoc: a template's `${` / `%{`, or its escaped
/// form `$${` / `%%{` (literal text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TemplateMark {
    /// `$${` or `%%{`: 3 bytes of text.
    Escaped,
    /// `${` or `%{`: an interpolation or a directive opens (2 bytes).
    Open,
}

/// The [`TemplateMark`] at `i`, if one starts there.
pub(super) fn template_mark(b: &[u8], i: usize) -> Option<TemplateMark> {
    let c = *b.get(i)?;
    if c != b'$' && c != b'%' {
        return None;
    }
    match (b.get(i + 1).copied(), b.get(i + 2).copied()) {
        (Some(n), Some(b'{')) if n == c => Some(TemplateMark::Escaped),
        (Some(b'{'), _) => Some(TemplateMark::Open),
        _ => None,
    }
}

/// The offset of the line break that ends the line holding `from` (the end of the text when
/// there is none).
pub(super) fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| from + p)
}

/// A heredoc's start at `i` (`<<EOT` or `<<-EOT`, then a line break): its delimiter and the
/// offset of the line break.
pub(super) fn heredoc_start(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let name = j;
    if !b
        .get(j)
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c >= 0x80)
    {
        return None;
    }
    while b.get(j).is_some_and(|&c| is_ident_byte(c)) {
        j += 1;
    }
    let newline = if b.get(j) == Some(&b'\r') { j + 1 } else { j };
    (b.get(newline) == Some(&b'\n')).then(|| (&b[name..j], newline))
}

/// A byte that can continue an identifier. Non-ASCII bytes count as such: where the parser
/// sees none (`EOT…`), its heredoc ends there but no expression goes on with that character, so
/// the parser reads no further than the guard.
pub(super) fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c >= 0x80
}
