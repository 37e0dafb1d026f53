//! Number literals a 64-bit float cannot hold (`1e400`, `1e-400`): the nesting guard finds
//! them, they are written as identifiers of the same length before parsing, and the evaluator
//! turns such a name back into the literal ([`big_number`]) and an unknown number that says why.

/// Whether the digit at `i` starts a number literal rather than continuing an identifier
/// (`a1`, `x-1`), a legacy index (`list.0`) or another literal.
pub(super) fn starts_number(b: &[u8], i: usize) -> bool {
    match i.checked_sub(1).map(|p| b[p]) {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c >= 0x80 => false,
        Some(b'-') => !i
            .checked_sub(2)
            .is_some_and(|p| b[p].is_ascii_alphabetic() || b[p] == b'_'),
        Some(_) => true,
    }
}

/// The end of the number literal that starts at `i` (hcl-edit's grammar: digits, then an
/// optional `.digits`, then an optional exponent `e`/`E`, sign, digits).
pub(super) fn literal_end(b: &[u8], i: usize) -> usize {
    let digits = |mut j: usize| {
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    let mut j = digits(i);
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j = digits(j + 1);
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        let k = if matches!(b.get(j + 1), Some(b'+' | b'-')) {
            j + 2
        } else {
            j + 1
        };
        if b.get(k).is_some_and(u8::is_ascii_digit) {
            j = digits(k);
        }
    }
    j
}

/// Whether a number literal is one a 64-bit float cannot hold: it overflows (`1e400`, which
/// hcl-edit then refuses as a syntax error) or a non-zero one rounds to zero (`1e-400`, which
/// would silently become 0).
pub(super) fn unrepresentable(lit: &str) -> bool {
    let Ok(f) = lit.parse::<f64>() else {
        return false;
    };
    let mantissa = lit.split(['e', 'E']).next().unwrap_or(lit);
    !f.is_finite() || (f == 0.0 && mantissa.bytes().any(|c| (b'1'..=b'9').contains(&c)))
}

/// The text with each unrepresentable number literal replaced by an identifier of the same
/// length (so that every position stays where it was), which [`big_number`] turns back into the
/// literal: the first digit `d` becomes the letter `A + d`, `.` and an exponent's `+` become `_`,
/// the rest stays (`1.5e+400` -> `B_5e_400`). The evaluator makes such a name an unknown
/// number that says why. Cost: nothing when there is none (the text is borrowed).
pub(super) fn with_big_numbers<'s>(
    src: &'s str,
    big: &[std::ops::Range<usize>],
) -> std::borrow::Cow<'s, str> {
    if big.is_empty() {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut out = src.as_bytes().to_vec();
    for r in big {
        for (k, c) in out[r.clone()].iter_mut().enumerate() {
            *c = match *c {
                d @ b'0'..=b'9' if k == 0 => b'A' + (d - b'0'),
                b'.' | b'+' => b'_',
                other => other,
            };
        }
    }
    // Only ASCII bytes of ASCII literals changed, to ASCII.
    std::borrow::Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The number literal a name made by [`with_big_numbers`] stands for, if it is one.
pub(crate) fn big_number(name: &str) -> Option<String> {
    let b = name.as_bytes();
    let first = *b.first()?;
    if !(b'A'..=b'J').contains(&first) {
        return None;
    }
    let mut lit = String::with_capacity(b.len());
    lit.push(char::from(b'0' + (first - b'A')));
    let mut exponent = false;
    for &c in &b[1..] {
        lit.push(match c {
            b'0'..=b'9' | b'-' => char::from(c),
            b'e' | b'E' => {
                exponent = true;
                char::from(c)
            }
            b'_' if exponent => '+',
            b'_' => '.',
            _ => return None,
        });
    }
    // Only a literal of the grammar that a float cannot hold was rewritten.
    (literal_end(lit.as_bytes(), 0) == lit.len() && unrepresentable(&lit)).then_some(lit)
}
