//! IP network functions: `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask`, on IPv4 and
//! IPv6 prefixes.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{arity, fail, int, text, Fail, FR};
use crate::hcl::eval::EvalError;
use crate::model::Value;

/// The IP network functions; `None` for a name that is not one of them.
pub(super) fn call(name: &str, a: &[Value]) -> Option<FR> {
    Some(match name {
        "cidrsubnet" => cidrsubnet(name, a),
        "cidrsubnets" => cidrsubnets(name, a),
        "cidrhost" => cidrhost(name, a),
        "cidrnetmask" => cidrnetmask(name, a),
        _ => return None,
    })
}

/// `cidrsubnet(prefix, newbits, netnum)`: subnet `netnum` of the prefix, `newbits` longer.
fn cidrsubnet(name: &str, a: &[Value]) -> FR {
    arity(name, a, 3, 3)?;
    let (addr, len, v6) = parse_cidr(&text(&a[0])?)?;
    let newbits = int(&a[1])?;
    let netnum = int(&a[2])?;
    let bits = if v6 { 128 } else { 32 };
    let new_len = len as i64 + newbits;
    if newbits < 0 || new_len > bits {
        return fail(format!(
            "not enough remaining address space for a subnet with a prefix of {new_len} bits"
        ));
    }
    if netnum < 0 || (newbits < 64 && netnum as u128 >= 1u128 << newbits) {
        return fail(format!(
            "prefix extension of {newbits} bits does not accommodate a subnet numbered {netnum}"
        ));
    }
    let shift = bits as u32 - new_len as u32;
    let net = addr | ((netnum as u128).checked_shl(shift).unwrap_or(0));
    Ok(Value::String(format!("{}/{new_len}", show_addr(net, v6))))
}

/// `cidrsubnets(prefix, newbits…)`: consecutive subnets of the given extra lengths, each
/// aligned to its size.
fn cidrsubnets(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, usize::MAX)?;
    let (addr, len, v6) = parse_cidr(&text(&a[0])?)?;
    let bits: u32 = if v6 { 128 } else { 32 };
    let mut cur: u128 = addr;
    let mut out = Vec::new();
    for nb in &a[1..] {
        let nb = int(nb)?;
        let new_len = len as i64 + nb;
        if nb < 1 || new_len > bits as i64 {
            return fail("not enough remaining address space");
        }
        let size = 1u128.checked_shl(bits - new_len as u32).unwrap_or(0);
        if size > 0 && !cur.is_multiple_of(size) {
            cur = (cur / size + 1) * size;
        }
        let end = cur.saturating_add(size);
        let limit = addr.saturating_add(1u128.checked_shl(bits - len).unwrap_or(u128::MAX));
        if end > limit {
            return fail("not enough remaining address space");
        }
        out.push(Value::String(format!("{}/{new_len}", show_addr(cur, v6))));
        cur = end;
    }
    Ok(Value::List(out))
}

/// `cidrhost(prefix, hostnum)`: the address of host `hostnum` (negative: from the end).
fn cidrhost(name: &str, a: &[Value]) -> FR {
    arity(name, a, 2, 2)?;
    let (addr, len, v6) = parse_cidr(&text(&a[0])?)?;
    let hostnum = int(&a[1])?;
    let bits: u32 = if v6 { 128 } else { 32 };
    let host_bits = bits - len;
    let size = 1u128.checked_shl(host_bits).unwrap_or(u128::MAX);
    let h: u128 = if hostnum < 0 {
        let neg = hostnum.unsigned_abs() as u128;
        if neg > size {
            return fail("the host number is out of range");
        }
        size - neg
    } else {
        hostnum as u128
    };
    if h >= size {
        return fail(format!(
            "prefix of {len} bits cannot accommodate a host numbered {hostnum}"
        ));
    }
    Ok(Value::String(show_addr(addr | h, v6)))
}

/// `cidrnetmask(prefix)`: the IPv4 netmask of the prefix (`255.255.0.0`).
fn cidrnetmask(name: &str, a: &[Value]) -> FR {
    arity(name, a, 1, 1)?;
    let (_, len, v6) = parse_cidr(&text(&a[0])?)?;
    if v6 {
        return fail("cidrnetmask takes only IPv4 prefixes");
    }
    let mask: u32 = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Ok(Value::String(Ipv4Addr::from(mask).to_string()))
}

/// Parses an IPv4 or IPv6 prefix into (network address, prefix length, is IPv6). The host
/// bits are cleared.
fn parse_cidr(s: &str) -> Result<(u128, u32, bool), Fail> {
    let (a, l) = s
        .split_once('/')
        .ok_or_else(|| Fail::Err(EvalError(format!("{s:?} is not a CIDR prefix"))))?;
    let len: u32 = l
        .parse()
        .map_err(|_| Fail::Err(EvalError(format!("{s:?} is not a CIDR prefix"))))?;
    if let Ok(v4) = a.parse::<Ipv4Addr>() {
        if len > 32 {
            return fail(format!("{s:?} has a prefix longer than 32 bits"));
        }
        let n = u32::from(v4) as u128;
        let mask: u128 = if len == 0 {
            0
        } else {
            (u32::MAX << (32 - len)) as u128
        };
        return Ok((n & mask, len, false));
    }
    if let Ok(v6) = a.parse::<Ipv6Addr>() {
        if len > 128 {
            return fail(format!("{s:?} has a prefix longer than 128 bits"));
        }
        let n = u128::from(v6);
        let mask: u128 = if len == 0 {
            0
        } else {
            u128::MAX << (128 - len)
        };
        return Ok((n & mask, len, true));
    }
    fail(format!("{s:?} is not a CIDR prefix"))
}

/// An address as text: dotted IPv4, or IPv6 in its shortest form.
fn show_addr(n: u128, v6: bool) -> String {
    if v6 {
        Ipv6Addr::from(n).to_string()
    } else {
        Ipv4Addr::from(n as u32).to_string()
    }
}
