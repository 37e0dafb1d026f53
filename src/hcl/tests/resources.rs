//! Resources: references to set and unset attributes, `count` / `for_each` instances (those
//! the input does not decide included), nested and dynamic blocks, data sources, provider
//! regions, locations and suppressions.

use super::*;

#[test]
fn references_to_unset_attributes_are_refs_and_set_ones_are_values() {
    let src = r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
}
"#;
    let (rs, notes) = resources(src);
    assert!(notes.is_empty(), "{notes:?}");
    let a = find(&rs, "aws_subnet.a");
    assert_eq!(a.get("vpc_id"), Some(&reference("aws_vpc.main", "id")));
    assert_eq!(a.get("cidr_block"), Some(&s("10.0.1.0/24")));
}

#[test]
fn count_and_for_each_instances() {
    let src = r#"
variable "azs" {
  default = ["a", "b", "c"]
}
resource "aws_subnet" "private" {
  count             = length(var.azs)
  availability_zone = var.azs[count.index]
  cidr_block        = "10.0.${count.index}.0/24"
}
resource "aws_subnet" "none" {
  count = 0
}
resource "aws_vpc_endpoint" "this" {
  for_each     = { for s in ["ecr.dkr", "logs"] : replace(s, ".", "_") => s }
  service_name = "com.amazonaws.us-east-1.${each.value}"
  tags         = { Key = each.key }
  subnet_ids   = aws_subnet.private[*].id
}
resource "aws_vpc_endpoint" "set" {
  for_each     = toset(["com.amazonaws.us-east-1.s3"])
  service_name = each.key
}
resource "aws_vpc_endpoint" "empty" {
  for_each = {}
}
"#;
    let (rs, _) = resources(src);
    let addrs: Vec<&str> = rs.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addrs,
        vec![
            "aws_subnet.private[0]",
            "aws_subnet.private[1]",
            "aws_subnet.private[2]",
            "aws_vpc_endpoint.this[\"ecr_dkr\"]",
            "aws_vpc_endpoint.this[\"logs\"]",
            "aws_vpc_endpoint.set[\"com.amazonaws.us-east-1.s3\"]",
        ]
    );
    assert_eq!(
        find(&rs, "aws_subnet.private[2]").get("availability_zone"),
        Some(&s("c"))
    );
    let e = find(&rs, "aws_vpc_endpoint.this[\"ecr_dkr\"]");
    assert_eq!(
        e.get("service_name"),
        Some(&s("com.amazonaws.us-east-1.ecr.dkr"))
    );
    assert_eq!(e.values.path(&["tags", "Key"]), Some(&s("ecr_dkr")));
    assert_eq!(
        e.get("subnet_ids"),
        Some(&l(vec![
            reference("aws_subnet.private[0]", "id"),
            reference("aws_subnet.private[1]", "id"),
            reference("aws_subnet.private[2]", "id"),
        ]))
    );
    assert_eq!(
        find(&rs, "aws_vpc_endpoint.set[\"com.amazonaws.us-east-1.s3\"]").get("service_name"),
        Some(&s("com.amazonaws.us-east-1.s3"))
    );
}

/// Issue 16: the instances of an undecided `for_each` are one that may exist (key `[*]`, values
/// where they do not depend on `each`), not none; a reference to them as a collection (or to
/// one key) stays unknown with the reason.
#[test]
fn unknown_for_each_gives_one_instance_that_may_exist_and_a_note() {
    let src = r#"
variable "services" {}
resource "aws_vpc_endpoint" "this" {
  for_each     = var.services
  service_name = each.value
}
resource "aws_security_group" "sg" {
  tags = { first = aws_vpc_endpoint.this["a"].id }
}
"#;
    let (rs, notes) = resources(src);
    assert_eq!(rs.len(), 2);
    assert!(notes.iter().any(|n| n.starts_with("t/main.tf:3:1: `for_each` of aws_vpc_endpoint.this is not known before apply (variable `services` has no value")), "{notes:?}");
    let ep = find(&rs, "aws_vpc_endpoint.this[*]");
    assert_eq!(ep.addr.key, Some(crate::model::InstanceKey::Unknown));
    assert!(
        ep.may_exist()
            .is_some_and(|m| m.what == "aws_vpc_endpoint.this[*]"
                && m.reason.contains("variable `services` has no value")),
        "{ep:?}"
    );
    assert!(ep.get("service_name").is_some_and(|v| v.is_undecided()));
    let sg = find(&rs, "aws_security_group.sg");
    assert!(sg.may_exist().is_none());
    let tag = sg.values.path(&["tags", "first"]).unwrap();
    assert!(
        reason(tag).contains("`for_each` of aws_vpc_endpoint.this is not known"),
        "{tag:?}"
    );
}

/// Issue 16, ecosystem row 7: the instances of blocks with the same undecided `count` in one
/// module instance correspond by index. A reference to all of them is a list whose elements
/// are like the instance that stands for them all (the model holds it as a reference to that
/// instance); indexing it with the `count.index` of a block with the same `count` is the
/// instance at the same index; anything else about it stays unknown.
#[test]
fn instances_of_one_unknown_count_correspond_by_index() {
    let src = r#"
variable "zones" {}
variable "other" {}
resource "aws_subnet" "private" {
  count             = length(var.zones)
  availability_zone = var.zones[count.index]
}
resource "aws_route_table" "private" {
  count = length(var.zones)
}
resource "aws_route_table_association" "private" {
  count          = length( var.zones )
  subnet_id      = element(aws_subnet.private[*].id, count.index)
  route_table_id = aws_route_table.private[count.index].id
}
resource "aws_route_table_association" "by_length" {
  count          = length(aws_subnet.private)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}
resource "aws_route_table_association" "other" {
  count          = length(var.other)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = element(toset(aws_route_table.private[*].id), count.index)
}
resource "aws_vpc_endpoint" "s3" {
  route_table_ids = aws_route_table.private[*].id
  subnet_ids      = [for s in aws_subnet.private : s.id]
  tags = {
    first  = aws_route_table.private[0].id
    length = length(aws_subnet.private)
    more   = concat(aws_subnet.private[*].id, ["subnet-0123456789abcdef0"])
    set    = toset(aws_subnet.private[*].id)
  }
}
"#;
    let (rs, _) = resources(src);
    let subnet = reference("aws_subnet.private[*]", "id");
    let table = reference("aws_route_table.private[*]", "id");
    // Same `count` (spaces aside): the instances at one index.
    let a = find(&rs, "aws_route_table_association.private[*]");
    assert_eq!(a.get("subnet_id"), Some(&subnet));
    assert_eq!(a.get("route_table_id"), Some(&table));
    let cond = |address: &str| {
        find(&rs, address)
            .may_exist()
            .and_then(|m| m.condition.clone())
    };
    assert!(cond("aws_subnet.private[*]").is_some());
    assert_eq!(
        cond("aws_subnet.private[*]"),
        cond("aws_route_table_association.private[*]")
    );
    // As many as the instances of a block: the same.
    let b = find(&rs, "aws_route_table_association.by_length[*]");
    assert_eq!(b.get("subnet_id"), Some(&subnet));
    assert_eq!(b.get("route_table_id"), Some(&table));
    assert_eq!(
        cond("aws_subnet.private[*]"),
        cond("aws_route_table_association.by_length[*]")
    );
    // Another `count`, or a list whose order is lost: nothing corresponds.
    let o = find(&rs, "aws_route_table_association.other[*]");
    assert_ne!(
        cond("aws_subnet.private[*]"),
        cond("aws_route_table_association.other[*]")
    );
    for attr in ["subnet_id", "route_table_id"] {
        assert!(
            matches!(o.get(attr), Some(Value::Unknown(u)) if u.partial.is_none()),
            "{attr}: {:?}",
            o.get(attr)
        );
    }
    // All of them: the instance that stands for them.
    let ep = find(&rs, "aws_vpc_endpoint.s3");
    assert_eq!(ep.get("route_table_ids"), Some(&table));
    assert_eq!(ep.get("subnet_ids"), Some(&subnet));
    assert_eq!(ep.values.path(&["tags", "set"]), Some(&subnet));
    // One of them by a known index, their number, more than them: unknown.
    for tag in ["first", "length", "more"] {
        let v = ep.values.path(&["tags", tag]);
        assert!(
            matches!(v, Some(Value::Unknown(u)) if u.partial.is_none()),
            "{tag}: {v:?}"
        );
    }
}

#[test]
fn nested_and_dynamic_blocks_become_lists_of_objects() {
    let src = r#"
resource "aws_security_group" "sg" {
  ingress {
    from_port = 443
    to_port   = 443
    protocol  = "tcp"
  }
  dynamic "ingress" {
    for_each = [80, 8080]
    iterator = port
    content {
      from_port = port.value
      to_port   = port.value
      protocol  = "tcp"
      self      = null
    }
  }
  lifecycle {
    create_before_destroy = true
  }
}
resource "aws_ecs_service" "app" {
  network_configuration {
    subnets = ["subnet-1"]
  }
}
"#;
    let (rs, _) = resources(src);
    let sg = find(&rs, "aws_security_group.sg");
    let ingress = sg.get("ingress").and_then(Value::as_list).unwrap();
    assert_eq!(ingress.len(), 3);
    assert_eq!(ingress[2].get("from_port"), Some(&n(8080.0)));
    assert_eq!(ingress[1].get("self"), None);
    assert!(sg.get("lifecycle").is_none());
    let svc = find(&rs, "aws_ecs_service.app");
    assert_eq!(
        svc.values.path(&["network_configuration", "subnets"]),
        Some(&l(vec![s("subnet-1")]))
    );
}

/// `data "aws_iam_policy"` by the ARN of an AWS managed policy has that policy's document;
/// a customer policy (or one named by `name`) is known only when Terraform reads it.
#[test]
fn aws_managed_policy_data_source() {
    let src = r#"
data "aws_iam_policy" "managed" {
  arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
data "aws_iam_policy" "customer" {
  arn = "arn:aws:iam::123456789012:policy/team"
}
locals {
  managed  = jsondecode(data.aws_iam_policy.managed.policy)
  customer = data.aws_iam_policy.customer.policy
}
"#;
    let mut st = state(src);
    let managed = local(&mut st, "managed");
    assert!(
        format!("{managed:?}").contains("ecr:GetAuthorizationToken"),
        "{managed:?}"
    );
    assert_eq!(
        local(&mut st, "customer"),
        reference("data.aws_iam_policy.customer", "policy")
    );
}

#[test]
fn data_sources() {
    let src = r#"
provider "aws" {
  region = "eu-north-1"
}
data "aws_region" "current" {}
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_availability_zones" "available" {
  state = "available"
}
data "aws_vpc_endpoint_service" "ecr" {
  service = "ecr.dkr"
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["ecr:BatchGetImage"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
locals {
  region    = data.aws_region.current.name
  dns       = data.aws_partition.current.dns_suffix
  account   = data.aws_caller_identity.current.account_id
  arn       = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
  az        = data.aws_availability_zones.available.names[0]
  state     = data.aws_availability_zones.available.state
  service   = data.aws_vpc_endpoint_service.ecr.service_name
  policy    = jsondecode(data.aws_iam_policy_document.p.json)
}
"#;
    let mut st = state(src);
    assert_eq!(local(&mut st, "region"), s("eu-north-1"));
    assert_eq!(local(&mut st, "dns"), s("amazonaws.com"));
    assert_eq!(
        local(&mut st, "account"),
        reference("data.aws_caller_identity.current", "account_id")
    );
    assert_eq!(
        reason(&local(&mut st, "arn")),
        "data source data.aws_caller_identity.current: attributes known only when Terraform reads it"
    );
    assert!(local(&mut st, "az").is_undecided());
    assert_eq!(local(&mut st, "state"), s("available"));
    assert_eq!(
        local(&mut st, "service"),
        s("com.amazonaws.eu-north-1.ecr.dkr")
    );
    let p = local(&mut st, "policy");
    assert_eq!(
        p.path(&["Statement"])
            .and_then(Value::as_list)
            .map(|l| l[0].path(&["Principal", "AWS"]).cloned()),
        Some(Some(s("*")))
    );
}

#[test]
fn provider_aliases_set_resource_regions() {
    let src = r#"
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
resource "aws_vpc" "east" {}
resource "aws_vpc" "west" {
  provider = aws.west
}
"#;
    let (rs, _) = resources(src);
    assert_eq!(
        find(&rs, "aws_vpc.east").region.as_deref(),
        Some("us-east-1")
    );
    assert_eq!(
        find(&rs, "aws_vpc.west").region.as_deref(),
        Some("us-west-2")
    );
}

#[test]
fn locations_and_suppressions() {
    let src = r#"# A comment that is not a suppression.
# pullpath:ignore=PP401,PP402 the bucket policy is managed elsewhere
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.us-east-1.s3" // pullpath:ignore=PP110
}

# pullpath:ignore=PP999 separated by a blank line: not this block's

resource "aws_vpc" "main" {
    cidr_block = "10.0.0.0/16"
}
"#;
    let (rs, _) = resources(src);
    let e = find(&rs, "aws_vpc_endpoint.s3");
    let loc = e.location().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.line, loc.column),
        ("t/main.tf", 3, 1)
    );
    let svc = e.location_of("service_name").unwrap();
    assert_eq!((svc.line, svc.column), (5, 3));
    assert_eq!(e.suppressions().len(), 2);
    assert_eq!(e.suppressions()[0].codes, vec!["PP401", "PP402"]);
    assert_eq!(
        e.suppressions()[0].reason,
        "the bucket policy is managed elsewhere"
    );
    assert_eq!(e.suppressions()[0].location.line, 2);
    assert_eq!(e.suppressions()[1].codes, vec!["PP110"]);
    assert_eq!(e.suppressions()[1].reason, "");
    let v = find(&rs, "aws_vpc.main");
    assert!(v.suppressions().is_empty());
    let c = v.location_of("cidr_block").unwrap();
    assert_eq!((c.line, c.column), (11, 5));
}

#[test]
fn attributes_set_to_null_are_left_to_the_provider() {
    let src = r#"
resource "aws_vpc_endpoint" "e" {
  policy = null
}
resource "aws_security_group" "sg" {
  tags = { p = aws_vpc_endpoint.e.policy }
}
"#;
    let (rs, _) = resources(src);
    assert_eq!(find(&rs, "aws_vpc_endpoint.e").get("policy"), None);
    assert_eq!(
        find(&rs, "aws_security_group.sg")
            .values
            .path(&["tags", "p"]),
        Some(&reference("aws_vpc_endpoint.e", "policy"))
    );
}

#[test]
fn resource_self_reference_is_unknown_not_a_crash() {
    let src = r#"
resource "aws_security_group" "a" {
  name = aws_security_group.a.name
}
"#;
    let (rs, _) = resources(src);
    assert!(reason(rs[0].get("name").unwrap()).contains("depends on itself"));
}

#[test]
fn constant_scope_refuses_references() {
    let mut st = state("locals {\n a = 1\n}\n");
    let e = hcl::edit::parser::parse_expr("local.a").unwrap();
    assert!(st.eval(&e, &Scope::constant()).is_err());
}

/// Issue 16: a set with one unknown element still has its known elements as instances (they
/// exist whatever the unknown one is), plus one that may exist; `each.value` of that one is the
/// unknown element. A module call whose `count` is undecided gives `module.m[*]`, whose
/// resources may exist for the call's reason.
#[test]
fn partly_known_for_each_keeps_the_known_instances() {
    let src = r#"
variable "extra" {}
resource "aws_vpc_endpoint" "this" {
  for_each     = toset(["s3", var.extra])
  service_name = each.value
}
"#;
    let (rs, _) = resources(src);
    let known = find(&rs, "aws_vpc_endpoint.this[\"s3\"]");
    assert!(known.may_exist().is_none());
    assert_eq!(known.get("service_name"), Some(&s("s3")));
    let maybe = find(&rs, "aws_vpc_endpoint.this[*]");
    assert!(maybe
        .may_exist()
        .is_some_and(|m| m.reason.contains("variable `extra` has no value")));
    assert!(maybe
        .get("service_name")
        .and_then(|v| v.undecided_reason())
        .is_some_and(|r| r.contains("extra")));
}

/// Ecosystem row 35 (bug 3): the traversal after a full splat applies to each element, and a
/// string index on a resource instance (an object) is its attribute: cloudposse writes
/// `aws_security_group.x[*]["id"]` and `one(aws_security_group.x[*]["id"])`. A number index on
/// an instance without `count` stays an error.
#[test]
fn string_index_on_an_instance_is_its_attribute() {
    let src = r#"
resource "aws_security_group" "t" {
  count = 2
  name  = "t${count.index}"
}
resource "aws_security_group" "one" {
  count = 1
}
resource "aws_security_group" "single" {}
resource "aws_ecs_service" "s" {
  network_configuration {
    security_groups = aws_security_group.t[*]["id"]
  }
  tags = {
    one     = one(aws_security_group.one[*]["id"])
    legacy  = join(",", aws_security_group.t.*.name)
    single  = aws_security_group.single["id"]
    indexed = aws_security_group.t[1]["name"]
    bad     = try(aws_security_group.single[0], "error")
  }
}
"#;
    let (rs, notes) = resources(src);
    assert!(notes.is_empty(), "{notes:?}");
    let svc = find(&rs, "aws_ecs_service.s");
    assert_eq!(
        svc.values
            .path(&["network_configuration", "security_groups"]),
        Some(&l(vec![
            reference("aws_security_group.t[0]", "id"),
            reference("aws_security_group.t[1]", "id"),
        ]))
    );
    let tags = svc.get("tags").expect("tags");
    assert_eq!(
        tags.get("one"),
        Some(&reference("aws_security_group.one[0]", "id"))
    );
    assert_eq!(tags.get("legacy"), Some(&s("t0,t1")));
    assert_eq!(
        tags.get("single"),
        Some(&reference("aws_security_group.single", "id"))
    );
    assert_eq!(tags.get("indexed"), Some(&s("t1")));
    assert_eq!(tags.get("bad"), Some(&s("error")));
}

#[test]
fn attributes_of_nested_blocks_have_their_locations() {
    let src = r#"
resource "aws_ecs_service" "app" {
  name = "app"
  network_configuration {
    subnets         = ["subnet-1"]
    security_groups = ["sg-1"]
  }
  dynamic "load_balancer" {
    for_each = []
    content {
      container_name = "app"
    }
  }
}
"#;
    let (rs, _) = resources(src);
    let s = find(&rs, "aws_ecs_service.app");
    let at = |a: &str| s.location_of(a).map(|l| (l.line, l.column));
    assert_eq!(at("network_configuration"), Some((4, 3)));
    assert_eq!(at("network_configuration.security_groups"), Some((6, 5)));
    assert_eq!(at("load_balancer.container_name"), Some((11, 7)));
    // Not written: the block.
    assert_eq!(at("network_configuration.assign_public_ip"), Some((2, 1)));
    // A resource of the root module is in no module call.
    assert!(s.module_call().is_none());
}
