//! The two readers of a plan's top level agree: for any text, the fast one (`skim`, with its
//! large sections read ahead on other threads and without) builds the same document as the
//! general one (serde_json with the nesting check) and ends at the same place, or gives up;
//! it never reads what the general one refuses. The same for the fast reader of a
//! `configuration` section against serde_json, on the document's own section and on the
//! whole text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pullpath::input::decode::check_nesting;
use pullpath::input::tfjson::Configuration;
use pullpath::input::{fuzz_both_paths, fuzz_configuration};

fn configurations_agree(text: &str) {
    let fast = fuzz_configuration(text);
    let general = serde_json::from_str::<Configuration<'_>>(text);
    match (fast, general) {
        // `Configuration` has no `PartialEq`: `Debug` shows every field.
        (Some(fast), Ok(general)) => {
            assert_eq!(
                format!("{fast:?}"),
                format!("{general:?}"),
                "configuration differs"
            )
        }
        (Some(fast), Err(e)) => panic!("fast configuration {fast:?} where serde refuses: {e}"),
        (None, _) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut read = None;
    let mut outcomes = Vec::new();
    for split in [false, true] {
        let (fast, general) = fuzz_both_paths(text, split);
        outcomes.push(fast.is_some());
        match (fast, general) {
            (Some((doc, end)), Ok((expected, expected_end))) => {
                assert_eq!(doc, expected, "documents differ (split: {split})");
                assert_eq!(end, expected_end, "ends differ (split: {split})");
                read = Some(doc);
            }
            // The general path checks the nesting of what follows the document too; after
            // the fast one, the reader checks it (`plan::load_with`): the same error.
            (Some((_, end)), Err(_)) if check_nesting(text, end).is_err() => {}
            (Some((doc, _)), Err(e)) => {
                panic!("the fast path read {doc:?} where the general one refuses ({e:#}), split: {split}")
            }
            (None, _) => {}
        }
    }
    // Read ahead or not, the same outcome.
    assert_eq!(
        outcomes[0], outcomes[1],
        "read with the split or without it only"
    );
    if let Some(raw) = read.and_then(|doc| doc.configuration) {
        configurations_agree(raw.get());
    }
    configurations_agree(text);
});
