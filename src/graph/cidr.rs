//! IPv4 CIDR blocks, for "does this rule's range contain the workload subnets?".

use std::fmt;
use std::net::Ipv4Addr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4Net {
    pub addr: u32,
    pub prefix: u8,
}

impl Ipv4Net {
    /// Parses `10.0.0.0/16`. The host bits are cleared, as AWS does.
    pub fn parse(s: &str) -> Option<Ipv4Net> {
        let (ip, len) = s.trim().split_once('/')?;
        let ip: Ipv4Addr = ip.parse().ok()?;
        let prefix: u8 = len.parse().ok()?;
        if prefix > 32 {
            return None;
        }
        Some(Ipv4Net {
            addr: u32::from(ip) & mask(prefix),
            prefix,
        })
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: &Ipv4Net) -> bool {
        other.prefix >= self.prefix && (other.addr & mask(self.prefix)) == self.addr
    }

    /// `0.0.0.0/0`.
    pub fn is_any(&self) -> bool {
        self.prefix == 0
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

impl fmt::Display for Ipv4Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.addr), self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment() {
        let vpc = Ipv4Net::parse("10.0.0.0/16").unwrap();
        let sub = Ipv4Net::parse("10.0.1.0/24").unwrap();
        assert!(vpc.contains(&sub));
        assert!(!sub.contains(&vpc));
        assert!(Ipv4Net::parse("0.0.0.0/0").unwrap().contains(&sub));
        assert!(!Ipv4Net::parse("10.1.0.0/16").unwrap().contains(&sub));
        assert_eq!(
            Ipv4Net::parse("10.0.1.7/24").unwrap().to_string(),
            "10.0.1.0/24"
        );
        assert!(Ipv4Net::parse("10.0.0.0/33").is_none());
        assert!(Ipv4Net::parse("::/0").is_none());
    }
}
