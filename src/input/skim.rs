//! The fast path of the top-level parse: one pass over the document that builds the
//! [`Document`] (addresses, borrowed slices of the attribute objects) and checks, as it crosses
//! them, that every value it does not read is valid JSON nested no deeper than
//! [`MAX_JSON_DEPTH`].
//!
//! The general path is serde_json's deserializer for [`Document`] with the nesting checked by
//! [`decode::check_nesting`] beside it: two passes over the whole file, and serde_json crosses
//! an unread value (most of a plan: `planned_values`, the attribute objects) at about three
//! times the cost of a scan that only has to find its end. Here a value is crossed once, with
//! its strings stepped over eight bytes at a time.
//!
//! The fast path never reports an error. It gives up ([`document`] returns `None`) on anything
//! serde_json could refuse or read otherwise: invalid JSON, nesting too deep, a value of
//! another type than the field's, a duplicate field, a field name spelled with escapes. The
//! caller then runs the general path, which produces the error with its line and column, so
//! every message stays what it was; on valid input both paths build the same [`Document`]
//! (tests compare them on every plan of the test data and on thousands of damaged ones).
//!
//! [`decode::check_nesting`]: super::decode::check_nesting

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::decode::MAX_JSON_DEPTH;
use super::tfjson::{
    Actions, Change, ConfigModule, ConfigResource, Configuration, Document, Expr, Exprs, JsonStr,
    Module, ModuleCall, Output, ProviderConfig, Raw, ResourceChange, ShowState, StateResource,
    StateValues, Variable,
};

/// Reads the document at the start of `body` (leading whitespace allowed): the document and
/// the byte offset just after it, or `None` when the general path must decide.
pub(crate) fn document(body: &str) -> Option<(Document<'_>, usize)> {
    read_document(body, body.len() >= SPLIT_AT_LEAST)
}

/// Exists for the fuzz target `fuzz/fuzz_targets/skim_agree.rs` only (not an API; nothing
/// else calls it): the fast path of the top-level parse on `body`, its large sections read
/// ahead where `split` (whatever the size), and the general path on the same text; the fast
/// reader of a `configuration` section is [`fuzz_configuration`].
#[doc(hidden)]
pub fn fuzz_both_paths(body: &str, split: bool) -> (Option<Read<'_>>, anyhow::Result<Read<'_>>) {
    (
        read_document(body, split),
        super::plan::parse_document(body, 0, 0),
    )
}

/// A document read, and the offset just after it.
#[doc(hidden)]
pub type Read<'a> = (Document<'a>, usize);

/// Exists for the fuzz target `fuzz/fuzz_targets/skim_agree.rs` only (not an API): the fast
/// reader of a `configuration` section ([`configuration`]).
#[doc(hidden)]
pub fn fuzz_configuration(text: &str) -> Option<Configuration<'_>> {
    configuration(text)
}

/// [`document`], its large sections read beside each other where `split`.
fn read_document(body: &str, split: bool) -> Option<(Document<'_>, usize)> {
    let mut ahead = if split { read_ahead(body) } else { Vec::new() };
    let mut p = Skim::new(body);
    p.space();
    let doc = p.document(&mut ahead)?;
    Some((doc, p.at))
}

/// From this size on, the large sections of a plan are read beside each other.
const SPLIT_AT_LEAST: usize = 1 << 20;

/// The large sections of a plan, the largest first, as Terraform writes their start (with the
/// first field of an object where the name alone is a common attribute name: `configuration`
/// is also an ECS cluster's block).
const SECTIONS: &[SectionKey] = &[
    (Section::Changes, b"\"resource_changes\":", &[b"["]),
    (Section::Planned, b"\"planned_values\":", &[b"{"]),
    (Section::Prior, b"\"prior_state\":", &[b"{"]),
    (
        Section::Configuration,
        b"\"configuration\":",
        &[b"{\"provider_config\":", b"{\"root_module\":"],
    ),
];

/// A section, its key, and how its value may start.
type SectionKey = (Section, &'static [u8], &'static [&'static [u8]]);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    Planned,
    Changes,
    Prior,
    Configuration,
}

/// A section read ahead: its value, and where it ends.
enum Part<'a> {
    Planned(Option<StateValues<'a>>),
    Changes(Option<Vec<ResourceChange<'a>>>),
    Prior(Option<ShowState<'a>>),
    Configuration(Option<Raw<'a>>),
}

/// Sections read ahead, by where their value starts: `None` where the reading gave up.
type Ahead<'a> = Vec<(usize, Option<(Part<'a>, usize)>)>;

/// Reads the large sections of a plan on all cores, each from where its key first appears
/// (found by the thread that reads it, in [`SECTIONS`]' order: the largest first in plans as
/// Terraform writes them). A key cannot be inside a string (its quotes would be escaped), but
/// it can be an object's key deeper down: a section read ahead is taken only where the
/// document's own key is found at the same place ([`Skim::document`]); else it is read in
/// order.
fn read_ahead(body: &str) -> Ahead<'_> {
    let bytes = body.as_bytes();
    let start_of = |&(_, key, openings): &SectionKey| -> Option<usize> {
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(&bytes[from..], key) {
            let value = from + i + key.len();
            if openings.iter().any(|o| bytes[value..].starts_with(o)) {
                return Some(value);
            }
            from = value;
        }
        None
    };
    let read_one = |at: usize, section: Section| -> Option<(Part<'_>, usize)> {
        let mut p = Skim::new(body);
        p.at = at;
        p.depth = 1;
        let part = match section {
            Section::Planned => Part::Planned(p.optional(Skim::state_values)?),
            Section::Changes => Part::Changes(p.optional(|p| p.array(Skim::resource_change))?),
            Section::Prior => Part::Prior(p.optional(Skim::show_state)?),
            Section::Configuration => Part::Configuration(p.optional_raw()?),
        };
        Some((part, p.at))
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(section) = SECTIONS.get(i) else {
                return out;
            };
            if let Some(at) = start_of(section) {
                out.push((at, read_one(at, section.0)));
            }
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(SECTIONS.len());
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mut all = worker();
        for handle in others {
            match handle.join() {
                Ok(read) => all.extend(read),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    })
}

/// The section read ahead from `at`, if any: `Some(None)` where its reading gave up.
fn take_ahead<'a>(ahead: &mut Ahead<'a>, at: usize) -> Option<Option<(Part<'a>, usize)>> {
    let i = ahead.iter().position(|(from, _)| *from == at)?;
    Some(ahead.swap_remove(i).1)
}

/// 0x01 in every byte of a word.
const LOW: u64 = 0x0101_0101_0101_0101;
/// 0x80 in every byte of a word.
const HIGH: u64 = LOW << 7;

/// The reader's position in the text, and how deep it is in objects and arrays (the document
/// itself is depth 1, as [`super::decode::check_nesting`] counts). Also the reader of the
/// attribute objects (see [`super::overlay`]).
pub(crate) struct Skim<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Skim<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Skim {
            text,
            bytes: text.as_bytes(),
            at: 0,
            depth: 0,
        }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Steps over JSON whitespace (the four characters JSON allows, no others).
    pub(crate) fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// Whitespace, then `c`.
    pub(crate) fn eat(&mut self, c: u8) -> Option<()> {
        self.space();
        (self.peek()? == c).then(|| self.at += 1)
    }

    /// A string at the current position: its content between the quotes, as written, and
    /// whether it holds an escape. Escapes are checked as serde_json checks a string it skips
    /// (a `\u` needs four hexadecimal digits; which code point they spell is not judged);
    /// a control character gives up, as in any JSON string.
    pub(crate) fn string(&mut self) -> Option<(&'a str, bool)> {
        self.space();
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        let start = self.at;
        let bytes = self.bytes;
        let mut escaped = false;
        loop {
            self.at = to_stop(bytes, self.at);
            match *bytes.get(self.at)? {
                b'"' => {
                    let content = &self.text[start..self.at];
                    self.at += 1;
                    return Some((content, escaped));
                }
                b'\\' => {
                    escaped = true;
                    match *bytes.get(self.at + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 2,
                        b'u' => {
                            let hex = bytes.get(self.at + 2..self.at + 6)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.at += 6;
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                _ => self.at += 1,
            }
        }
    }

    /// A string decoded as serde_json decodes one it reads (a lone surrogate is refused):
    /// borrowed when it has no escapes.
    pub(crate) fn text(&mut self) -> Option<Cow<'a, str>> {
        let before = self.at;
        let (content, escaped) = self.string()?;
        if !escaped {
            return Some(Cow::Borrowed(content));
        }
        let quoted = &self.text[before..self.at];
        serde_json::from_str::<String>(quoted).ok().map(Cow::Owned)
    }

    /// An object's field name; one spelled with escapes gives up (serde matches the decoded
    /// name against the fields, which no plan needs).
    fn key(&mut self) -> Option<&'a str> {
        let (name, escaped) = self.string()?;
        self.eat(b':')?;
        (!escaped).then_some(name)
    }

    /// Opens an object or array that is read into a type (`open` is `{` or `[`): whether it
    /// has elements (an empty one is closed at once). serde_json's recursion limit counts the
    /// containers a type reads (not those it skips or keeps raw) and refuses the 128th of them,
    /// where [`super::decode::check_nesting`] allows 128 levels: a container read at depth
    /// [`MAX_JSON_DEPTH`] gives up (every container above one read is read too, so its depth
    /// is serde_json's count).
    pub(crate) fn open(&mut self, open: u8) -> Option<bool> {
        self.open_within(open, MAX_JSON_DEPTH - 1)
    }

    /// Opens an object or array at most `deepest` deep (see [`Skim::open`]).
    fn open_within(&mut self, open: u8, deepest: usize) -> Option<bool> {
        self.eat(open)?;
        self.depth += 1;
        if self.depth > deepest {
            return None;
        }
        self.space();
        if self.peek()? == open + 2 {
            // `}` and `]` are two after `{` and `[`.
            self.at += 1;
            self.depth -= 1;
            return Some(false);
        }
        Some(true)
    }

    /// After an element of an object or array opened with `open`: whether another follows
    /// (else the closing bracket is crossed).
    pub(crate) fn more(&mut self, open: u8) -> Option<bool> {
        self.space();
        let c = self.peek()?;
        self.at += 1;
        if c == b',' {
            return Some(true);
        }
        (c == open + 2).then(|| self.depth -= 1).map(|()| false)
    }

    /// The fields of an object, each handed to `field` with its name; `field` reads the value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        if self.open(b'{')? {
            loop {
                let name = self.key()?;
                field(self, name)?;
                if !self.more(b'{')? {
                    break;
                }
            }
        }
        Some(())
    }

    /// The elements of an array, each read by `element`.
    fn array<T>(&mut self, mut element: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let mut out = Vec::new();
        if self.open(b'[')? {
            loop {
                out.push(element(self)?);
                if !self.more(b'[')? {
                    break;
                }
            }
        }
        Some(out)
    }

    /// Steps over any JSON value, checking it.
    pub(crate) fn skip(&mut self) -> Option<()> {
        self.space();
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => {
                // As `object`, with any name (escapes and all); skipped, so as deep as the
                // nesting check allows.
                if self.open_within(b'{', MAX_JSON_DEPTH)? {
                    loop {
                        self.string()?;
                        self.eat(b':')?;
                        self.skip()?;
                        if !self.more(b'{')? {
                            break;
                        }
                    }
                }
                Some(())
            }
            b'[' => {
                if self.open_within(b'[', MAX_JSON_DEPTH)? {
                    loop {
                        self.skip()?;
                        if !self.more(b'[')? {
                            break;
                        }
                    }
                }
                Some(())
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => None,
        }
    }

    pub(crate) fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// A number as JSON spells one: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`;
    /// its text.
    pub(crate) fn number(&mut self) -> Option<&'a str> {
        let from = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => {
                self.at += 1;
                // One leading zero only, as serde_json requires.
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return None;
                }
            }
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.some_digits()?;
        }
        Some(&self.text[from..self.at])
    }

    /// Whether nothing but whitespace is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.space();
        self.at == self.bytes.len()
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let from = self.at;
        self.digits();
        (self.at > from).then_some(())
    }

    /// Any value, as the slice of text it spans (serde_json's `RawValue`).
    fn raw(&mut self) -> Option<Raw<'a>> {
        self.space();
        let from = self.at;
        self.skip()?;
        Some(Raw::new(&self.text[from..self.at]))
    }

    /// A value read into a `serde_json::Value`, as serde_json reads it at this place: inside
    /// as many containers as it is here, which count towards its recursion limit (a value
    /// alone could be nested deeper). For small values (a raw state's `version`, a provider's
    /// expressions).
    fn json_value(&mut self) -> Option<serde_json::Value> {
        let depth = self.depth;
        let raw = self.raw()?.get();
        let mut nested = String::with_capacity(raw.len() + 2 * depth);
        nested.extend(std::iter::repeat_n('[', depth));
        nested.push_str(raw);
        nested.extend(std::iter::repeat_n(']', depth));
        let mut value = serde_json::from_str::<serde_json::Value>(&nested).ok()?;
        for _ in 0..depth {
            value = match value {
                serde_json::Value::Array(mut items) => items.pop()?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// `null` (as `None`), or what `read` reads.
    fn optional<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        self.space();
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        read(self).map(Some)
    }

    fn optional_text(&mut self) -> Option<Option<Cow<'a, str>>> {
        self.optional(Self::text)
    }

    fn optional_raw(&mut self) -> Option<Option<Raw<'a>>> {
        self.optional(Self::raw)
    }

    /// A string as [`JsonStr`] holds it: as written, escapes and all.
    fn json_str(&mut self) -> Option<JsonStr<'a>> {
        self.string().map(|(content, _)| JsonStr::new(content))
    }

    fn document(&mut self, ahead: &mut Ahead<'a>) -> Option<Document<'a>> {
        let mut doc = Document::default();
        let mut seen = Seen::default();
        self.object(|p, name| {
            // A section read ahead from here: taken, and the reading goes on from its end.
            let mut part = || -> Option<Option<Part<'a>>> {
                match take_ahead(ahead, p.at) {
                    Some(read) => {
                        let (part, end) = read?;
                        p.at = end;
                        Some(Some(part))
                    }
                    None => Some(None),
                }
            };
            match name {
                "format_version" => doc.format_version = seen.once(0, p.optional_text())?,
                "terraform_version" => doc.terraform_version = seen.once(1, p.optional_text())?,
                "planned_values" => {
                    let planned = match part()? {
                        Some(Part::Planned(planned)) => Some(planned),
                        Some(_) => return None,
                        None => p.optional(Self::state_values),
                    };
                    doc.planned_values = seen.once(2, planned)?;
                }
                "resource_changes" => {
                    let changes = match part()? {
                        Some(Part::Changes(changes)) => Some(changes),
                        Some(_) => return None,
                        None => p.optional(|p| p.array(Self::resource_change)),
                    };
                    doc.resource_changes = seen.once(3, changes)?;
                }
                "prior_state" => {
                    let prior = match part()? {
                        Some(Part::Prior(prior)) => Some(prior),
                        Some(_) => return None,
                        None => p.optional(Self::show_state),
                    };
                    doc.prior_state = seen.once(4, prior)?;
                }
                "configuration" => {
                    let configuration = match part()? {
                        Some(Part::Configuration(raw)) => Some(raw),
                        Some(_) => return None,
                        None => p.optional_raw(),
                    };
                    doc.configuration = seen.once(5, configuration)?;
                }
                "variables" => doc.variables = seen.once(6, p.optional(Self::variables))?,
                "values" => doc.values = seen.once(7, p.optional(Self::state_values))?,
                "version" => {
                    let version = p.optional(Self::json_value);
                    doc.version = seen.once(8, version)?;
                }
                "resources" => doc.resources = seen.once(9, p.optional_raw())?,
                "plandata" => doc.plandata = seen.once(10, p.optional_raw())?,
                "modules" => doc.modules = seen.once(11, p.optional_raw())?,
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(doc)
    }

    fn variables(&mut self) -> Option<BTreeMap<Cow<'a, str>, Variable<'a>>> {
        let mut out = BTreeMap::new();
        if self.open(b'{')? {
            loop {
                // Names are decoded (a map's keys, not fields): the last of two equal ones
                // wins, as in serde's map.
                let name = self.text()?;
                self.eat(b':')?;
                let mut variable = Variable { value: None };
                let mut seen = Seen::default();
                self.object(|p, field| {
                    match field {
                        "value" => variable.value = seen.once(0, p.optional_raw())?,
                        _ => p.skip()?,
                    }
                    Some(())
                })?;
                out.insert(name, variable);
                if !self.more(b'{')? {
                    break;
                }
            }
        }
        Some(out)
    }

    fn show_state(&mut self) -> Option<ShowState<'a>> {
        let mut values = None;
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                "values" => values = seen.once(0, p.optional(Self::state_values))?,
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(ShowState { values })
    }

    fn state_values(&mut self) -> Option<StateValues<'a>> {
        let mut root_module = None;
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                "root_module" => root_module = seen.once(0, p.optional(Self::module))?,
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(StateValues { root_module })
    }

    fn module(&mut self) -> Option<Module<'a>> {
        let mut module = Module {
            resources: Vec::new(),
            child_modules: Vec::new(),
        };
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                // A list with a default: `null` is not a list (serde refuses it).
                "resources" => module.resources = seen.once(0, p.array(Self::state_resource))?,
                "child_modules" => module.child_modules = seen.once(1, p.array(Self::module))?,
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(module)
    }

    fn state_resource(&mut self) -> Option<StateResource<'a>> {
        let mut address = None;
        let (mut mode, mut rtype, mut values, mut deposed_key) = (None, None, None, None);
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                "address" => address = Some(seen.once(0, p.json_str())?),
                "mode" => mode = seen.once(1, p.optional_text())?,
                "type" => rtype = seen.once(2, p.optional_text())?,
                "values" => values = seen.once(3, p.optional_raw())?,
                "deposed_key" => deposed_key = seen.once(4, p.optional_text())?,
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(StateResource {
            address: address?,
            mode,
            rtype,
            values,
            deposed_key,
        })
    }

    fn resource_change(&mut self) -> Option<ResourceChange<'a>> {
        let (mut address, mut change) = (None, None);
        let (mut mode, mut rtype, mut deposed) = (None, None, None);
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                "address" => address = Some(seen.once(0, p.json_str())?),
                "mode" => mode = seen.once(1, p.optional_text())?,
                "type" => rtype = seen.once(2, p.optional_text())?,
                "deposed" => deposed = seen.once(3, p.optional_text())?,
                "change" => change = Some(seen.once(4, p.change())?),
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(ResourceChange {
            address: address?,
            mode,
            rtype,
            deposed,
            change: change?,
        })
    }

    fn change(&mut self) -> Option<Change<'a>> {
        let mut change = Change {
            actions: Actions::Other,
            before: None,
            after: None,
            after_unknown: None,
        };
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                "actions" => change.actions = seen.once(0, p.actions())?,
                "before" => change.before = seen.once(1, p.optional_raw())?,
                "after" => change.after = seen.once(2, p.optional_raw())?,
                "after_unknown" => change.after_unknown = seen.once(3, p.optional_raw())?,
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(change)
    }

    /// `change.actions` as [`Actions`] reads it: `null`, or a list of names.
    fn actions(&mut self) -> Option<Actions> {
        let names = self.optional(|p| p.array(Self::text))?;
        let Some(names) = names else {
            return Some(Actions::Other);
        };
        Some(match names.as_slice() {
            [only] if only == "delete" => Actions::Delete,
            [only] if only == "forget" => Actions::Forget,
            _ => Actions::Other,
        })
    }
}

// ---- a plan's `configuration` ----

/// Reads a plan's `configuration` section (one JSON value, checked by the top-level parse), or
/// `None` when the general path (serde_json) must decide: a value of another type than its
/// field's, a duplicate field, a field name with escapes, a string serde_json refuses.
pub(crate) fn configuration(text: &str) -> Option<Configuration<'_>> {
    let mut p = Skim::new(text);
    let mut config = Configuration::default();
    let mut seen = Seen::default();
    p.object(|p, name| {
        match name {
            "provider_config" => {
                config.provider_config = seen.once(0, p.map(Skim::provider_config))?;
            }
            "root_module" => config.root_module = seen.once(1, p.config_module())?,
            _ => p.skip()?,
        }
        Some(())
    })?;
    p.at_end().then_some(config)
}

impl<'a> Skim<'a> {
    /// An object read as a map: its names decoded, each value read by `value`; of two equal
    /// names the last counts, as in serde's maps.
    fn map<K: Ord + From<Cow<'a, str>>, T>(
        &mut self,
        mut value: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<BTreeMap<K, T>> {
        let mut out = BTreeMap::new();
        if self.open(b'{')? {
            loop {
                let name = self.text()?;
                self.eat(b':')?;
                out.insert(K::from(name), value(self)?);
                if !self.more(b'{')? {
                    break;
                }
            }
        }
        Some(out)
    }

    fn provider_config(&mut self) -> Option<ProviderConfig> {
        let mut config = ProviderConfig::default();
        let mut seen = Seen::default();
        let owned = |t: Option<Cow<'_, str>>| t.map(Cow::into_owned);
        self.object(|p, name| {
            match name {
                "name" => config.name = owned(seen.once(0, p.optional_text())?),
                "alias" => config.alias = owned(seen.once(1, p.optional_text())?),
                "module_address" => {
                    config.module_address = owned(seen.once(2, p.optional_text())?);
                }
                "expressions" => {
                    let expressions = p.map(Self::json_value);
                    config.expressions = seen.once(3, expressions)?;
                }
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(config)
    }

    fn config_module(&mut self) -> Option<ConfigModule<'a>> {
        let mut module = ConfigModule::default();
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                "resources" => module.resources = seen.once(0, p.array(Self::config_resource))?,
                "module_calls" => module.module_calls = seen.once(1, p.map(Self::module_call))?,
                "outputs" => {
                    let outputs = p.map(|p| {
                        let mut expression = None;
                        let mut seen = Seen::default();
                        p.object(|p, name| {
                            match name {
                                "expression" => {
                                    expression = seen.once(0, p.optional(Self::expr))?;
                                }
                                _ => p.skip()?,
                            }
                            Some(())
                        })?;
                        Some(Output { expression })
                    });
                    module.outputs = seen.once(2, outputs)?;
                }
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(module)
    }

    fn config_resource(&mut self) -> Option<ConfigResource<'a>> {
        let mut address = None;
        let mut provider_config_key = None;
        let mut expressions = Exprs::default();
        let (mut for_each_expression, mut count_expression) = (None, None);
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                "address" => address = Some(seen.once(0, p.text())?),
                "provider_config_key" => provider_config_key = seen.once(1, p.optional_text())?,
                "expressions" => expressions = seen.once(2, p.exprs())?,
                "for_each_expression" => {
                    for_each_expression = seen.once(3, p.optional(Self::expr))?;
                }
                "count_expression" => count_expression = seen.once(4, p.optional(Self::expr))?,
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(ConfigResource {
            address: address?,
            provider_config_key,
            expressions,
            for_each_expression,
            count_expression,
        })
    }

    fn module_call(&mut self) -> Option<ModuleCall<'a>> {
        let mut call = ModuleCall {
            source: None,
            expressions: Exprs::default(),
            for_each_expression: None,
            count_expression: None,
            module: ConfigModule::default(),
        };
        let mut seen = Seen::default();
        self.object(|p, name| {
            match name {
                "source" => call.source = seen.once(0, p.optional_text())?,
                "expressions" => call.expressions = seen.once(1, p.exprs())?,
                "for_each_expression" => {
                    call.for_each_expression = seen.once(2, p.optional(Self::expr))?;
                }
                "count_expression" => {
                    call.count_expression = seen.once(3, p.optional(Self::expr))?;
                }
                "module" => call.module = seen.once(4, p.config_module())?,
                _ => p.skip()?,
            }
            Some(())
        })?;
        Some(call)
    }

    /// Attribute names and their expressions (an object; `null` is not one).
    fn exprs(&mut self) -> Option<Exprs<'a>> {
        let mut entries = Vec::new();
        if self.open(b'{')? {
            loop {
                let name = self.text()?;
                self.eat(b':')?;
                entries.push((name, self.expr()?));
                if !self.more(b'{')? {
                    break;
                }
            }
        }
        Some(Exprs::from_entries(entries))
    }

    /// An expression, a block body or another value, as [`Expr`] reads one.
    fn expr(&mut self) -> Option<Expr<'a>> {
        self.space();
        match self.peek()? {
            b'"' => self.text().map(Expr::Str),
            b'[' => self.array(Self::expr).map(Expr::List),
            b'{' => {
                let (mut entries, mut constant, mut empty) = (Vec::new(), false, true);
                if self.open(b'{')? {
                    loop {
                        empty = false;
                        let name = self.text()?;
                        self.eat(b':')?;
                        if name == "constant_value" {
                            self.skip()?;
                            constant = true;
                        } else {
                            entries.push((name, self.expr()?));
                        }
                        if !self.more(b'{')? {
                            break;
                        }
                    }
                }
                Some(Expr::object(entries, constant, empty))
            }
            // A number is read (serde_json refuses one beyond f64's range); any other value
            // is only checked.
            b'-' | b'0'..=b'9' => {
                let number = self.number()?.parse::<f64>().ok()?;
                number.is_finite().then_some(Expr::Other)
            }
            _ => self.skip().map(|()| Expr::Other),
        }
    }
}

/// The fields of one object read so far: a second one of a name gives up (serde refuses a
/// duplicate field).
#[derive(Default)]
struct Seen(u32);

impl Seen {
    fn once<T>(&mut self, field: u32, value: Option<T>) -> Option<T> {
        let bit = 1 << field;
        if self.0 & bit != 0 {
            return None;
        }
        self.0 |= bit;
        value
    }
}

/// The first position from `at` on of a quote, a backslash or a byte below 0x20 (the bytes
/// that end a string's plain run), or where the last 16 (or 8) bytes begin when none of the
/// bytes before them is one: the caller steps over the rest one byte at a time. Most of a
/// plan's bytes are in strings.
#[cfg(target_arch = "x86_64")]
fn to_stop(bytes: &[u8], mut at: usize) -> usize {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SSE2 is part of every x86_64 processor: 16 bytes a step.
    while at + 16 <= bytes.len() {
        // SAFETY: `at + 16 <= bytes.len()`, so the 16 bytes read are inside the slice (the
        // load is unaligned); SSE2 instructions exist on every x86_64 processor.
        let stop = unsafe {
            let chunk = _mm_loadu_si128(bytes.as_ptr().add(at).cast());
            let quote = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'\\' as i8));
            // A byte is below 0x20 where max(byte, 0x1f) is 0x1f.
            let low = _mm_set1_epi8(0x1f);
            let control = _mm_cmpeq_epi8(_mm_max_epu8(chunk, low), low);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control))
        };
        if stop != 0 {
            return at + stop.trailing_zeros() as usize;
        }
        at += 16;
    }
    at
}

/// As the x86_64 version, eight bytes a step in a machine word.
#[cfg(not(target_arch = "x86_64"))]
fn to_stop(bytes: &[u8], at: usize) -> usize {
    to_stop_in_words(bytes, at)
}

/// [`to_stop`] eight bytes a step in a machine word (where there is no SSE2; tested on every
/// machine).
#[cfg_attr(all(target_arch = "x86_64", not(test)), allow(dead_code))]
fn to_stop_in_words(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let stop = zero_byte(w ^ (LOW * u64::from(b'"')))
            | zero_byte(w ^ (LOW * u64::from(b'\\')))
            | (w.wrapping_sub(LOW * 0x20) & !w & HIGH);
        if stop != 0 {
            return at + (stop.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// A word whose lowest zero byte has its high bit set; zero when no byte of `w` is zero.
#[cfg_attr(all(target_arch = "x86_64", not(test)), allow(dead_code))]
fn zero_byte(w: u64) -> u64 {
    w.wrapping_sub(LOW) & !w & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::plan::parse_document;

    /// Both paths on `text`: the fast one must read exactly what the general one reads, and
    /// give up wherever the general one refuses. Whether the fast path read it.
    fn agree(text: &str) -> bool {
        let whole = agree_read(text, false);
        assert_eq!(
            agree_read(text, true),
            whole,
            "read ahead or not: {text:.200}"
        );
        whole
    }

    fn agree_read(text: &str, split: bool) -> bool {
        let fast = read_document(text, split);
        let general = parse_document(text, 0, 0);
        match (fast, general) {
            (Some((doc, end)), Ok((expected, expected_end))) => {
                assert_eq!(doc, expected, "documents differ for {text:.200}");
                assert_eq!(end, expected_end, "ends differ for {text:.200}");
                true
            }
            (Some(_), Err(e)) => {
                panic!("the fast path read what serde refuses ({e:#}): {text:.300}")
            }
            (None, _) => false,
        }
    }

    /// Every JSON file of the project's test data and of the shared corpus (when present).
    fn inputs() -> Vec<(String, String)> {
        let mut out = Vec::new();
        for dir in ["testdata", "../shared/corpus"] {
            for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
                let path = e.path();
                let is_json = path.extension().is_some_and(|x| x == "json")
                    || path.to_string_lossy().contains("tfstate");
                if !e.file_type().is_file() || !is_json {
                    continue;
                }
                let Ok(bytes) = std::fs::read(path) else {
                    continue;
                };
                let Ok(text) = String::from_utf8(bytes) else {
                    continue;
                };
                let Ok((start, _)) = crate::input::decode::json_start(&text) else {
                    continue;
                };
                out.push((path.display().to_string(), text[start..].to_string()));
            }
        }
        out
    }

    #[test]
    fn reads_every_valid_input_as_serde_does() {
        let mut read = 0;
        for (path, text) in inputs() {
            let general_ok = parse_document(&text, 0, 0).is_ok();
            let fast_ok = agree(&text);
            // Valid inputs must not fall back: that would leave the fast path unused.
            assert_eq!(
                fast_ok, general_ok,
                "{path}: fast path gave up on a valid document"
            );
            read += usize::from(fast_ok);
        }
        assert!(read > 100, "only {read} inputs read");
    }

    /// A small xorshift generator: the damage is the same in every run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn damaged_documents_are_refused_or_read_as_serde_does() {
        // Bytes that make or break JSON, and some that change a value's type.
        const PIECES: &[&str] = &[
            "\"",
            "\\",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "0",
            "01",
            "-",
            ".",
            "e",
            "1e5",
            "null",
            "true",
            "nul",
            "\\u00",
            "\\ud800",
            "\\x",
            "\u{1}",
            "\"a\"",
            "{}",
            "[]",
            "\"address\":1",
            "\"change\":null",
            "\"actions\":\"x\"",
            "\"resources\":null",
            "\t",
            "\n",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut sources: Vec<String> = inputs()
            .into_iter()
            .filter(|(_, t)| t.len() < 20_000 && parse_document(t, 0, 0).is_ok())
            .map(|(_, t)| t)
            .collect();
        sources.sort();
        assert!(!sources.is_empty());
        let (mut read, mut refused) = (0, 0);
        for round in 0..6000 {
            let source = &sources[round % sources.len()];
            let mut text = source.clone();
            for _ in 0..1 + rng.below(3) {
                // Cut, insert or replace at a character boundary.
                let mut at = rng.below(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let piece = PIECES[rng.below(PIECES.len())];
                match rng.below(3) {
                    0 => {
                        let mut end = (at + 1 + rng.below(4)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(at..end, "");
                    }
                    1 => text.insert_str(at, piece),
                    _ => {
                        let mut end = (at + piece.len()).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(at..end, piece);
                    }
                }
            }
            if agree(&text) {
                read += 1;
            } else {
                refused += 1;
            }
        }
        // Both outcomes were exercised.
        assert!(
            read > 500 && refused > 500,
            "read {read}, refused {refused}"
        );
    }

    #[test]
    fn planted_keys_and_tricky_tokens_are_refused_or_read_as_serde_does() {
        // A plan with every section, an ECS cluster's `configuration` block before the
        // section, and strings that spell the sections' keys (escaped).
        let base = concat!(
            r#"{"format_version":"1.2","terraform_version":"1.9.0","variables":{"region":{"value":"eu-west-1"}},"#,
            r#""planned_values":{"root_module":{"resources":[{"address":"aws_ecs_cluster.c","mode":"managed","type":"aws_ecs_cluster","values":{"configuration":[{"execute_command_configuration":[]}],"tags":{"note":"\"resource_changes\":[ \\\"prior_state\\\":{"}}}],"child_modules":[{"resources":[]}]}},"#,
            r#""resource_changes":[{"address":"module.m[\"k\"].aws_ecs_cluster.c","mode":"managed","type":"aws_ecs_cluster","change":{"actions":["create"],"before":null,"after":{"configuration":[]},"after_unknown":{"id":true}}}],"#,
            r#""prior_state":{"values":{"root_module":{}}},"#,
            r#""configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"eu-west-1"}}}},"root_module":{"resources":[{"address":"aws_ecs_cluster.c","expressions":{"name":{"references":["var.x"]},"configuration":[{"x":{"constant_value":1}}]}}]}}}"#
        );
        assert!(agree(base));
        let deep = format!(r#""deep":{}{}"#, "[".repeat(120), "]".repeat(120));
        // Fields planted after an object's `{`: valid JSON that is read, duplicated, typed
        // otherwise, or spelled like a section elsewhere than at the top level.
        let pairs: &[&str] = &[
            r#""resource_changes":[]"#,
            r#""resource_changes":[{"address":"x.y","change":{}}]"#,
            r#""planned_values":{"root_module":null}"#,
            r#""planned_values":{"root_module":{"child_modules":[{}]}}"#,
            r#""prior_state":{}"#,
            r#""prior_state":null"#,
            r#""configuration":{"root_module":{}}"#,
            r#""configuration":{"provider_config":{"p":{"expressions":{"x":[1]}}}}"#,
            r#""configuration":[1]"#,
            r#""format_version":"1.2""#,
            r#""version":[4,{"a":-0}]"#,
            r#""x\"resource_changes":[1]"#,
            r#""s":"\"planned_values\":{""#,
            r#""s":"\\""#,
            r#""n":-0"#,
            r#""n":1e400"#,
            r#""n":1E-400"#,
            r#""n":123456789012345678901234567890"#,
            r#""s":"\ud800""#,
            r#""s":"\udc00\ud800x""#,
            r#""addr\u0065ss":"x""#,
            r#""actions":["delete"]"#,
            r#""actions":["forget","delete"]"#,
            r#""child_modules":[]"#,
            r#""resources":[]"#,
            r#""resources":null"#,
            r#""values":{}"#,
            r#""address":"a.b""#,
            r#""change":{}"#,
            r#""expressions":{"x":1e400}"#,
            r#""expressions":{"x":{"references":[1e999,"a.b"]}}"#,
            r#""expression":{"constant_value":1e400}"#,
            r#""module_calls":{"m":{"source":"./m"},"m":{}}"#,
            r#""outputs":{"o":{"expression":null}}"#,
            &deep,
        ];
        // Tokens that make or break JSON, put anywhere.
        const TOKENS: &[&str] = &[
            "-", "1.", "01", "1e", "1e400", "-0", r"\ud800", r"\udc00", r"\u00", r"\x", r#"\""#,
            r"\\", "\"", "\u{0}", "\u{1f}", "\u{7f}", "\u{feff}", "\u{a0}", "é", "{", "}", "[",
            "]", ",", ":", "null", "tru",
        ];
        // What may follow a document, and precede it.
        const TRAILERS: &[&str] = &[
            "",
            " \n",
            "x",
            "}",
            "{}",
            "\n::set-output x",
            "\u{feff}",
            "1",
        ];
        const LEADERS: &[&str] = &[" \n", "\u{feff}", "\t\r"];
        let mut rng = Rng(0xd1b5_4a32_d192_ed03);
        let (mut read, mut refused) = (0, 0);
        for round in 0..2000 {
            let mut text = base.to_string();
            for _ in 0..1 + rng.below(3) {
                if rng.below(4) > 0 {
                    // A field after a `{` (of a key, or of a value: either is valid JSON).
                    let opens: Vec<usize> = text.match_indices('{').map(|(i, _)| i + 1).collect();
                    let at = opens[rng.below(opens.len())];
                    let pair = pairs[rng.below(pairs.len())];
                    let sep = if text[at..].starts_with('}') { "" } else { "," };
                    text.insert_str(at, &format!("{pair}{sep}"));
                } else {
                    let mut at = rng.below(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    text.insert_str(at, TOKENS[rng.below(TOKENS.len())]);
                }
            }
            text.push_str(TRAILERS[rng.below(TRAILERS.len())]);
            if rng.below(8) == 0 {
                text.insert_str(0, LEADERS[rng.below(LEADERS.len())]);
            }
            if agree(&text) {
                read += 1;
                let (doc, _) = document(&text).unwrap();
                if let Some(raw) = doc.configuration {
                    configurations_agree(raw.get());
                }
            } else {
                refused += 1;
            }
            // Now and then padded past `SPLIT_AT_LEAST`, before the sections or before the
            // last `configuration` key, so that `document` itself reads the sections ahead.
            if round % 1000 == 0 {
                let pad = format!(r#""pad":"{}","#, r#"p\\\""#.repeat(SPLIT_AT_LEAST / 4));
                for at in [1, text.rfind(r#""configuration""#).unwrap_or(1)] {
                    let mut padded = text.clone();
                    if padded.is_char_boundary(at) {
                        padded.insert_str(at, &pad);
                        assert!(padded.len() >= SPLIT_AT_LEAST);
                        let whole = agree(&padded);
                        assert_eq!(document(&padded).is_some(), whole);
                    }
                }
            }
        }
        assert!(
            read > 800 && refused > 400,
            "read {read}, refused {refused}"
        );
    }

    fn plan(changes: &str) -> String {
        format!(r#"{{"format_version":"1.2","resource_changes":[{changes}]}}"#)
    }

    /// Both readers of a `configuration` section: the same configuration (compared through
    /// `Debug`, which shows every field), or the fast one gives up. Whether it read it.
    fn configurations_agree(text: &str) -> bool {
        let general = serde_json::from_str::<Configuration<'_>>(text);
        match (configuration(text), general) {
            (Some(fast), Ok(general)) => {
                assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{text:.300}");
                true
            }
            (Some(fast), Err(e)) => panic!("read {fast:?} where serde refuses ({e}): {text:.300}"),
            (None, _) => false,
        }
    }

    #[test]
    fn reads_every_configuration_as_serde_does() {
        let mut read = 0;
        for (path, text) in inputs() {
            let Some((doc, _)) = document(&text) else {
                continue;
            };
            let Some(raw) = doc.configuration else {
                continue;
            };
            let valid = serde_json::from_str::<Configuration<'_>>(raw.get()).is_ok();
            assert_eq!(configurations_agree(raw.get()), valid, "{path}: gave up");
            read += 1;
        }
        assert!(read > 50, "only {read} configurations");
        // Shapes the plans of the test data may not have.
        for text in [
            r#"{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"eu-west-1"},"x":null}}}}"#,
            r#"{"root_module":{"outputs":{"o":{"expression":{"references":["aws_vpc.a.id","aws_vpc.a"]}},"p":{"expression":null}},"module_calls":{"m":{"source":"./m","count_expression":{"constant_value":2},"module":{"resources":[{"address":"a.b","expressions":{"x":{},"y":[{"z":{"references":[1,"c.d"]}}],"w":{"constant_value":1,"references":["e.f"]},"v":{"a":true,"b":null,"a":"again"}}}]}}}}}"#,
            "{}",
        ] {
            assert!(configurations_agree(text), "not read: {text}");
        }
        for text in [
            r#"{"root_module":{"resources":null}}"#,
            r#"{"root_module":{"resources":[{"address":1}]}}"#,
            r#"{"root_module":{"resources":[{"expressions":{}}]}}"#,
            r#"{"root_module":{},"root_module":{}}"#,
            r#"{"root_module":{"module_calls":{"m":{"module":null}}}}"#,
            r#"{"root_module":{"resources":[{"address":"a.b","expressions":null}]}}"#,
            r#"{"root_module":{"resources":[{"address":"a.b","expressions":{"x":"\udc00"}}]}}"#,
        ] {
            assert!(configuration(text).is_none(), "read: {text}");
            configurations_agree(text);
        }
    }

    #[test]
    fn gives_up_where_serde_could_refuse_or_read_otherwise() {
        let change = r#"{"address":"a.b","change":{"actions":["create"],"after":{}}}"#;
        assert!(agree(&plan(change)));
        for bad in [
            // A duplicate field, a field name with an escape, the wrong types.
            r#"{"address":"a.b","address":"a.c","change":{}}"#,
            r#"{"addr\u0065ss":"a.b","change":{}}"#,
            r#"{"address":1,"change":{}}"#,
            r#"{"address":"a.b","change":null}"#,
            r#"{"address":"a.b"}"#,
            r#"{"address":"a.b","change":{"actions":"create"}}"#,
            r#"{"address":"a.b","change":{"actions":[1]}}"#,
            r#"{"address":"a.b","mode":"\ud800","change":{}}"#,
            // Invalid JSON inside a skipped value.
            r#"{"address":"a.b","change":{"after":{"a":01}}}"#,
            r#"{"address":"a.b","change":{"after":{"a":1.}}}"#,
            r#"{"address":"a.b","change":{"after":{"a":-}}}"#,
            r#"{"address":"a.b","change":{"after":{"a":1e}}}"#,
            r#"{"address":"a.b","change":{"after":{"a":[1,]}}}"#,
            r#"{"address":"a.b","change":{"after":{"a":1,}}}"#,
            r#"{"address":"a.b","change":{"after":{"a":"\x"}}}"#,
            r#"{"address":"a.b","change":{"after":{"a":"\u12g4"}}}"#,
            "{\"address\":\"a.b\",\"change\":{\"after\":{\"a\":\"\u{1f}\"}}}",
            r#"{"address":"a.b","change":{"after":{"a":nul}}}"#,
            r#"{"address":"a.b","change":{"after":{1:2}}}"#,
        ] {
            assert!(document(&plan(bad)).is_none(), "read: {bad}");
            // And the general path refuses it too, or reads it alike (the escaped name).
            agree(&plan(bad));
        }
        // What the general path reads the same way: nulls, an escaped lone surrogate in a
        // skipped string (its code point is not judged), numbers in every form.
        for good in [
            r#"{"address":"a.b","mode":null,"change":{"actions":null,"after":null}}"#,
            r#"{"address":"a.b","change":{"after":{"a":"\ud800","b":[-0,1.5e+3,2E-2,true,false,null]}}}"#,
            r#"{"address":"module.m[\"k\"].a.b","change":{"actions":["delete"]}}"#,
            r#"{"address":"a.b","type":"x\ty","change":{"before":{ "x" : [ ] } }}"#,
        ] {
            assert!(agree(&plan(good)), "not read: {good}");
        }
    }

    #[test]
    fn both_scans_find_the_first_byte_that_ends_a_plain_run() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        // Mostly plain bytes (also above 0x7f), now and then one that stops the run.
        const BYTES: &[u8] = b"abcdefghij0123456789 {}[]:,\x80\xc3\xff\x7f\x20";
        for _ in 0..3000 {
            let len = rng.below(70);
            let mut bytes: Vec<u8> = (0..len).map(|_| BYTES[rng.below(BYTES.len())]).collect();
            if len > 0 && rng.below(3) > 0 {
                let stop = [b'"', b'\\', 0, 0x1f, b'\n'][rng.below(5)];
                bytes[rng.below(len)] = stop;
            }
            let expected = bytes
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(len);
            for scan in [to_stop, to_stop_in_words] {
                // As `string` uses it: the scan, then one byte at a time.
                let mut at = 0;
                loop {
                    at = scan(&bytes, at);
                    if at >= len || bytes[at] < 0x20 || bytes[at] == b'"' || bytes[at] == b'\\' {
                        break;
                    }
                    at += 1;
                }
                assert_eq!(at.min(len), expected, "{bytes:?}");
            }
        }
    }

    #[test]
    fn sections_read_ahead_are_taken_only_from_the_document_own_keys() {
        // An attribute named like a section (an ECS cluster's `configuration` block), before
        // the section itself, and a nested object shaped like one: each read ahead from the
        // first place its key appears, and read again in order where that is not the
        // document's own key.
        let plan = r#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_ecs_cluster.c","values":{"configuration":[{"x":1}],"tags":{"resource_changes":[1],"configuration":{"root_module":{}}}}}]}},"resource_changes":[{"address":"aws_ecs_cluster.c","change":{"actions":["create"],"after":{"configuration":[]}}}],"prior_state":{"values":{"root_module":{}}},"configuration":{"root_module":{"resources":[{"address":"aws_ecs_cluster.c"}]}}}"#;
        let ahead = read_ahead(plan);
        assert_eq!(ahead.len(), 4, "every section found somewhere");
        assert!(agree(plan));
        let (doc, _) = read_document(plan, true).unwrap();
        assert_eq!(
            doc.configuration.map(Raw::get),
            Some(r#"{"root_module":{"resources":[{"address":"aws_ecs_cluster.c"}]}}"#)
        );
        assert_eq!(doc.resource_changes.map(|c| c.len()), Some(1));
        // A section that gives up ahead gives up the fast path; one ahead of a document that
        // is not valid JSON is never taken.
        let broken = plan.replace(
            r#""after":{"configuration":[]}"#,
            r#""after":{"configuration":[,]}"#,
        );
        assert!(read_document(&broken, true).is_none());
        assert!(!agree(&broken));
        let truncated = &plan[..plan.len() - 1];
        assert!(read_document(truncated, true).is_none());
    }

    #[test]
    fn gives_up_past_the_nesting_limit_exactly_where_the_check_does() {
        // The document is depth 1, `resource_changes` 2, its element 3, `change` 4, `after` 5.
        let nest = |n: usize| {
            plan(&format!(
                r#"{{"address":"a.b","change":{{"after":{}1{}}}}}"#,
                "[".repeat(n),
                "]".repeat(n)
            ))
        };
        let deepest = MAX_JSON_DEPTH - 4;
        assert!(agree(&nest(deepest)));
        assert!(document(&nest(deepest + 1)).is_none());
        assert!(parse_document(&nest(deepest + 1), 0, 0).is_err());
    }

    #[test]
    fn gives_up_where_serde_json_reaches_its_recursion_limit() {
        // serde_json refuses the 128th container it reads into a type (its recursion limit),
        // where the nesting check allows 128 levels: the fast path read these, serde refused.
        // Modules nested in `child_modules`: modules at the odd depths 3..=`inner`, the
        // innermost `child_modules` one deeper.
        let modules = |inner: usize| {
            let mut m = String::from(r#"{"child_modules":[]}"#);
            for _ in 0..(inner - 3) / 2 {
                m = format!(r#"{{"child_modules":[{m}]}}"#);
            }
            format!(r#"{{"planned_values":{{"root_module":{m}}}}}"#)
        };
        assert!(agree(&modules(MAX_JSON_DEPTH - 3)));
        assert!(document(&modules(MAX_JSON_DEPTH - 1)).is_none());
        assert!(parse_document(&modules(MAX_JSON_DEPTH - 1), 0, 0).is_err());
        // A raw state's `version` (a `serde_json::Value`), 127 levels inside the document.
        let version = |n: usize| format!(r#"{{"version":{}1{}}}"#, "[".repeat(n), "]".repeat(n));
        assert!(agree(&version(MAX_JSON_DEPTH - 2)));
        assert!(document(&version(MAX_JSON_DEPTH - 1)).is_none());
        assert!(parse_document(&version(MAX_JSON_DEPTH - 1), 0, 0).is_err());
        // Both, read ahead (from 1 MiB on) and not.
        let pad = format!(r#","x":"{}"}}"#, "p".repeat(SPLIT_AT_LEAST));
        for text in [modules(MAX_JSON_DEPTH - 1), version(MAX_JSON_DEPTH - 1)] {
            let padded = format!("{}{pad}", &text[..text.len() - 1]);
            assert!(read_document(&padded, true).is_none());
            assert!(!agree(&padded));
        }
        // A provider's expression (a `serde_json::Value`) inside the configuration (depth 1),
        // `provider_config` (2), the provider (3) and `expressions` (4).
        let provider = |n: usize| {
            let deep = format!("{}1{}", "[".repeat(n), "]".repeat(n));
            format!(r#"{{"provider_config":{{"aws":{{"expressions":{{"region":{deep}}}}}}}}}"#)
        };
        assert!(configurations_agree(&provider(MAX_JSON_DEPTH - 5)));
        assert!(configuration(&provider(MAX_JSON_DEPTH - 4)).is_none());
        assert!(serde_json::from_str::<Configuration<'_>>(&provider(MAX_JSON_DEPTH - 4)).is_err());
    }

    #[test]
    fn gives_up_on_a_configuration_number_serde_json_refuses() {
        // An expression's number is read by serde_json (not skipped): beyond f64's range it
        // is refused, and the fast path read it as `Other`.
        let resource = |x: &str| {
            format!(
                r#"{{"root_module":{{"resources":[{{"address":"a.b","expressions":{{"x":{x}}}}}]}}}}"#
            )
        };
        for bad in [
            "1e400",
            "-1e400",
            "[1e309]",
            r#"{"references":[1e999]}"#,
            r#"{"a":{"b":2E+400}}"#,
        ] {
            let text = resource(bad);
            assert!(configuration(&text).is_none(), "read: {text}");
            assert!(
                serde_json::from_str::<Configuration<'_>>(&text).is_err(),
                "{text}"
            );
        }
        // Numbers serde_json reads, and one it only skips (a `constant_value`).
        for good in [
            "1e308",
            "-0",
            "123456789012345678901234567890",
            "1e-400",
            r#"{"constant_value":1e400}"#,
        ] {
            assert!(configurations_agree(&resource(good)), "not read: {good}");
        }
    }
}
