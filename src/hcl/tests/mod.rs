//! Unit tests of the evaluator: expressions, references, instances, data sources, positions.
//! Module layouts and whole directories are tested in `tests/hcl_*.rs` against fixtures.
//!
//! One file per theme; the helpers they share are here.

mod expressions;
mod hostile;
mod refused;
mod resources;
mod variables;

use super::eval::Scope;
use super::instance::State;
use super::source::{build_config, parse_hcl_file};
use crate::model::{Target, Value};

/// The evaluation state of a one-file module.
fn state(src: &str) -> State {
    let blocks = parse_hcl_file(src, "t/main.tf").unwrap_or_else(|e| panic!("{e:#}"));
    let cfg = build_config("t", blocks).unwrap_or_else(|e| panic!("{e:#}"));
    State::new(std::sync::Arc::new(cfg), "t")
}

fn local(st: &mut State, name: &str) -> Value {
    st.local_value(0, name)
        .unwrap_or_else(|e| panic!("local {name}: {e}"))
}

/// Evaluates one expression in a module made of `extra` and `locals { x = <expr> }`.
fn eval_with(extra: &str, expr: &str) -> Value {
    let mut st = state(&format!("{extra}\nlocals {{\n  x = {expr}\n}}\n"));
    local(&mut st, "x")
}

fn eval(expr: &str) -> Value {
    eval_with("", expr)
}

fn s(x: &str) -> Value {
    Value::String(x.into())
}
fn n(x: f64) -> Value {
    Value::Number(x)
}
fn l(items: Vec<Value>) -> Value {
    Value::List(items)
}
fn reference(address: &str, attr: &str) -> Value {
    Value::reference(
        vec![Target {
            address: address.into(),
            attr: Some(crate::model::attribute_name(attr)),
        }],
        true,
        None,
    )
}
fn reason(v: &Value) -> String {
    v.undecided_reason()
        .unwrap_or_else(|| format!("not undecided: {v:?}"))
}

/// Emits every resource of a one-file module.
fn resources(src: &str) -> (Vec<crate::model::Resource>, Vec<String>) {
    let mut st = state(src);
    let out = st.emit(0);
    let notes = std::mem::take(&mut st.notes).finish();
    (out.resources, notes)
}

fn find<'a>(rs: &'a [crate::model::Resource], address: &str) -> &'a crate::model::Resource {
    rs.iter().find(|r| r.address == address).unwrap_or_else(|| {
        panic!(
            "no {address} in {:?}",
            rs.iter().map(|r| &r.address).collect::<Vec<_>>()
        )
    })
}

/// Work split over the reader's threads comes back whole and in order, on one thread below the
/// threshold; a panic in a thread reaches the caller.
#[test]
fn chunks_keep_order_and_raise_panics() {
    let items: Vec<usize> = (0..1000).collect();
    let doubled = super::in_chunks(items.clone(), 4, &|c| {
        c.into_iter().map(|x| x * 2).collect()
    });
    assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    let here = std::thread::current().id();
    let threads = super::in_chunks(vec![1, 2, 3], 4, &|c| {
        c.into_iter().map(|_| std::thread::current().id()).collect()
    });
    assert!(threads.iter().all(|t| *t == here));
    let caught = std::panic::catch_unwind(|| {
        super::in_chunks((0..100).collect::<Vec<u32>>(), 4, &|c| {
            assert!(!c.contains(&99), "the last chunk");
            c
        })
    });
    assert!(caught.is_err());
}
