//! Function calls: `try` and `can` (which catch errors), `...` expansion, the file functions
//! (read only inside the configuration), `templatestring`, and the built-in functions of
//! `hcl::funcs` with what is left of the budget.

use hcl::edit::expr::FuncCall;

use super::values::{first_undecided, is_undecided, to_text, unknown_from};
use super::{err, EvalError, Scope, R};
use crate::hcl::funcs;
use crate::hcl::instance::State;
use crate::model::Value;

impl State {
    pub(super) fn call(&mut self, f: &FuncCall, s: &Scope<'_>) -> R {
        let mut name = String::new();
        for ns in &f.name.namespace {
            name.push_str(ns.value().as_str());
            name.push_str("::");
        }
        name.push_str(f.name.name.value().as_str());
        match name.as_str() {
            "try" => {
                let mut last = None;
                for a in f.args.iter() {
                    match self.eval(a, s) {
                        Ok(v) => return Ok(v),
                        // Past the budget nothing is caught: the run ends.
                        Err(e) if self.budget.spent.is_some() => return Err(e),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(last.unwrap_or_else(|| EvalError("`try` needs an argument".into())));
            }
            "can" => {
                let Some(a) = f.args.get(0) else {
                    return err("`can` needs an argument");
                };
                return Ok(match self.eval(a, s) {
                    Ok(v) if is_undecided(&v) => unknown_from(&v),
                    Ok(_) => Value::Bool(true),
                    Err(e) if self.budget.spent.is_some() => return Err(e),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut args = Vec::with_capacity(f.args.len());
        for a in f.args.iter() {
            args.push(self.eval(a, s)?);
        }
        if f.args.expand_final() {
            match args.pop() {
                Some(Value::List(items)) => args.extend(items),
                Some(v) if is_undecided(&v) => return Ok(unknown_from(&v)),
                Some(_) => return err("`...` expands only a list"),
                None => {}
            }
        }
        match name.as_str() {
            "file" | "fileexists" | "filebase64" | "templatefile" | "abspath" => {
                self.file_function(&name, args)
            }
            // Terraform 1.9: a template given as a string (from a reference, never a literal).
            "templatestring" => {
                let Some(t) = args.first() else {
                    return err("`templatestring` needs a template");
                };
                if first_undecided(t).is_some() {
                    return Ok(unknown_from(t));
                }
                let text = to_text(t)?;
                self.render_template(&text, args.get(1), "templatestring")
            }
            // `replace(aws_ecr_repository.x.repository_url, "https://", "")`: a repository URL
            // (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`) holds only lowercase letters,
            // digits and `.`, `_`, `-`, `/` (Amazon ECR API Reference, `CreateRepository`:
            // repositoryName), so a search text with any other character leaves it as it is,
            // and the image keeps naming its repository.
            "replace" if ecr_url_unchanged(&args) => Ok(args.swap_remove(0)),
            // `trimsuffix(aws_ecs_task_definition.app.arn, ":${aws_ecs_task_definition.app.revision}")`
            // (or a `replace` that removes part of it): the ARN without its revision, which ECS
            // resolves to the family's latest revision, the one the input defines. It keeps
            // naming that task definition (ecosystem row 161's helper audit: the service's
            // containers, log driver and role were lost, and a broken deploy passed).
            "trimsuffix" | "replace" if task_definition_arn_trimmed(&name, &args) => {
                Ok(args.swap_remove(0))
            }
            // `format("%s:%s::", aws_secretsmanager_secret.db.id, "password")` with parts
            // known only after apply is the template it spells
            // (`"${aws_secretsmanager_secret.db.id}:password::"`): it keeps what a template
            // keeps of them (the resource it begins with, its known text) instead of becoming
            // an unknown string of nothing.
            "format" if args.iter().skip(1).any(|a| first_undecided(a).is_some()) => {
                match format_as_template(&args) {
                    Some((text, vars)) => self.render_template(&text, Some(&vars), "format"),
                    None => {
                        let mut room = self.budget.room();
                        funcs::call(&name, args, &mut room)
                    }
                }
            }
            _ => {
                let mut room = self.budget.room();
                let r = funcs::call(&name, args, &mut room);
                match room.over {
                    Some(why) => Err(self.over_budget(format!("{name}: {why}"))),
                    None => r,
                }
            }
        }
    }

    fn file_function(&mut self, name: &str, args: Vec<Value>) -> R {
        let Some(p) = args.first() else {
            return err(format!("`{name}` needs a path"));
        };
        if first_undecided(p).is_some() {
            return Ok(unknown_from(p));
        }
        let path = to_text(p)?;
        if name == "abspath" {
            return Ok(Value::String(crate::hcl::paths::join_display(
                &self.cwd, &path,
            )));
        }
        // Terraform resolves relative paths from the directory it runs in: the root module.
        let shown = crate::hcl::paths::join_display(&self.root_dir, &path);
        // Only files inside the configuration are read (the input is untrusted); outside,
        // the value is unknown, whatever the file holds.
        let real = match self.confined(&path) {
            Ok(real) => real,
            Err(why) => return Ok(Value::unknown(format!("{name}: {why}"))),
        };
        if name == "fileexists" {
            return Ok(Value::Bool(real.is_some()));
        }
        // Inside but nothing there: reading it says why (not found, a directory).
        let real = real.unwrap_or_else(|| std::path::PathBuf::from(&shown));
        let text = match self.read_file(&real, &shown) {
            Ok(t) => t,
            Err(e) => return err(e),
        };
        match name {
            "file" => Ok(Value::String(text)),
            "filebase64" => Ok(Value::String(funcs::base64_encode(text.as_bytes()))),
            _ => self.render_template(&text, args.get(1), &shown),
        }
    }
}

/// Whether `replace(url, search, _)` leaves `url` unchanged because `url` is the
/// `repository_url` of an ECR repository and `search` (a literal, not a `/regex/`) has a
/// character that no repository URL has.
fn ecr_url_unchanged(args: &[Value]) -> bool {
    let [Value::Ref(r), Value::String(search), Value::String(_)] = args else {
        return false;
    };
    let is_repository_url = |t: &crate::model::Target| {
        t.attr.as_deref() == Some("repository_url") && target_type(t) == Some("aws_ecr_repository")
    };
    let regex = search.len() >= 2 && search.starts_with('/') && search.ends_with('/');
    r.complete
        && !r.targets.is_empty()
        && r.targets.iter().all(is_repository_url)
        && !regex
        && search.chars().any(|c| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '/'))
        })
}

/// The resource type of a reference's target (`aws_ecr_repository` of
/// `module.m.aws_ecr_repository.app["x"]`).
fn target_type(t: &crate::model::Target) -> Option<&str> {
    let address = match t.address.rfind('[') {
        Some(i) if t.address.ends_with(']') => &t.address[..i],
        _ => t.address.as_str(),
    };
    address.rsplit('.').nth(1)
}

/// Whether `trimsuffix(arn, …)` or `replace(arn, …, "")` cuts something off the ARN of a task
/// definition of the input (`aws_ecs_task_definition.<name>.arn`): the revision, as it is
/// written in practice.
fn task_definition_arn_trimmed(name: &str, args: &[Value]) -> bool {
    let Some(Value::Ref(r)) = args.first() else {
        return false;
    };
    let arity = match name {
        "trimsuffix" => args.len() == 2,
        _ => args.len() == 3 && args[2].as_str() == Some(""),
    };
    let is_arn = |t: &crate::model::Target| {
        matches!(t.attr.as_deref(), Some("arn" | "arn_without_revision"))
            && target_type(t) == Some("aws_ecs_task_definition")
    };
    arity && r.complete && !r.targets.is_empty() && r.targets.iter().all(is_arn)
}

/// A `format` call whose spec is a known string of plain `%s`/`%v`/`%d` verbs (no flags, width,
/// precision or explicit argument index) and `%%`, as a template text (`"${a0}:${a1}::"`) and
/// the variables that fill it: `None` for any other spec, which `format` itself then reads.
fn format_as_template(args: &[Value]) -> Option<(String, Value)> {
    let spec = args.first()?.as_str()?;
    let mut text = String::with_capacity(spec.len() + 16);
    let mut vars = crate::model::value::Map::new();
    let mut next = 1;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '%' => match chars.next()? {
                '%' => text.push('%'),
                's' | 'v' | 'd' => {
                    let arg = args.get(next)?;
                    let name = format!("a{next}");
                    text.push_str(&format!("${{{name}}}"));
                    vars.insert(name.into(), arg.clone());
                    next += 1;
                }
                _ => return None,
            },
            // Template syntax in the literal text stays literal (`%{` is no verb: `None` above).
            '$' if chars.peek() == Some(&'{') => text.push_str("$$"),
            _ => text.push(c),
        }
    }
    // Terraform rejects arguments the spec does not use.
    (next == args.len()).then_some((text, Value::Object(vars)))
}
