//! Reading a configuration file: bounded in size, UTF-8 (a byte-order mark dropped), and an
//! error naming the line and column of the first byte that is not.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use crate::model::line_index::LineIndex;

/// Files larger than this are refused (a configuration file is never this large; a mistaken
/// binary or generated dump would only waste memory).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file as UTF-8 text (a byte-order mark is dropped).
pub(crate) fn read_text(path: &Path, shown: &str) -> Result<String> {
    let bytes = read_bounded(path).with_context(|| format!("{shown}: cannot read"))?;
    decode_text(bytes, shown)
}

/// Reads at most [`MAX_FILE_BYTES`] of a file; a larger file is an error. The size is counted
/// while reading, not taken from the metadata, which says 0 for devices and pipes.
pub(crate) fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        bail!("the file is larger than the {MAX_FILE_BYTES} bytes pullpath reads");
    }
    Ok(bytes)
}

/// The text of an HCL file: UTF-8, as Terraform and OpenTofu require (a UTF-8 byte-order mark
/// is dropped). Anything else is refused with the position of the first bad byte; a UTF-16
/// file (as PowerShell's `>` writes) is named as such.
pub(crate) fn decode_text(bytes: Vec<u8>, shown: &str) -> Result<String> {
    for (bom, encoding) in [(&[0xFF, 0xFE], "UTF-16LE"), (&[0xFE, 0xFF], "UTF-16BE")] {
        if bytes.starts_with(bom) {
            bail!(
                "{shown}:1:1: the file is not valid UTF-8: it is {encoding} text (it starts with a \
                 {encoding} byte-order mark); save it as UTF-8"
            );
        }
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, col) = LineIndex::from_bytes(e.as_bytes()).locate_byte(offset);
        anyhow!("{shown}:{line}:{col}: the file is not valid UTF-8 (at byte {offset}); save it as UTF-8")
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}
