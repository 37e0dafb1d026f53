use super::analysis::{Reach, Scope, Service};
use super::{declare_rule, fixes, missing, Finding, Hop};

declare_rule! {
    /// ## What it does
    /// Notes workloads that pull their images through a NAT gateway in a VPC without an S3
    /// gateway endpoint.
    ///
    /// ## Why is this bad?
    /// Image layers are most of a pull's bytes, and they come from S3. Through a NAT gateway
    /// every gigabyte is charged for NAT data processing; an S3 gateway endpoint has no hourly
    /// or data charge and takes that traffic off the NAT gateway.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_route" "private_nat" {
    ///   route_table_id         = aws_route_table.private.id
    ///   destination_cidr_block = "0.0.0.0/0"
    ///   nat_gateway_id         = aws_nat_gateway.main.id
    /// }
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_vpc_endpoint" "s3" {
    ///   vpc_id            = aws_vpc.main.id
    ///   service_name      = "com.amazonaws.us-west-2.s3"
    ///   vpc_endpoint_type = "Gateway"
    ///   route_table_ids   = [aws_route_table.private.id]
    /// }
    /// ```
    /// Check its policy allows the ECR layer bucket (PP401).
    ///
    /// ## References
    /// - Amazon VPC User Guide: "Gateway endpoints" (pricing)
    /// - Amazon VPC pricing: NAT gateway data processing
    pub static RULE = {
        code: "PP110",
        name: "s3-gateway-would-save-nat",
        severity: Note,
        summary: "workloads pull images through a NAT gateway and the VPC has no S3 gateway endpoint (NAT charges every layer)",
        services: [S3],
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(v) = scope.vpc() else { return };
    let Some(f) = scope
        .workloads
        .iter()
        .find(|f| matches!(f.reach, Reach::Internet { nat: true, .. }))
    else {
        return;
    };
    let (found, uncertain) = scope.endpoints_for(Service::S3);
    if !found.is_empty() || uncertain.is_some() {
        return;
    }
    let w = scope.workload(f);
    let Reach::Internet { via, .. } = &f.reach else {
        return;
    };
    let mut path = scope.workload_path(f);
    path.push(Hop::NatGateway);
    let node = &scope.net.vpcs[v].node;
    out.push(
        Finding::fail(
            &RULE,
            scope.net.vpc_name(v),
            format!("{} pulls image layers from S3 through NAT ({via}); an S3 gateway endpoint would carry them without NAT data processing charges", w.node.name()),
        )
        .with_workload(Some(w.node.name()))
        .with_path(path)
        .with_fix(fixes::gateway_endpoint(scope, &missing::workload_tables(scope)))
        .at(node.location.clone(), node.input),
    );
}
