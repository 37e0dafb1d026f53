use super::analysis::Scope;
use super::{declare_rule, missing, Finding};

declare_rule! {
    /// ## What it does
    /// Checks that a VPC whose workload subnets have no internet route has an S3 **Gateway**
    /// endpoint.
    ///
    /// ## Why is this bad?
    /// ECR stores image layers in an AWS-owned S3 bucket (`prod-<region>-starport-layer-bucket`)
    /// and hands the task presigned URLs to it. Without a route to S3 the manifest arrives but
    /// every layer download times out. An S3 *Interface* endpoint does not help: "interface
    /// endpoints for Amazon S3 can't be used with Amazon ECR".
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "s3" {
    ///   vpc_id            = aws_vpc.main.id
    ///   service_name      = "com.amazonaws.us-west-2.s3"
    ///   vpc_endpoint_type = "Interface" # ECR cannot use it
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Add a Gateway endpoint on the workload subnets' route tables (gateway endpoints have no
    /// hourly charge):
    /// ```hcl
    /// resource "aws_vpc_endpoint" "s3" {
    ///   vpc_id            = aws_vpc.main.id
    ///   service_name      = "com.amazonaws.us-west-2.s3"
    ///   vpc_endpoint_type = "Gateway"
    ///   route_table_ids   = [aws_route_table.private.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)", section
    ///   "Create the Amazon S3 gateway endpoint"
    /// - Amazon VPC User Guide: "Gateway endpoints for Amazon S3"
    pub static RULE = {
        code: "PP103",
        name: "s3-gateway-endpoint-missing",
        severity: Error,
        summary: "no S3 Gateway endpoint (an S3 Interface endpoint does not serve ECR)",
        services: [S3],
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    missing::check(scope, &RULE, out);
}
