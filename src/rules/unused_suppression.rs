use super::analysis::Scope;
use super::{declare_rule, Finding};

declare_rule! {
    /// ## What it does
    /// Reports a suppression (an `ignore` block of `.pullpath.hcl`, or a
    /// `# pullpath:ignore=CODE reason` comment) that matches no finding.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the problem it hid: after the fix it matches nothing, and later it
    /// silently hides a new problem of the same kind. Reporting it keeps suppressions honest.
    ///
    /// ## Example
    /// ```hcl
    /// ignore {
    ///   rule     = "PP110"
    ///   resource = "module.network.*"
    ///   reason   = "NAT traffic is negligible here"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Delete the suppression, or correct its rule code or resource pattern.
    ///
    /// ## References
    /// - cargo-deny: unmatched allow entries are reported
    pub static RULE = {
        code: "PP902",
        name: "unused-suppression",
        severity: Note,
        summary: "a suppression matches no finding",
        check: check,
    }
}

/// Evaluated by the suppression layer, which knows every finding; the graph has nothing to say.
fn check(_scope: &Scope<'_>, _out: &mut Vec<Finding>) {}
