//! The verbs of Terraform's `format` and `formatlist` (Go's `fmt`, as Terraform exposes it).

use super::encoding::{jsonencode, write_json_string};
use super::{fail, Fail, MAX_STRING};
use crate::hcl::eval::{to_bool, to_number, to_text, EvalError};
use crate::model::value::format_number;
use crate::model::Value;

/// Terraform's `format` verbs: `%s %d %f %e %g %x %X %o %b %t %q %v %#v %%`, with flags
/// (`-`, `0`, `+`, ` `), width, precision and explicit argument indexes (`%[2]s`).
pub(super) fn render(f: &str, args: &[Value]) -> Result<String, Fail> {
    let mut out = String::new();
    let chars: Vec<char> = f.chars().collect();
    let mut i = 0;
    let mut next_arg = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let (mut minus, mut zero, mut plus, mut space, mut sharp) =
            (false, false, false, false, false);
        while let Some(&fl) = chars.get(i) {
            match fl {
                '-' => minus = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' => space = true,
                '#' => sharp = true,
                _ => break,
            }
            i += 1;
        }
        if chars.get(i) == Some(&'[') {
            let end = chars[i..]
                .iter()
                .position(|&c| c == ']')
                .ok_or_else(|| Fail::Err(EvalError("unterminated `[` in the format".into())))?;
            let n: usize = chars[i + 1..i + end]
                .iter()
                .collect::<String>()
                .parse()
                .map_err(|_| Fail::Err(EvalError("bad argument index in the format".into())))?;
            next_arg = n.saturating_sub(1);
            i += end + 1;
        }
        let mut width = 0usize;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            width = width.saturating_mul(10).saturating_add(d as usize);
            i += 1;
        }
        let mut prec = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                p = p.saturating_mul(10).saturating_add(d as usize);
                i += 1;
            }
            prec = Some(p);
        }
        if width > 4096 || prec.is_some_and(|p| p > 4096) {
            return fail("the width or precision in the format is too large");
        }
        let Some(&verb) = chars.get(i) else {
            return fail("the format ends with an incomplete verb");
        };
        i += 1;
        let Some(arg) = args.get(next_arg) else {
            return fail(format!(
                "not enough arguments for the format (verb %{verb})"
            ));
        };
        next_arg += 1;
        let body = match verb {
            's' => {
                let mut s = to_text(arg)?;
                if let Some(p) = prec {
                    s = s.chars().take(p).collect();
                }
                s
            }
            'v' => {
                if sharp {
                    match jsonencode(arg) {
                        Value::String(s) => s,
                        _ => String::new(),
                    }
                } else {
                    match arg {
                        Value::List(_) | Value::Object(_) => match jsonencode(arg) {
                            Value::String(s) => s,
                            _ => String::new(),
                        },
                        other => to_text(other)?,
                    }
                }
            }
            'q' => {
                let mut s = String::new();
                write_json_string(&to_text(arg)?, &mut s);
                s
            }
            't' => to_bool(arg)?.to_string(),
            'd' | 'x' | 'X' | 'o' | 'b' => {
                let n = to_number(arg)?;
                if n.fract() != 0.0 {
                    return fail(format!("%{verb} needs a whole number"));
                }
                let n = n as i64;
                let (neg, m) = (n < 0, n.unsigned_abs());
                let digits = match verb {
                    'd' => m.to_string(),
                    'x' => format!("{m:x}"),
                    'X' => format!("{m:X}"),
                    'o' => format!("{m:o}"),
                    _ => format!("{m:b}"),
                };
                sign(neg, plus, space) + &digits
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let n = to_number(arg)?;
                let p = prec.unwrap_or(6);
                let body = match verb {
                    'f' | 'F' => format!("{:.*}", p, n.abs()),
                    'e' => format!("{:.*e}", p, n.abs()),
                    'E' => format!("{:.*E}", p, n.abs()),
                    _ => format_number(n.abs()),
                };
                sign(n < 0.0, plus, space) + &body
            }
            other => return fail(format!("unsupported format verb %{other}")),
        };
        let len = body.chars().count();
        if len < width {
            let pad = width - len;
            if minus {
                out.push_str(&body);
                out.push_str(&" ".repeat(pad));
            } else if zero && !matches!(verb, 's' | 'q' | 'v' | 't') {
                let (sgn, rest) = match body.chars().next() {
                    Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body[1..].to_string()),
                    _ => (String::new(), body.clone()),
                };
                out.push_str(&sgn);
                out.push_str(&"0".repeat(pad));
                out.push_str(&rest);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&body);
            }
        } else {
            out.push_str(&body);
        }
        if out.len() > MAX_STRING {
            return fail("the result is too long");
        }
    }
    Ok(out)
}

/// The sign a number is written with: `-`, or `+` / ` ` where the flags ask for one.
fn sign(neg: bool, plus: bool, space: bool) -> String {
    if neg {
        "-".into()
    } else if plus {
        "+".into()
    } else if space {
        " ".into()
    } else {
        String::new()
    }
}
