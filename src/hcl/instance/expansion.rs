//! `count` and `for_each` into instance keys: the known keys, one instance that may exist
//! where the input does not decide them, and the errors Terraform would refuse the
//! configuration for (a fatal error on the input).

use hcl::edit::expr::Expression;

use super::{Expansion, Mode, State, MAX_INSTANCES};
use crate::hcl::eval::{is_undecided, unknown_from, Scope};
use crate::hcl::types;
use crate::model::address::InstanceKey;
use crate::model::value::Partial;
use crate::model::{Location, MayExist, Value};

/// Why the instances of a resource or module call are not read: a value Terraform refuses (or
/// past pullpath's limit), at the `count`/`for_each` argument.
#[derive(Debug)]
pub(super) struct KeyError(pub(super) String, pub(super) Location);

/// The instance keys of a resource or module call (and their `each.value`s).
pub(super) struct Keys {
    pub mode: Mode,
    pub keys: Vec<(Option<InstanceKey>, Option<Value>)>,
    /// Why the instances are not all decided: then the last key is [`InstanceKey::Unknown`],
    /// one instance that stands for those that may exist besides the known keys.
    pub undecided: Option<String>,
    /// An undecided `count`: what names it among the blocks of the module instance (see
    /// [`count_group`]).
    pub group: Option<String>,
}

impl State {
    /// A resource or module call whose instances are not read: an error that stops the input
    /// (see `fatal`).
    pub(super) fn not_expanded<T>(&mut self, e: KeyError) -> Expansion<T> {
        let KeyError(reason, at) = e;
        if self.fatal.is_none() {
            self.fatal = Some(format!("{at}: {reason}"));
        }
        Expansion::Unknown(reason)
    }

    /// Why the instance `what` (with key `[*]`) may exist: its own block's undecided
    /// `count` / `for_each`, and that of the module instance holding it, if any.
    pub(super) fn may_exist(
        &self,
        what: &str,
        reason: String,
        outer: Option<&MayExist>,
        condition: Option<String>,
    ) -> MayExist {
        MayExist {
            what: what.to_string(),
            reason: match outer {
                Some(o) => format!("{reason}; and {o}"),
                None => reason,
            },
            condition,
        }
    }

    /// Records a block whose instances are not decided: for the reports' summary, and as a note
    /// on the input naming the place.
    pub(super) fn note_not_expanded(&mut self, me: &MayExist, block: &Location) {
        self.notes.push(format!(
            "{}: {}; pullpath reads it as one instance, {}, that may exist: every verdict \
             that depends on it is unknown",
            block, me.reason, me.what
        ));
        self.not_expanded.push(me.clone());
    }

    /// Evaluates `count` / `for_each` into instance keys (and `each.value`s). What the input
    /// does not decide is not an error: the known keys (a set with one unknown element still
    /// has its known ones) and one instance with the key [`InstanceKey::Unknown`] that may
    /// exist, with the reason.
    pub(super) fn instance_keys(
        &mut self,
        inst: usize,
        count: Option<(&Expression, &Location)>,
        for_each: Option<(&Expression, &Location)>,
        enabled: Option<(&Expression, &Location)>,
        what: &str,
    ) -> Result<Keys, KeyError> {
        let scope = Scope::module(inst);
        let undecided = |mode: Mode, each: Option<Value>, reason: String| Keys {
            mode,
            keys: vec![(Some(InstanceKey::Unknown), each)],
            undecided: Some(reason),
            group: None,
        };
        if let Some((e, loc)) = count {
            let v = self.eval_noted(e, &scope, &format!("`count` of {what}"), loc);
            if is_undecided(&v) {
                let mut keys = undecided(
                    Mode::Count,
                    None,
                    format!(
                        "`count` of {what} is not known before apply ({})",
                        unknown_from(&v).undecided_reason().unwrap_or_default()
                    ),
                );
                // `length(aws_subnet.private)`: as many instances as that block, at the same
                // indexes.
                keys.group = match v.partial() {
                    Some(Partial::Count { group }) => Some(group.clone()),
                    _ => count_group(inst, e),
                };
                return Ok(keys);
            }
            let n = match crate::hcl::eval::to_number(&v) {
                Ok(n) if n >= 0.0 && n.fract() == 0.0 => n,
                _ => {
                    return Err(KeyError(
                        format!(
                            "`count` of {what} must be a whole number (0 or more); found {}",
                            describe(&v)
                        ),
                        loc.clone(),
                    ))
                }
            };
            if n > MAX_INSTANCES as f64 {
                return Err(KeyError(
                    format!(
                        "`count` of {what} is {n}, more than the {MAX_INSTANCES} instances of one \
                         resource or module call pullpath reads"
                    ),
                    loc.clone(),
                ));
            }
            let n = n as usize;
            return Ok(Keys {
                mode: Mode::Count,
                keys: (0..n)
                    .map(|i| (Some(InstanceKey::Int(i as i64)), None))
                    .collect(),
                undecided: None,
                group: None,
            });
        }
        let Some((e, loc)) = for_each else {
            // OpenTofu's `enabled`: one instance without a key, or none.
            let on = match enabled {
                None => true,
                Some((e, loc)) => {
                    let v = self.eval_noted(e, &scope, &format!("`enabled` of {what}"), loc);
                    if is_undecided(&v) {
                        return Ok(undecided(
                            Mode::Count,
                            None,
                            format!(
                                "`enabled` of {what} is not known before apply ({})",
                                unknown_from(&v).undecided_reason().unwrap_or_default()
                            ),
                        ));
                    }
                    match crate::hcl::eval::to_bool(&v) {
                        Ok(b) => b,
                        Err(_) => {
                            return Err(KeyError(
                                format!(
                                    "`enabled` of {what} must be a bool; found {}",
                                    describe(&v)
                                ),
                                loc.clone(),
                            ))
                        }
                    }
                }
            };
            return Ok(Keys {
                mode: Mode::Single,
                keys: if on { vec![(None, None)] } else { Vec::new() },
                undecided: None,
                group: None,
            });
        };
        let v = self.eval_noted(e, &scope, &format!("`for_each` of {what}"), loc);
        let not_known = |x: &Value| {
            format!(
                "`for_each` of {what} is not known before apply ({})",
                unknown_from(x).undecided_reason().unwrap_or_default()
            )
        };
        let mut extra: Option<(Value, String)> = None;
        let mut keys: Vec<(Option<InstanceKey>, Option<Value>)> = match &v {
            Value::Object(m) => m
                .iter()
                .map(|(k, x)| (Some(InstanceKey::Str(k.to_string())), Some(x.clone())))
                .collect(),
            Value::List(items) => {
                let mut keys: Vec<String> = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => keys.push(s.clone()),
                        // The known elements are instances whatever the unknown ones turn out
                        // to be (an unknown one may equal a known one, or add an instance).
                        x if is_undecided(x) => {
                            if extra.is_none() {
                                extra = Some((x.clone(), not_known(x)));
                            }
                        }
                        Value::Number(_) | Value::Bool(_) => {
                            keys.push(crate::hcl::eval::to_text(item).unwrap_or_default())
                        }
                        other => {
                            return Err(KeyError(
                                format!(
                                    "`for_each` of {what} must be a map or a set of strings; \
                                     found a list holding {}",
                                    describe(other)
                                ),
                                loc.clone(),
                            ))
                        }
                    }
                }
                keys.sort();
                keys.dedup();
                keys.into_iter()
                    .map(|k| (Some(InstanceKey::Str(k.clone())), Some(Value::String(k))))
                    .collect()
            }
            // `for_each = aws_subnet.private`, a block whose own `for_each` is not decided:
            // the same keys (its instances correspond one to one), and each value is the
            // instance of that key (`each.value.id` is `aws_subnet.private[each.key].id`).
            x @ Value::Unknown(u) if is_undecided(x) => {
                if let Some(Partial::Each {
                    element,
                    group: Some(g),
                }) = &u.partial
                {
                    if g.starts_with("each:") {
                        let mut keys =
                            undecided(Mode::ForEach, Some((**element).clone()), not_known(x));
                        keys.group = Some(g.clone());
                        return Ok(keys);
                    }
                }
                let mut keys = undecided(Mode::ForEach, Some(unknown_from(x)), not_known(x));
                keys.group = count_group(inst, e).map(|g| format!("each:{g}"));
                return Ok(keys);
            }
            x if is_undecided(x) => {
                let mut keys = undecided(Mode::ForEach, Some(unknown_from(x)), not_known(x));
                // `for_each = local.zones` in several blocks: the same keys, so their instances
                // correspond one to one by key (`aws_route_table.private[each.key]`), as those
                // of blocks with the same undecided `count` do by index.
                keys.group = count_group(inst, e).map(|g| format!("each:{g}"));
                return Ok(keys);
            }
            other => {
                return Err(KeyError(
                    format!(
                        "`for_each` of {what} must be a map or a set of strings; found {}",
                        describe(other)
                    ),
                    loc.clone(),
                ))
            }
        };
        if keys.len() > MAX_INSTANCES {
            return Err(KeyError(
                format!(
                    "`for_each` of {what} has {} elements, more than the {MAX_INSTANCES} \
                     instances of one resource or module call pullpath reads",
                    keys.len()
                ),
                loc.clone(),
            ));
        }
        let undecided = extra.map(|(each, reason)| {
            keys.push((Some(InstanceKey::Unknown), Some(each)));
            reason
        });
        Ok(Keys {
            mode: Mode::ForEach,
            keys,
            undecided,
            group: None,
        })
    }
}

/// What names an undecided `count` among the blocks of module instance `inst`: its expression
/// (as hcl-rs formats it: spaces and comments aside). The same expression in one module
/// instance has the same value, so the blocks that share it have the same number of instances,
/// which correspond by index; unless it calls a function whose value changes on every call.
pub(super) fn count_group(inst: usize, e: &Expression) -> Option<String> {
    let text = hcl::format::to_string(&hcl::Expression::from(e.clone())).ok()?;
    let random = ["timestamp(", "uuid(", "bcrypt(", "plantimestamp("];
    if random.iter().any(|f| text.contains(f)) {
        return None;
    }
    Some(format!("{inst}:{text}"))
}

/// A value in an error message: its type, and the value itself when it is short.
fn describe(v: &Value) -> String {
    let ty = types::type_name(v);
    let article = if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    match v {
        Value::Null => "null".to_string(),
        Value::String(s) if s.chars().count() <= 40 => format!("a string ({s:?})"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("the bool {b}"),
        _ => format!("{article} {ty}"),
    }
}
