//! Parts of a document not known before apply.
//!
//! A policy written in HCL often refers to resources (`Resource = aws_ecr_repository.app.arn`).
//! Before apply such a value is not known, but the rest of the document is; dropping the whole
//! document would lose what it does say. The reader puts a marker string where a value is not
//! known, and the evaluator treats a marker as "some value": a pattern that is a marker matches
//! that same marker (a statement about `aws_ecr_repository.app.arn` is about it) and maybe
//! anything else; a condition value that is a marker makes its condition undecided.

const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

/// The marker for a value not known before apply, `what` saying which (`aws_s3_bucket.app.arn`).
pub fn unknown_text(what: &str) -> String {
    format!("{OPEN}{what}{CLOSE}")
}

/// Whether a string holds a part not known before apply.
pub fn is_unknown(s: &str) -> bool {
    s.contains(OPEN)
}

/// The document text as users read it: each marker as a Terraform interpolation.
pub fn display_unknowns(s: &str) -> String {
    if !s.contains(OPEN) {
        return s.to_string();
    }
    s.replace(OPEN, "${").replace(CLOSE, "}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_for_display() {
        let m = format!("{}/*", unknown_text("aws_s3_bucket.app.arn"));
        assert!(is_unknown(&m));
        assert_eq!(display_unknowns(&m), "${aws_s3_bucket.app.arn}/*");
        assert!(!is_unknown("arn:aws:s3:::app/*"));
    }
}
