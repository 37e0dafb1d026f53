//! Notes on the input: what could not be read, deduplicated and bounded.

/// Notes for the input: what could not be read, deduplicated and bounded.
#[derive(Default)]
pub(crate) struct Notes {
    pub list: Vec<String>,
    seen: std::collections::HashSet<String>,
    dropped: usize,
}

impl Notes {
    const MAX: usize = 200;

    pub fn push(&mut self, n: String) {
        if self.seen.contains(&n) {
            return;
        }
        if self.list.len() >= Self::MAX {
            self.dropped += 1;
            return;
        }
        self.seen.insert(n.clone());
        self.list.push(n);
    }

    pub fn finish(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.list
                .push(format!("… and {} more notes like these", self.dropped));
        }
        self.list
    }
}
