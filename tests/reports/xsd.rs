//! A validator for the part of XML Schema 1.0 that the Jenkins/Ant JUnit schema
//! (`testdata/schemas/junit-10.xsd`) is written in: global and local element declarations,
//! named and inline complex types (`mixed`, `xs:sequence` and `xs:choice` with `minOccurs` /
//! `maxOccurs`, `xs:attribute` with `use="required"`), and simple types that restrict
//! `xs:string` by `xs:pattern`. A schema construct outside that part is refused (a panic naming
//! it), never ignored: a validator that skipped what it does not know would pass anything.
//!
//! No XSD validator exists among the crates the project may use (`roxmltree` only parses), and
//! the schema is small, so its rules are checked here rather than by a new dependency.

use std::collections::{BTreeSet, HashMap};

use roxmltree::Node;

const XS: &str = "http://www.w3.org/2001/XMLSchema";

pub struct Schema {
    elements: HashMap<String, Decl>,
    complex: HashMap<String, Complex>,
    simple: HashMap<String, Simple>,
}

#[derive(Clone, Debug)]
struct Decl {
    name: String,
    ty: TypeRef,
}

#[derive(Clone, Debug)]
enum TypeRef {
    /// `xs:string`.
    String,
    /// A named type of the schema, complex or simple.
    Named(String),
    Inline(Complex),
}

#[derive(Clone, Debug)]
struct Complex {
    mixed: bool,
    particle: Option<Particle>,
    attributes: Vec<Attribute>,
}

#[derive(Clone, Debug)]
struct Attribute {
    name: String,
    ty: TypeRef,
    required: bool,
}

#[derive(Clone, Debug)]
enum Simple {
    String,
    /// A restriction of `xs:string` by patterns (each anchored, as XSD patterns are).
    Patterns(Vec<(String, regex::Regex)>),
}

#[derive(Clone, Debug)]
struct Particle {
    min: usize,
    max: Option<usize>,
    term: Term,
}

#[derive(Clone, Debug)]
enum Term {
    /// An element: a reference to a global declaration, or a local one.
    Element(ElementTerm),
    Sequence(Vec<Particle>),
    Choice(Vec<Particle>),
}

#[derive(Clone, Debug)]
enum ElementTerm {
    Ref(String),
    Local(Box<Decl>),
}

impl ElementTerm {
    fn name(&self) -> &str {
        match self {
            ElementTerm::Ref(n) => n,
            ElementTerm::Local(d) => &d.name,
        }
    }
}

fn is_xs(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(XS) && n.tag_name().name() == local
}

fn unsupported(n: &Node<'_, '_>) -> ! {
    panic!(
        "the schema uses <{}> (line {}), which this validator does not implement",
        n.tag_name().name(),
        n.document().text_pos_at(n.range().start).row
    )
}

fn required_attr<'a>(n: &Node<'a, '_>, name: &str) -> &'a str {
    n.attribute(name)
        .unwrap_or_else(|| panic!("<{}> without {name}", n.tag_name().name()))
}

fn elements<'a, 'i>(n: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(|c| c.is_element())
}

impl Schema {
    pub fn parse(text: &str) -> Schema {
        let doc = roxmltree::Document::parse(text).expect("the schema is well-formed XML");
        let root = doc.root_element();
        assert!(is_xs(&root, "schema"), "not an XML schema");
        let mut s = Schema {
            elements: HashMap::new(),
            complex: HashMap::new(),
            simple: HashMap::new(),
        };
        for n in elements(root) {
            if is_xs(&n, "element") {
                let d = decl(n);
                s.elements.insert(d.name.clone(), d);
            } else if is_xs(&n, "complexType") {
                s.complex
                    .insert(required_attr(&n, "name").to_string(), complex(n));
            } else if is_xs(&n, "simpleType") {
                s.simple
                    .insert(required_attr(&n, "name").to_string(), simple(n));
            } else {
                unsupported(&n);
            }
        }
        s
    }

    /// Every way `xml` breaks the schema, each with the path of the element it is at; empty
    /// when the document is valid.
    pub fn validate(&self, xml: &str) -> Vec<String> {
        let doc = match roxmltree::Document::parse(xml) {
            Ok(d) => d,
            Err(e) => return vec![format!("not well-formed XML: {e}")],
        };
        let root = doc.root_element();
        let name = root.tag_name().name();
        let mut errors = Vec::new();
        match self.elements.get(name) {
            Some(d) if root.tag_name().namespace().is_none() => {
                self.element(root, d, &format!("/{name}"), &mut errors)
            }
            _ => errors.push(format!(
                "/{name}: the root element is not declared by the schema"
            )),
        }
        errors
    }

    fn resolve<'s>(&'s self, ty: &'s TypeRef) -> Resolved<'s> {
        match ty {
            TypeRef::String => Resolved::Simple(&Simple::String),
            TypeRef::Inline(c) => Resolved::Complex(c),
            TypeRef::Named(n) => {
                if let Some(c) = self.complex.get(n) {
                    Resolved::Complex(c)
                } else if let Some(s) = self.simple.get(n) {
                    Resolved::Simple(s)
                } else {
                    panic!("the schema names a type it does not define: {n}")
                }
            }
        }
    }

    fn element(&self, n: Node<'_, '_>, d: &Decl, path: &str, errors: &mut Vec<String>) {
        let children: Vec<Node<'_, '_>> = elements(n).collect();
        let text: String = n
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect();
        match self.resolve(&d.ty) {
            Resolved::Simple(s) => {
                for a in n.attributes() {
                    errors.push(format!(
                        "{path}: attribute {} is not allowed (the element has simple content)",
                        a.name()
                    ));
                }
                if !children.is_empty() {
                    errors.push(format!("{path}: child elements are not allowed"));
                }
                if let Some(e) = check_simple(s, &text) {
                    errors.push(format!("{path}: content {text:?}: {e}"));
                }
            }
            Resolved::Complex(c) => {
                for a in n.attributes() {
                    if a.namespace().is_some() {
                        errors.push(format!("{path}: attribute {} is not allowed", a.name()));
                        continue;
                    }
                    match c.attributes.iter().find(|x| x.name == a.name()) {
                        None => errors.push(format!(
                            "{path}: attribute {} is not allowed by the schema",
                            a.name()
                        )),
                        Some(x) => {
                            let ty = match self.resolve(&x.ty) {
                                Resolved::Simple(s) => s,
                                Resolved::Complex(_) => {
                                    panic!("attribute {} of a complex type", x.name)
                                }
                            };
                            if let Some(e) = check_simple(ty, a.value()) {
                                errors.push(format!(
                                    "{path}: attribute {}={:?}: {e}",
                                    a.name(),
                                    a.value()
                                ));
                            }
                        }
                    }
                }
                for x in c.attributes.iter().filter(|x| x.required) {
                    if n.attribute(x.name.as_str()).is_none() {
                        errors.push(format!("{path}: required attribute {} is missing", x.name));
                    }
                }
                if !c.mixed && !text.trim().is_empty() {
                    errors.push(format!(
                        "{path}: text {:?} is not allowed (element-only content)",
                        text.trim()
                    ));
                }
                let names: Vec<&str> = children.iter().map(|c| c.tag_name().name()).collect();
                let valid = match &c.particle {
                    None => names.is_empty(),
                    Some(p) => ends(p, &names, 0).contains(&names.len()),
                };
                if !valid {
                    errors.push(format!(
                        "{path}: the children [{}] do not match the content model",
                        names.join(", ")
                    ));
                }
                for (i, child) in children.iter().enumerate() {
                    let name = child.tag_name().name();
                    let child_path = format!("{path}/{name}[{}]", i + 1);
                    match c.particle.as_ref().and_then(|p| find(p, name)) {
                        Some(ElementTerm::Ref(r)) => match self.elements.get(r) {
                            Some(d) => self.element(*child, d, &child_path, errors),
                            None => {
                                panic!("the schema refers to an element it does not declare: {r}")
                            }
                        },
                        Some(ElementTerm::Local(d)) => self.element(*child, d, &child_path, errors),
                        None => errors.push(format!(
                            "{child_path}: element <{name}> is not allowed here"
                        )),
                    }
                }
            }
        }
    }
}

enum Resolved<'s> {
    Simple(&'s Simple),
    Complex(&'s Complex),
}

fn check_simple(s: &Simple, value: &str) -> Option<String> {
    match s {
        Simple::String => None,
        // Patterns of one restriction are alternatives.
        Simple::Patterns(ps) if ps.is_empty() || ps.iter().any(|(_, re)| re.is_match(value)) => {
            None
        }
        Simple::Patterns(ps) => {
            let all: Vec<&str> = ps.iter().map(|(p, _)| p.as_str()).collect();
            Some(format!("does not match the pattern {}", all.join(" | ")))
        }
    }
}

/// The declaration an element child named `name` takes: the first element term of that name.
fn find<'p>(p: &'p Particle, name: &str) -> Option<&'p ElementTerm> {
    match &p.term {
        Term::Element(e) => (e.name() == name).then_some(e),
        Term::Sequence(ps) | Term::Choice(ps) => ps.iter().find_map(|p| find(p, name)),
    }
}

/// The positions at which matching `p` against `names` from `start` can end.
fn ends(p: &Particle, names: &[&str], start: usize) -> BTreeSet<usize> {
    let mut result = BTreeSet::new();
    if p.min == 0 {
        result.insert(start);
    }
    let mut current = BTreeSet::from([start]);
    // More repetitions than children can only repeat empty matches.
    let limit = p
        .max
        .unwrap_or(names.len() + 1)
        .min(names.len() + 1)
        .max(p.min);
    for i in 1..=limit {
        let next: BTreeSet<usize> = current
            .iter()
            .flat_map(|&pos| term_ends(&p.term, names, pos))
            .collect();
        if next.is_empty() {
            break;
        }
        if i >= p.min {
            result.extend(next.iter().copied());
        }
        if next == current {
            break;
        }
        current = next;
    }
    result
}

fn term_ends(t: &Term, names: &[&str], pos: usize) -> BTreeSet<usize> {
    match t {
        Term::Element(e) => {
            if names.get(pos) == Some(&e.name()) {
                BTreeSet::from([pos + 1])
            } else {
                BTreeSet::new()
            }
        }
        Term::Sequence(ps) => {
            let mut at = BTreeSet::from([pos]);
            for p in ps {
                at = at.iter().flat_map(|&s| ends(p, names, s)).collect();
            }
            at
        }
        Term::Choice(ps) => ps.iter().flat_map(|p| ends(p, names, pos)).collect(),
    }
}

fn decl(n: Node<'_, '_>) -> Decl {
    let name = required_attr(&n, "name").to_string();
    let inline: Vec<Node<'_, '_>> = elements(n).collect();
    let ty = match (n.attribute("type"), inline.as_slice()) {
        (Some(t), []) => type_ref(&n, t),
        (None, [c]) if is_xs(c, "complexType") => TypeRef::Inline(complex(*c)),
        (_, [c, ..]) => unsupported(c),
        (None, []) => unsupported(&n),
    };
    Decl { name, ty }
}

fn type_ref(n: &Node<'_, '_>, t: &str) -> TypeRef {
    match t.strip_prefix("xs:") {
        Some("string") => TypeRef::String,
        Some(other) => panic!(
            "the schema uses the built-in type xs:{other} (line {}), which this validator does not implement",
            n.document().text_pos_at(n.range().start).row
        ),
        None => TypeRef::Named(t.to_string()),
    }
}

fn complex(n: Node<'_, '_>) -> Complex {
    let mixed = match n.attribute("mixed") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => panic!("mixed={other:?}"),
    };
    let mut c = Complex {
        mixed,
        particle: None,
        attributes: Vec::new(),
    };
    for child in elements(n) {
        if is_xs(&child, "sequence") || is_xs(&child, "choice") {
            assert!(
                c.particle.is_none(),
                "two content models in one complex type"
            );
            c.particle = Some(particle(child));
        } else if is_xs(&child, "attribute") {
            if elements(child).next().is_some() || child.attribute("ref").is_some() {
                unsupported(&child);
            }
            let required = match child.attribute("use") {
                None | Some("optional") => false,
                Some("required") => true,
                Some(_) => unsupported(&child),
            };
            c.attributes.push(Attribute {
                name: required_attr(&child, "name").to_string(),
                ty: type_ref(&child, child.attribute("type").unwrap_or("xs:string")),
                required,
            });
        } else {
            unsupported(&child);
        }
    }
    c
}

fn particle(n: Node<'_, '_>) -> Particle {
    let occurs = |name: &str| -> Option<Option<usize>> {
        n.attribute(name).map(|v| match v {
            "unbounded" => None,
            v => Some(v.parse().expect("a number of occurrences")),
        })
    };
    let min = occurs("minOccurs").map_or(1, |m| m.expect("minOccurs is a number"));
    let max = occurs("maxOccurs").unwrap_or(Some(1));
    let term = if is_xs(&n, "element") {
        match n.attribute("ref") {
            Some(r) => {
                if elements(n).next().is_some() {
                    unsupported(&n);
                }
                Term::Element(ElementTerm::Ref(r.to_string()))
            }
            None => Term::Element(ElementTerm::Local(Box::new(decl(n)))),
        }
    } else if is_xs(&n, "sequence") || is_xs(&n, "choice") {
        let parts: Vec<Particle> = elements(n)
            .map(|c| {
                if is_xs(&c, "element") || is_xs(&c, "sequence") || is_xs(&c, "choice") {
                    particle(c)
                } else {
                    unsupported(&c)
                }
            })
            .collect();
        if is_xs(&n, "sequence") {
            Term::Sequence(parts)
        } else {
            Term::Choice(parts)
        }
    } else {
        unsupported(&n)
    };
    Particle { min, max, term }
}

fn simple(n: Node<'_, '_>) -> Simple {
    let kids: Vec<Node<'_, '_>> = elements(n).collect();
    let [r] = kids.as_slice() else {
        unsupported(&n)
    };
    if !is_xs(r, "restriction") || r.attribute("base") != Some("xs:string") {
        unsupported(r);
    }
    let mut patterns = Vec::new();
    for facet in elements(*r) {
        if !is_xs(&facet, "pattern") {
            unsupported(&facet);
        }
        let p = required_attr(&facet, "value");
        // An XSD pattern matches the whole value; its syntax here (classes, counts,
        // groups, `\.`) reads the same in Rust's regex.
        let re = regex::Regex::new(&format!("^(?:{p})$")).expect("the pattern compiles");
        patterns.push((p.to_string(), re));
    }
    Simple::Patterns(patterns)
}
