//! The headings of markdown documents and the anchors GitHub gives them, for the tests that
//! check links into the repository's documents.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// The headings of a markdown document: level, text (as rendered: code spans by their content,
/// no emphasis marks) and GitHub's anchor, in order.
pub fn headings(md: &str) -> Vec<(HeadingLevel, String, String)> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut current: Option<(HeadingLevel, String)> = None;
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = current.take() {
                    let anchor = github_anchor(&text, &mut seen);
                    out.push((level, text, anchor));
                }
            }
            _ => {}
        }
    }
    out
}

/// GitHub's heading anchor (github-slugger): the text lowercased, every character that is not
/// a letter, digit, `_`, `-` or space dropped, spaces turned into `-`; a repeated anchor gets
/// `-1`, `-2`, … in order.
pub fn github_anchor(text: &str, seen: &mut BTreeMap<String, usize>) -> String {
    let base: String = text
        .to_lowercase()
        .chars()
        .filter(|&c| c.is_alphanumeric() || c == '_' || c == '-' || c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect();
    let mut anchor = base.clone();
    while let Some(n) = seen.get(&anchor).copied() {
        let next = n + 1;
        seen.insert(anchor.clone(), next);
        anchor = format!("{base}-{next}");
    }
    seen.insert(anchor.clone(), 0);
    anchor
}
