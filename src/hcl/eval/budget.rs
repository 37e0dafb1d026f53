//! The evaluation budget of one root module: values and string bytes built, and how deep
//! `for` loops nest; past it the input is not read.

use super::EvalError;
use crate::hcl::funcs;
use crate::hcl::instance::State;
use crate::model::Value;

/// The evaluation budget of one root module (with every module it calls): past any of these
/// figures the input is not read (exit 2), with the place and the expression that crossed it.
/// Terraform has no such limits; a configuration written to exhaust time or memory (nested
/// `for` loops over `range`, `setproduct` of many lists, strings doubled through templates)
/// would otherwise stall the run or abort it out of memory. The figures are far above what
/// real configurations use (the fixtures of `testdata/` spend at most a few thousand values).
///
/// Values built: every value an expression produces counts once per node (a list of three
/// strings is four), each time it is produced (a local referred to twice counts twice, as it is
/// copied), and each iteration of a `for` expression or a template `%{for}` counts one. At
/// about 32 bytes a node plus the heap of lists and objects, the figure bounds the memory held
/// by values to about 1 GB in the worst case, and the time to seconds.
pub(crate) const MAX_VALUES: u64 = 32 * 1024 * 1024;
/// String bytes produced, counted like values (each time a string is produced), object keys
/// included.
pub(crate) const MAX_BYTES: u64 = 256 * 1024 * 1024;
/// How deep `for` expressions and template `%{for}` directives may nest while they run
/// (a loop in a local that a loop refers to counts in both). Real configurations nest two or
/// three.
pub(crate) const MAX_LOOP_NESTING: usize = 16;

/// What evaluation has spent of its budget (see [`MAX_VALUES`]).
#[derive(Debug, Default)]
pub(crate) struct Budget {
    pub values: u64,
    pub bytes: u64,
    pub loops: usize,
    /// Why the budget ran out; once set, every evaluation fails with it (and `try`/`can`
    /// cannot catch it).
    pub spent: Option<String>,
    /// Whether the run's fatal error already names where it ran out.
    pub located: bool,
}

impl Budget {
    /// What is left, for functions that check sizes before they allocate.
    pub fn room(&self) -> funcs::Room {
        funcs::Room {
            values: MAX_VALUES.saturating_sub(self.values),
            bytes: MAX_BYTES.saturating_sub(self.bytes),
            over: None,
        }
    }
}

/// The nodes and string bytes of a value (see [`MAX_VALUES`]).
pub(super) fn weight(v: &Value) -> (u64, u64) {
    match v {
        Value::String(s) => (1, s.len() as u64),
        Value::List(items) => items.iter().fold((1, 0), |(n, b), x| {
            let (xn, xb) = weight(x);
            (n + xn, b + xb)
        }),
        Value::Object(m) => m.iter().fold((1, 0), |(n, b), (k, x)| {
            let (xn, xb) = weight(x);
            (n + xn, b + xb + k.len() as u64)
        }),
        _ => (1, 0),
    }
}

impl State {
    /// Counts values and bytes built against the budget; past it, the budget is spent.
    pub(crate) fn spend(&mut self, values: u64, bytes: u64) -> Result<(), EvalError> {
        self.budget.values = self.budget.values.saturating_add(values);
        self.budget.bytes = self.budget.bytes.saturating_add(bytes);
        if self.budget.values > MAX_VALUES {
            return Err(self.over_budget(format!(
                "more than {MAX_VALUES} values built (pullpath's evaluation budget)"
            )));
        }
        if self.budget.bytes > MAX_BYTES {
            return Err(self.over_budget(format!(
                "more than {} MiB of strings built (pullpath's evaluation budget)",
                MAX_BYTES >> 20
            )));
        }
        Ok(())
    }

    /// Marks the budget spent (the first reason stays) and returns the error to propagate.
    pub(crate) fn over_budget(&mut self, why: String) -> EvalError {
        let why = self.budget.spent.get_or_insert(why).clone();
        EvalError(why)
    }

    /// Runs the iterations of one `for` loop, one level deeper; `body` is called per item (it
    /// returns whether to go on) and each iteration is counted.
    pub(super) fn in_loop<T>(
        &mut self,
        items: Vec<T>,
        mut body: impl FnMut(&mut Self, T) -> Result<bool, EvalError>,
    ) -> Result<(), EvalError> {
        if self.budget.loops >= MAX_LOOP_NESTING {
            return Err(self.over_budget(format!(
                "`for` loops nested more than {MAX_LOOP_NESTING} deep (pullpath's evaluation \
                 budget)"
            )));
        }
        self.budget.loops += 1;
        let mut r = Ok(());
        for item in items {
            match self.spend(1, 0).and_then(|()| body(self, item)) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    r = Err(e);
                    break;
                }
            }
        }
        self.budget.loops -= 1;
        r
    }
}
