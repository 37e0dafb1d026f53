"""A small builder of `terraform show -json` plans, for pullpath's fixtures.

It writes plans in the shape Terraform 1.9 prints them (plan `format_version` "1.2") for the
hashicorp/aws provider 5.x: `variables`, `planned_values` (unknown attributes omitted),
`resource_changes` (`actions`, `before`, `after`, `after_unknown`, `before_sensitive`,
`after_sensitive`), `prior_state` (existing resources and the data sources read while planning)
and `configuration` (`provider_config`, and per module the resources' `expressions` with
`constant_value` or `references`, `module_calls` with their `expressions`, `module`, `outputs`,
`variables`, and `count_expression` / `for_each_expression`).

How Terraform fills those sections, and how this builder imitates it:

- `after` holds every attribute of the resource's schema: the configured value, the schema
  default (often `null`), or, for a computed attribute the configuration leaves unset, the value
  the provider reports; in a create plan that value is unknown. Unknown attributes are omitted
  from `after` (unknown elements of a list become `null`) and marked `true` in `after_unknown`,
  which otherwise mirrors the value: `false` for known primitives (left out of objects), a list
  per list, `{}` per object. A value without any unknown part has `after_unknown: {}`.
- A set of primitives with one unknown element (`[aws_subnet.a.id, aws_subnet.b.id]` before
  apply) is unknown as a whole, as in Terraform's plans.
- `*_sensitive` mirror the value too; unknown collections are `[]` / `{}` there.
- Data sources whose arguments are known are read while planning: they are only in
  `prior_state`, never in `resource_changes` or `planned_values`.
- `references` list every prefix of each traversal, most specific first
  (`["aws_vpc.main.id", "aws_vpc.main"]`), plus `count.index` / `each.key` / `each.value`.
- An expression made of a function call without references (`jsonencode({...})` of literals)
  is recorded as `{}`: Terraform records a `constant_value` only for literal expressions.

Expressions are given as `C(value)` (a literal), `E(value, ref, ...)` (an expression with
references, whose value the fixture states: `UNKNOWN` when it is known only after apply),
`F(value)` (a function of literals) and `ref(resource, attr)` (a plain reference, whose value is
taken from the referenced resource). Python standard library only.
"""

import copy
import hashlib
import json
import os

TERRAFORM_VERSION = "1.9.8"
PROVIDER = "registry.terraform.io/hashicorp/aws"
TIMESTAMP = "2025-06-02T09:30:00Z"


class Raw(str):
    """HCL text written as it is in the twins: a reference (`aws_vpc.main.id`), a call."""


class _Unknown:
    """A value known only after apply."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "UNKNOWN"

    def __deepcopy__(self, memo):
        return self


UNKNOWN = _Unknown()


def has_unknown(v):
    if v is UNKNOWN:
        return True
    if isinstance(v, list):
        return any(has_unknown(x) for x in v)
    if isinstance(v, dict):
        return any(has_unknown(x) for x in v.values())
    return False


class JsonText(str):
    """The result of `jsonencode`: the JSON text, which is what the plan holds, and the value it
    encodes (`source`), from which the HCL twins write `jsonencode({...})` (tfhcl.py)."""

    def __new__(cls, text, source):
        self = super().__new__(cls, text)
        self.source = source
        return self

    def __deepcopy__(self, memo):
        return self


def jsonencode(obj):
    """Terraform's `jsonencode`: compact, object keys sorted, HTML characters escaped."""
    s = json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return JsonText(s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"), obj)


class Expr:
    """A configuration expression and the value it has in the plan. `hcl`: how the expression
    is written in the HCL twins (tfhcl.py), where it cannot be told from the value and the
    references (None: told from them)."""

    __slots__ = ("value", "refs", "literal", "hcl")

    def __init__(self, value, refs=None, literal=False, hcl=None):
        self.value = value
        self.refs = refs
        self.literal = literal
        self.hcl = hcl

    def config(self):
        out = {}
        if self.literal:
            out["constant_value"] = self.value
        if self.refs:
            out["references"] = list(self.refs)
        return out


def C(value):
    """A literal: recorded as `constant_value`."""
    return Expr(value, None, True)


def E(value, *refs, hcl=None):
    """An expression with references; `value` is its value in the plan (may be UNKNOWN)."""
    return Expr(value, list(refs), False, hcl)


def F(value, hcl=None):
    """A function call without references (e.g. `jsonencode` of literals): recorded as `{}`."""
    return Expr(value, None, False, hcl)


def traversal_refs(rel, attr=None):
    """`aws_subnet.a[0]`, `id` -> the reference list Terraform records for `aws_subnet.a[0].id`."""
    out = []
    if attr:
        out.append(f"{rel}.{attr}")
    out.append(rel)
    if rel.endswith("]"):
        out.append(rel[: rel.rindex("[")])
    return out


def ref(res, attr="id"):
    """A plain reference to another resource of the same module: `aws_vpc.main.id`."""
    return Expr(res.after.get(attr, UNKNOWN) if res.after is not None else UNKNOWN,
                traversal_refs(res.rel, attr), False, Raw(f"{res.rel}.{attr}"))


def refs_list(resources, attr="id"):
    """`[aws_subnet.a.id, aws_subnet.b.id]`."""
    refs = []
    values = []
    for r in resources:
        refs.extend(traversal_refs(r.rel, attr))
        values.append(r.after.get(attr, UNKNOWN))
    return Expr(values, refs, False, [Raw(f"{r.rel}.{attr}") for r in resources])


def key_text(key):
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return "[" + json.dumps(key) + "]"


def fake_id(prefix, seed, n=17):
    return prefix + hashlib.sha1(seed.encode()).hexdigest()[:n]


# ---------------------------------------------------------------------------------------------
# Schemas: what each resource type's `after` holds. A spec is (type, mode, default) where type is
# s (string), n (number), b (bool), list / set (of primitives), map, or a nested block schema
# (dict, for blocks; `blocks` is the list of blocks), and mode is:
#   opt  optional, `default` when unset
#   req  required
#   oc   optional and computed: unknown in a create plan when unset; `default` (a value or a
#        function of the resource) for existing infrastructure
#   c    computed only: same as oc, never configured
# ---------------------------------------------------------------------------------------------


def opt(t, default=None):
    return (t, "opt", default)


def req(t):
    return (t, "req", None)


def oc(t, default=None):
    return (t, "oc", default)


def comp(t, default=None):
    return (t, "c", default)


def newer(t):
    """An argument of a newer provider version (hashicorp/aws 6.x: `aws_vpc_endpoint.service_region`):
    in `after` only where the configuration sets it, as the 5.x plans of the other fixtures do not
    have it."""
    return (t, "newer", None)


def _arn(service, kind):
    return lambda r: f"arn:aws:{service}:{r.region}:{r.account}:{kind}/{r.id}"


def _tags_all(r):
    tags = r.after_args.get("tags") or {}
    out = dict(r.plan.default_tags)
    out.update(tags)
    return out


TAGS = {"tags": opt("map"), "tags_all": comp("map", _tags_all)}
TIMEOUTS = {"timeouts": opt("s")}

ROUTE_BLOCK = {k: opt("s", "") for k in (
    "carrier_gateway_id", "cidr_block", "core_network_arn", "destination_prefix_list_id",
    "egress_only_gateway_id", "gateway_id", "ipv6_cidr_block", "local_gateway_id",
    "nat_gateway_id", "network_interface_id", "transit_gateway_id", "vpc_endpoint_id",
    "vpc_peering_connection_id")}

SG_RULE_BLOCK = {
    "cidr_blocks": opt("list", []),
    "description": opt("s", ""),
    "from_port": req("n"),
    "ipv6_cidr_blocks": opt("list", []),
    "prefix_list_ids": opt("list", []),
    "protocol": req("s"),
    "security_groups": opt("set", []),
    "self": opt("b", False),
    "to_port": req("n"),
}

NACL_RULE_BLOCK = {
    "action": req("s"),
    "cidr_block": opt("s", ""),
    "from_port": req("n"),
    "icmp_code": opt("n", 0),
    "icmp_type": opt("n", 0),
    "ipv6_cidr_block": opt("s", ""),
    "protocol": req("s"),
    "rule_no": req("n"),
    "to_port": req("n"),
}

S3_CIDRS = {
    "us-west-2": ["18.34.244.0/22", "18.34.48.0/20", "3.5.76.0/22", "3.5.80.0/21",
                  "35.80.36.208/28", "35.80.36.224/28", "52.218.128.0/17", "52.92.128.0/17"],
    "us-east-1": ["18.34.0.0/19", "16.182.0.0/16", "3.5.0.0/19", "44.192.134.240/28",
                  "44.192.140.64/28", "52.216.0.0/15", "54.231.0.0/16"],
    "eu-west-1": ["3.5.64.0/21", "3.5.72.0/23", "52.218.0.0/17", "52.92.0.0/17"],
}
S3_PREFIX_LISTS = {"us-west-2": "pl-68a54001", "us-east-1": "pl-63a5400a", "eu-west-1": "pl-6da54004"}

DEFAULT_ENDPOINT_POLICY = jsonencode({
    "Statement": [{"Action": "*", "Effect": "Allow", "Principal": "*", "Resource": "*"}],
    "Version": "2008-10-17",
})


def _endpoint_service_region(r):
    name = r.after_args.get("service_name") or ""
    parts = name.split(".")
    return parts[2] if len(parts) > 3 else r.region


def _endpoint_dns(r):
    if r.after_args.get("vpc_endpoint_type") != "Interface":
        return []
    svc = ".".join((r.after_args.get("service_name") or "").split(".")[3:])
    region = _endpoint_service_region(r)
    out = [{"dns_name": f"{r.id}-{fake_id('', r.address, 8)}.{svc}.{region}.vpce.amazonaws.com",
            "hosted_zone_id": "Z1YSA3EXCYUU9Z"}]
    if r.after_args.get("private_dns_enabled"):
        out.append({"dns_name": f"{svc}.{region}.amazonaws.com", "hosted_zone_id": "ZONEIDPENDING"})
    return out


SCHEMAS = {
    "aws_vpc": (1, {
        "arn": comp("s", _arn("ec2", "vpc")),
        "assign_generated_ipv6_cidr_block": opt("b"),
        "cidr_block": oc("s"),
        "default_network_acl_id": comp("s", lambda r: fake_id("acl-", r.address + "acl")),
        "default_route_table_id": comp("s", lambda r: r.state_value("main_route_table_id")),
        "default_security_group_id": comp("s", lambda r: fake_id("sg-", r.address + "defaultsg")),
        "dhcp_options_id": comp("s", lambda r: fake_id("dopt-", r.region)),
        "enable_dns_hostnames": oc("b", False),
        "enable_dns_support": opt("b", True),
        "enable_network_address_usage_metrics": oc("b", False),
        "id": comp("s"),
        "instance_tenancy": opt("s", "default"),
        "ipv4_ipam_pool_id": opt("s"),
        "ipv4_netmask_length": opt("n"),
        "ipv6_association_id": comp("s", ""),
        "ipv6_cidr_block": oc("s", ""),
        "ipv6_cidr_block_network_border_group": oc("s", ""),
        "ipv6_ipam_pool_id": opt("s"),
        "ipv6_netmask_length": opt("n"),
        "main_route_table_id": comp("s", lambda r: fake_id("rtb-", r.address + "main")),
        "owner_id": comp("s", lambda r: r.account),
        **TAGS,
    }),
    "aws_subnet": (1, {
        "arn": comp("s", _arn("ec2", "subnet")),
        "assign_ipv6_address_on_creation": opt("b", False),
        "availability_zone": oc("s"),
        "availability_zone_id": oc("s", lambda r: "usw2-az" + str(1 + "abcd".index(
            (r.after_args.get("availability_zone") or "a")[-1]))),
        "cidr_block": opt("s"),
        "customer_owned_ipv4_pool": opt("s"),
        "enable_dns64": opt("b", False),
        "enable_lni_at_device_index": opt("n"),
        "enable_resource_name_dns_a_record_on_launch": opt("b", False),
        "enable_resource_name_dns_aaaa_record_on_launch": opt("b", False),
        "id": comp("s"),
        "ipv6_cidr_block": opt("s"),
        "ipv6_cidr_block_association_id": comp("s", ""),
        "ipv6_native": opt("b", False),
        "map_customer_owned_ip_on_launch": opt("b"),
        "map_public_ip_on_launch": opt("b", False),
        "outpost_arn": opt("s"),
        "owner_id": comp("s", lambda r: r.account),
        "private_dns_hostname_type_on_launch": oc("s", "ip-name"),
        **TAGS, **TIMEOUTS,
        "vpc_id": req("s"),
    }),
    "aws_route_table": (0, {
        "arn": comp("s", _arn("ec2", "route-table")),
        "id": comp("s"),
        "owner_id": comp("s", lambda r: r.account),
        "propagating_vgws": oc("set", []),
        "route": oc(ROUTE_BLOCK, []),
        **TAGS, **TIMEOUTS,
        "vpc_id": req("s"),
    }),
    "aws_route": (0, {
        "carrier_gateway_id": opt("s"),
        "core_network_arn": opt("s"),
        "destination_cidr_block": opt("s"),
        "destination_ipv6_cidr_block": opt("s"),
        "destination_prefix_list_id": opt("s"),
        "egress_only_gateway_id": opt("s"),
        "gateway_id": opt("s"),
        "id": comp("s", lambda r: "r-" + (r.after_args.get("route_table_id") or "rtb") + "1080289494"),
        "instance_id": comp("s", ""),
        "instance_owner_id": comp("s", ""),
        "local_gateway_id": opt("s"),
        "nat_gateway_id": opt("s"),
        "network_interface_id": oc("s", ""),
        "origin": comp("s", "CreateRoute"),
        "route_table_id": req("s"),
        "state": comp("s", "active"),
        **TIMEOUTS,
        "transit_gateway_id": opt("s"),
        "vpc_endpoint_id": opt("s"),
        "vpc_peering_connection_id": opt("s"),
    }),
    "aws_route_table_association": (0, {
        "gateway_id": opt("s"),
        "id": comp("s"),
        "route_table_id": req("s"),
        "subnet_id": opt("s"),
        **TIMEOUTS,
    }),
    "aws_main_route_table_association": (0, {
        "id": comp("s"),
        "original_route_table_id": comp("s", lambda r: fake_id("rtb-", r.address + "orig")),
        "route_table_id": req("s"),
        **TIMEOUTS,
        "vpc_id": req("s"),
    }),
    "aws_default_route_table": (0, {
        "arn": comp("s", _arn("ec2", "route-table")),
        "default_route_table_id": req("s"),
        "id": comp("s"),
        "owner_id": comp("s", lambda r: r.account),
        "propagating_vgws": opt("set"),
        "route": oc(ROUTE_BLOCK, []),
        **TAGS, **TIMEOUTS,
        "vpc_id": comp("s"),
    }),
    "aws_internet_gateway": (0, {
        "arn": comp("s", _arn("ec2", "internet-gateway")),
        "id": comp("s"),
        "owner_id": comp("s", lambda r: r.account),
        **TAGS, **TIMEOUTS,
        "vpc_id": opt("s"),
    }),
    "aws_eip": (0, {
        "address": opt("s"),
        "allocation_id": comp("s", lambda r: r.id),
        "associate_with_private_ip": opt("s"),
        "association_id": comp("s", ""),
        "carrier_ip": comp("s", ""),
        "customer_owned_ip": comp("s", ""),
        "customer_owned_ipv4_pool": opt("s"),
        "domain": oc("s", "vpc"),
        "id": comp("s"),
        "instance": oc("s", ""),
        "ipam_pool_id": opt("s"),
        "network_border_group": oc("s", lambda r: r.region),
        "network_interface": oc("s", ""),
        "private_dns": comp("s", ""),
        "private_ip": comp("s", ""),
        "ptr_record": comp("s", ""),
        "public_dns": comp("s", lambda r: f"ec2-34-210-11-7.{r.region}.compute.amazonaws.com"),
        "public_ip": comp("s", "34.210.11.7"),
        "public_ipv4_pool": oc("s", "amazon"),
        **TAGS, **TIMEOUTS,
        "vpc": oc("b", True),
    }),
    "aws_nat_gateway": (0, {
        "allocation_id": opt("s"),
        "association_id": comp("s", lambda r: fake_id("eipassoc-", r.address)),
        "connectivity_type": opt("s", "public"),
        "id": comp("s"),
        "network_interface_id": comp("s", lambda r: fake_id("eni-", r.address)),
        "private_ip": oc("s", "10.0.0.117"),
        "public_ip": comp("s", "34.210.11.7"),
        "secondary_allocation_ids": oc("set", []),
        "secondary_private_ip_address_count": oc("n", 0),
        "secondary_private_ip_addresses": oc("set", []),
        "subnet_id": req("s"),
        **TAGS, **TIMEOUTS,
    }),
    "aws_vpc_endpoint": (0, {
        "arn": comp("s", _arn("ec2", "vpc-endpoint")),
        "auto_accept": opt("b"),
        "cidr_blocks": comp("list", lambda r: S3_CIDRS.get(_endpoint_service_region(r), [])
                            if r.after_args.get("vpc_endpoint_type", "Gateway") == "Gateway" else []),
        "dns_entry": comp({"dns_name": opt("s"), "hosted_zone_id": opt("s")}, _endpoint_dns),
        "dns_options": oc({"dns_record_ip_type": opt("s"),
                           "private_dns_only_for_inbound_resolver_endpoint": opt("b")},
                          lambda r: [{"dns_record_ip_type": "ipv4",
                                      "private_dns_only_for_inbound_resolver_endpoint": False}]
                          if r.after_args.get("vpc_endpoint_type") == "Interface" else []),
        "id": comp("s"),
        "ip_address_type": oc("s", lambda r: "ipv4" if r.after_args.get("vpc_endpoint_type") == "Interface" else ""),
        "network_interface_ids": comp("set", lambda r: [fake_id("eni-", r.address + str(i)) for i in
                                                         range(len(r.after_args.get("subnet_ids") or []))]),
        "owner_id": comp("s", lambda r: r.account),
        "policy": oc("s", DEFAULT_ENDPOINT_POLICY),
        "prefix_list_id": comp("s", lambda r: S3_PREFIX_LISTS.get(_endpoint_service_region(r), "pl-00000000")
                               if r.after_args.get("vpc_endpoint_type", "Gateway") == "Gateway" else ""),
        "private_dns_enabled": opt("b", False),
        "requester_managed": comp("b", False),
        "resource_configuration_arn": opt("s"),
        "route_table_ids": oc("set", []),
        "security_group_ids": oc("set", []),
        "service_name": req("s"),
        "service_network_arn": opt("s"),
        "service_region": newer("s"),
        "state": comp("s", "available"),
        "subnet_configuration": oc({"ipv4": opt("s"), "ipv6": opt("s"), "subnet_id": opt("s")}, []),
        "subnet_ids": oc("set", []),
        **TAGS, **TIMEOUTS,
        "vpc_endpoint_type": opt("s", "Gateway"),
        "vpc_id": req("s"),
    }),
    "aws_vpc_endpoint_route_table_association": (0, {
        "id": comp("s", lambda r: "a-" + (r.after_args.get("vpc_endpoint_id") or "vpce") + "1234567890"),
        "route_table_id": req("s"),
        "vpc_endpoint_id": req("s"),
    }),
    "aws_vpc_endpoint_policy": (0, {
        "id": comp("s", lambda r: r.after_args.get("vpc_endpoint_id")),
        "policy": oc("s"),
        "vpc_endpoint_id": req("s"),
    }),
    "aws_security_group": (1, {
        "arn": comp("s", _arn("ec2", "security-group")),
        "description": opt("s", "Managed by Terraform"),
        "egress": oc(SG_RULE_BLOCK, []),
        "id": comp("s"),
        "ingress": oc(SG_RULE_BLOCK, []),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "owner_id": comp("s", lambda r: r.account),
        "revoke_rules_on_delete": opt("b", False),
        **TAGS, **TIMEOUTS,
        "vpc_id": oc("s"),
    }),
    "aws_default_security_group": (1, {
        "arn": comp("s", _arn("ec2", "security-group")),
        "description": comp("s", "default VPC security group"),
        "egress": oc(SG_RULE_BLOCK, []),
        "id": comp("s"),
        "ingress": oc(SG_RULE_BLOCK, []),
        "name": comp("s", "default"),
        "name_prefix": comp("s", ""),
        "owner_id": comp("s", lambda r: r.account),
        "revoke_rules_on_delete": opt("b", False),
        **TAGS,
        "vpc_id": oc("s"),
    }),
    "aws_vpc_security_group_ingress_rule": (0, {
        "arn": comp("s", _arn("ec2", "security-group-rule")),
        "cidr_ipv4": opt("s"),
        "cidr_ipv6": opt("s"),
        "description": opt("s"),
        "from_port": opt("n"),
        "id": comp("s"),
        "ip_protocol": req("s"),
        "prefix_list_id": opt("s"),
        "referenced_security_group_id": opt("s"),
        "security_group_id": req("s"),
        "security_group_rule_id": comp("s", lambda r: r.id),
        **TAGS,
        "to_port": opt("n"),
    }),
    "aws_security_group_rule": (2, {
        "cidr_blocks": opt("list"),
        "description": opt("s"),
        "from_port": req("n"),
        "id": comp("s"),
        "ipv6_cidr_blocks": opt("list"),
        "prefix_list_ids": opt("list"),
        "protocol": req("s"),
        "security_group_id": req("s"),
        "security_group_rule_id": comp("s", lambda r: fake_id("sgr-", r.address)),
        "self": opt("b", False),
        "source_security_group_id": oc("s", None),
        **TIMEOUTS,
        "to_port": req("n"),
        "type": req("s"),
    }),
    "aws_iam_role": (0, {
        "arn": comp("s", lambda r: f"arn:aws:iam::{r.account}:role/{r.after_args.get('name')}"),
        "assume_role_policy": req("s"),
        "create_date": comp("s", "2024-11-04T08:12:45Z"),
        "description": opt("s"),
        "force_detach_policies": opt("b", False),
        "id": comp("s", lambda r: r.after_args.get("name")),
        "inline_policy": oc({"name": opt("s"), "policy": opt("s")}, []),
        "managed_policy_arns": oc("set", []),
        "max_session_duration": opt("n", 3600),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "path": opt("s", "/"),
        "permissions_boundary": opt("s"),
        **TAGS,
        "unique_id": comp("s", lambda r: "AROA" + fake_id("", r.address, 17).upper()),
    }),
    "aws_iam_role_policy_attachment": (0, {
        "id": comp("s", lambda r: f"{r.after_args.get('role')}-20241104081246061900000001"),
        "policy_arn": req("s"),
        "role": req("s"),
    }),
    "aws_iam_role_policy": (0, {
        "id": comp("s", lambda r: f"{r.after_args.get('role')}:{r.after_args.get('name')}"),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "policy": req("s"),
        "role": req("s"),
    }),
    "aws_iam_policy": (0, {
        "arn": comp("s", lambda r: f"arn:aws:iam::{r.account}:policy/{r.after_args.get('name')}"),
        "attachment_count": comp("n", 1),
        "description": opt("s"),
        "id": comp("s", lambda r: f"arn:aws:iam::{r.account}:policy/{r.after_args.get('name')}"),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "path": opt("s", "/"),
        "policy": req("s"),
        "policy_id": comp("s", lambda r: "ANPA" + fake_id("", r.address, 17).upper()),
        **TAGS,
    }),
    "aws_iam_instance_profile": (0, {
        "arn": comp("s", lambda r: f"arn:aws:iam::{r.account}:instance-profile/{r.after_args.get('name')}"),
        "create_date": comp("s", "2024-11-04T08:12:45Z"),
        "id": comp("s", lambda r: r.after_args.get("name")),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "path": opt("s", "/"),
        "role": opt("s"),
        **TAGS,
        "unique_id": comp("s", lambda r: "AIPA" + fake_id("", r.address, 17).upper()),
    }),
    "aws_cloudwatch_log_group": (0, {
        "arn": comp("s", lambda r: f"arn:aws:logs:{r.region}:{r.account}:log-group:{r.after_args.get('name')}"),
        "id": comp("s", lambda r: r.after_args.get("name")),
        "kms_key_id": opt("s"),
        "log_group_class": oc("s", "STANDARD"),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "retention_in_days": opt("n", 0),
        "skip_destroy": opt("b", False),
        **TAGS,
    }),
    "aws_ecr_repository": (0, {
        "arn": comp("s"),
        "encryption_configuration": oc({"encryption_type": opt("s", "AES256"), "kms_key": oc("s", "")},
                                       [{"encryption_type": "AES256", "kms_key": ""}]),
        "force_delete": opt("b"),
        "id": comp("s"),
        "image_scanning_configuration": opt({"scan_on_push": req("b")}, []),
        "image_tag_mutability": opt("s", "MUTABLE"),
        "name": req("s"),
        "registry_id": comp("s"),
        "repository_url": comp("s"),
        **TAGS,
    }),
    "aws_ecr_repository_policy": (0, {
        "id": comp("s", lambda r: r.after_args.get("repository")),
        "policy": req("s"),
        "registry_id": comp("s", lambda r: r.account),
        "repository": req("s"),
    }),
    "aws_ecrpublic_repository": (0, {
        "arn": comp("s"),
        "catalog_data": opt({"about_text": opt("s"), "description": opt("s")}, []),
        "force_destroy": opt("b", False),
        "id": comp("s"),
        "registry_id": comp("s"),
        "repository_name": req("s"),
        "repository_uri": comp("s"),
        **TAGS,
    }),
    "aws_ecs_cluster": (0, {
        "arn": comp("s", lambda r: f"arn:aws:ecs:{r.region}:{r.account}:cluster/{r.after_args.get('name')}"),
        "configuration": opt({"execute_command_configuration": opt("s")}, []),
        "id": comp("s", lambda r: f"arn:aws:ecs:{r.region}:{r.account}:cluster/{r.after_args.get('name')}"),
        "name": req("s"),
        "service_connect_defaults": opt({"namespace": req("s")}, []),
        "setting": oc({"name": req("s"), "value": req("s")}, [{"name": "containerInsights", "value": "disabled"}]),
        **TAGS,
    }),
    "aws_ecs_cluster_capacity_providers": (0, {
        "capacity_providers": opt("set"),
        "cluster_name": req("s"),
        "default_capacity_provider_strategy": opt({"base": opt("n", 0), "capacity_provider": req("s"),
                                                   "weight": opt("n", 0)}, []),
        "id": comp("s", lambda r: r.after_args.get("cluster_name")),
    }),
    "aws_ecs_task_definition": (1, {
        "arn": comp("s", lambda r: f"arn:aws:ecs:{r.region}:{r.account}:task-definition/{r.after_args.get('family')}:3"),
        "arn_without_revision": comp("s", lambda r: f"arn:aws:ecs:{r.region}:{r.account}:task-definition/{r.after_args.get('family')}"),
        "container_definitions": req("s"),
        "cpu": opt("s"),
        "enable_fault_injection": oc("b", False),
        "ephemeral_storage": opt({"size_in_gib": req("n")}, []),
        "execution_role_arn": opt("s"),
        "family": req("s"),
        "id": comp("s", lambda r: r.after_args.get("family")),
        "inference_accelerator": opt({"device_name": req("s"), "device_type": req("s")}, []),
        "ipc_mode": opt("s"),
        "memory": opt("s"),
        "network_mode": oc("s", "bridge"),
        "pid_mode": opt("s"),
        "placement_constraints": opt({"expression": opt("s"), "type": req("s")}, []),
        "proxy_configuration": opt({"container_name": req("s"), "type": opt("s")}, []),
        "requires_compatibilities": opt("set"),
        "revision": comp("n", 3),
        "runtime_platform": opt({"cpu_architecture": opt("s"), "operating_system_family": opt("s")}, []),
        "skip_destroy": opt("b", False),
        **TAGS,
        "task_role_arn": opt("s"),
        "track_latest": opt("b", False),
        "volume": opt({"name": req("s")}, []),
    }),
    "aws_ecs_service": (0, {
        "alarms": opt({"alarm_names": req("set")}, []),
        "availability_zone_rebalancing": oc("s", "DISABLED"),
        "capacity_provider_strategy": opt({"base": opt("n", 0), "capacity_provider": req("s"),
                                           "weight": opt("n", 0)}, []),
        "cluster": oc("s"),
        "deployment_circuit_breaker": opt({"enable": req("b"), "rollback": req("b")}, []),
        "deployment_controller": opt({"type": opt("s", "ECS")}, []),
        "deployment_maximum_percent": opt("n", 200),
        "deployment_minimum_healthy_percent": opt("n", 100),
        "desired_count": opt("n", 0),
        "enable_ecs_managed_tags": opt("b", False),
        "enable_execute_command": opt("b", False),
        "force_delete": opt("b"),
        "force_new_deployment": opt("b"),
        "health_check_grace_period_seconds": opt("n"),
        "iam_role": oc("s", "/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
        "id": comp("s", lambda r: f"arn:aws:ecs:{r.region}:{r.account}:service/main/{r.after_args.get('name')}"),
        "launch_type": oc("s", ""),
        "load_balancer": opt({"container_name": req("s"), "container_port": req("n"),
                              "elb_name": opt("s", ""), "target_group_arn": opt("s")}, []),
        "name": req("s"),
        "network_configuration": opt({"assign_public_ip": opt("b", False),
                                      "security_groups": opt("set"),
                                      "subnets": req("set")}, []),
        "ordered_placement_strategy": opt({"field": opt("s"), "type": req("s")}, []),
        "placement_constraints": opt({"expression": opt("s"), "type": req("s")}, []),
        "platform_version": oc("s", ""),
        "propagate_tags": opt("s"),
        "scheduling_strategy": opt("s", "REPLICA"),
        "service_connect_configuration": opt({"enabled": req("b")}, []),
        "service_registries": opt({"registry_arn": req("s")}, []),
        **TAGS,
        "task_definition": opt("s"),
        **TIMEOUTS,
        "triggers": oc("map", {}),
        "volume_configuration": opt({"name": req("s")}, []),
        "vpc_lattice_configurations": opt({"port_name": req("s")}, []),
        "wait_for_steady_state": opt("b", False),
    }),
    "aws_batch_compute_environment": (0, {
        "arn": comp("s", lambda r: f"arn:aws:batch:{r.region}:{r.account}:compute-environment/{r.after_args.get('compute_environment_name')}"),
        "compute_environment_name": oc("s"),
        "compute_environment_name_prefix": oc("s", ""),
        "compute_resources": opt({
            "allocation_strategy": opt("s"),
            "bid_percentage": opt("n"),
            "desired_vcpus": oc("n", 0),
            "ec2_configuration": oc({"image_id_override": opt("s"), "image_type": opt("s")},
                                    lambda r: [{"image_id_override": "", "image_type": "ECS_AL2"}]),
            "ec2_key_pair": opt("s"),
            "image_id": opt("s"),
            "instance_role": opt("s"),
            "instance_type": opt("set"),
            "launch_template": opt({"launch_template_id": opt("s")}, []),
            "max_vcpus": req("n"),
            "min_vcpus": opt("n"),
            "placement_group": opt("s"),
            "security_group_ids": opt("set"),
            "spot_iam_fleet_role": opt("s"),
            "subnets": req("set"),
            "tags": opt("map"),
            "type": req("s"),
        }, []),
        "ecs_cluster_arn": comp("s", lambda r: f"arn:aws:ecs:{r.region}:{r.account}:cluster/AWSBatch-{r.after_args.get('compute_environment_name')}-4f7c2b1e"),
        "eks_configuration": opt({"eks_cluster_arn": req("s")}, []),
        "id": comp("s", lambda r: r.after_args.get("compute_environment_name")),
        "service_role": oc("s", lambda r: f"arn:aws:iam::{r.account}:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch"),
        "state": opt("s", "ENABLED"),
        "status": comp("s", "VALID"),
        "status_reason": comp("s", "ComputeEnvironment Healthy"),
        **TAGS,
        "type": req("s"),
        "update_policy": opt({"job_execution_timeout_minutes": req("n")}, []),
    }),
    "aws_batch_job_queue": (0, {
        "arn": comp("s", lambda r: f"arn:aws:batch:{r.region}:{r.account}:job-queue/{r.after_args.get('name')}"),
        "compute_environment_order": opt({"compute_environment": req("s"), "order": req("n")}, []),
        "compute_environments": oc("list", lambda r: [b["compute_environment"] for b in r.after_args.get("compute_environment_order") or []]),
        "id": comp("s", lambda r: f"arn:aws:batch:{r.region}:{r.account}:job-queue/{r.after_args.get('name')}"),
        "job_state_time_limit_action": opt({"action": req("s")}, []),
        "name": req("s"),
        "priority": req("n"),
        "scheduling_policy_arn": opt("s"),
        "state": req("s"),
        **TAGS, **TIMEOUTS,
    }),
    "aws_batch_job_definition": (0, {
        "arn": comp("s", lambda r: f"arn:aws:batch:{r.region}:{r.account}:job-definition/{r.after_args.get('name')}:2"),
        "arn_prefix": comp("s", lambda r: f"arn:aws:batch:{r.region}:{r.account}:job-definition/{r.after_args.get('name')}"),
        "container_properties": opt("s"),
        "deregister_on_new_revision": opt("b", True),
        "ecs_properties": opt("s"),
        "eks_properties": opt({"pod_properties": req("s")}, []),
        "id": comp("s", lambda r: f"arn:aws:batch:{r.region}:{r.account}:job-definition/{r.after_args.get('name')}:2"),
        "name": req("s"),
        "node_properties": opt("s"),
        "parameters": opt("map"),
        "platform_capabilities": opt("set"),
        "propagate_tags": opt("b", False),
        "retry_strategy": opt({"attempts": opt("n")}, []),
        "revision": comp("n", 2),
        "scheduling_priority": opt("n"),
        **TAGS,
        "timeout": opt({"attempt_duration_seconds": opt("n")}, []),
        "type": req("s"),
    }),
    "aws_cloudwatch_event_rule": (1, {
        "arn": comp("s", lambda r: f"arn:aws:events:{r.region}:{r.account}:rule/{r.after_args.get('name')}"),
        "description": opt("s"),
        "event_bus_name": opt("s", "default"),
        "event_pattern": opt("s"),
        "force_destroy": opt("b", False),
        "id": comp("s", lambda r: r.after_args.get("name")),
        "is_enabled": opt("b"),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "role_arn": opt("s"),
        "schedule_expression": opt("s"),
        "state": opt("s"),
        **TAGS,
    }),
    "aws_cloudwatch_event_target": (1, {
        "appsync_target": opt({"graphql_operation": opt("s")}, []),
        "arn": req("s"),
        "batch_target": opt({"job_definition": req("s"), "job_name": req("s")}, []),
        "dead_letter_config": opt({"arn": opt("s")}, []),
        "ecs_target": opt({
            "capacity_provider_strategy": opt({"base": opt("n", 0), "capacity_provider": req("s"),
                                               "weight": opt("n", 0)}, []),
            "enable_ecs_managed_tags": opt("b", False),
            "enable_execute_command": opt("b", False),
            "group": opt("s"),
            "launch_type": opt("s"),
            "network_configuration": opt({"assign_public_ip": opt("b", False),
                                          "security_groups": opt("set"),
                                          "subnets": req("set")}, []),
            "ordered_placement_strategy": opt({"field": opt("s"), "type": req("s")}, []),
            "placement_constraint": opt({"expression": opt("s"), "type": req("s")}, []),
            "platform_version": opt("s"),
            "propagate_tags": opt("s"),
            "tags": opt("map"),
            "task_count": opt("n", 1),
            "task_definition_arn": req("s"),
        }, []),
        "event_bus_name": opt("s", "default"),
        "force_destroy": opt("b", False),
        "http_target": opt({"path_parameter_values": opt("list")}, []),
        "id": comp("s", lambda r: f"{r.after_args.get('rule')}-{r.after_args.get('target_id')}"),
        "input": opt("s"),
        "input_path": opt("s"),
        "input_transformer": opt({"input_template": req("s")}, []),
        "kinesis_target": opt({"partition_key_path": opt("s")}, []),
        "redshift_target": opt({"database": req("s")}, []),
        "retry_policy": opt({"maximum_event_age_in_seconds": opt("n")}, []),
        "role_arn": opt("s"),
        "rule": req("s"),
        "run_command_targets": opt({"key": req("s"), "values": req("list")}, []),
        "sagemaker_pipeline_target": opt({"pipeline_parameter_list": opt("set")}, []),
        "sqs_target": opt({"message_group_id": opt("s")}, []),
        "target_id": oc("s"),
    }),
    "aws_ecr_pull_through_cache_rule": (0, {
        "credential_arn": opt("s"),
        "custom_role_arn": opt("s"),
        "ecr_repository_prefix": req("s"),
        "id": comp("s", lambda r: r.after_args.get("ecr_repository_prefix")),
        "registry_id": comp("s", lambda r: r.account),
        "upstream_registry_url": req("s"),
        "upstream_repository_prefix": oc("s", "ROOT"),
    }),
    # DNS of the VPC: DHCP options, Route 53 Resolver rules, private hosted zones.
    "aws_vpc_dhcp_options": (0, {
        "arn": comp("s", _arn("ec2", "dhcp-options")),
        "domain_name": opt("s"),
        "domain_name_servers": opt("list"),
        "id": comp("s"),
        "ipv6_address_preferred_lease_time": opt("s"),
        "netbios_name_servers": opt("list"),
        "netbios_node_type": opt("s"),
        "ntp_servers": opt("list"),
        "owner_id": comp("s", lambda r: r.account),
        **TAGS,
    }),
    "aws_default_vpc_dhcp_options": (0, {
        "arn": comp("s", _arn("ec2", "dhcp-options")),
        "domain_name": comp("s", lambda r: f"{r.region}.compute.internal"),
        "domain_name_servers": comp("s", "AmazonProvidedDNS"),
        "id": comp("s"),
        "ipv6_address_preferred_lease_time": comp("s", ""),
        "netbios_name_servers": comp("list", []),
        "netbios_node_type": comp("s", ""),
        "ntp_servers": comp("s", ""),
        "owner_id": oc("s", lambda r: r.account),
        **TAGS,
    }),
    "aws_vpc_dhcp_options_association": (0, {
        "dhcp_options_id": req("s"),
        "id": comp("s"),
        "vpc_id": req("s"),
    }),
    "aws_route53_resolver_rule": (0, {
        "arn": comp("s", lambda r: f"arn:aws:route53resolver:{r.region}:{r.account}:resolver-rule/{r.id}"),
        "domain_name": req("s"),
        "id": comp("s"),
        "name": opt("s"),
        "owner_id": comp("s", lambda r: r.account),
        "resolver_endpoint_id": opt("s"),
        "rule_type": req("s"),
        "share_status": comp("s", "NOT_SHARED"),
        "target_ip": opt({"ip": opt("s"), "ipv6": opt("s"), "port": opt("n", 53),
                          "protocol": opt("s", "Do53")}, []),
        **TAGS, **TIMEOUTS,
    }),
    "aws_route53_resolver_rule_association": (0, {
        "id": comp("s"),
        "name": opt("s"),
        "resolver_rule_id": req("s"),
        **TIMEOUTS,
        "vpc_id": req("s"),
    }),
    "aws_route53_zone": (0, {
        "arn": comp("s", lambda r: f"arn:aws:route53:::hostedzone/{r.id}"),
        "comment": opt("s", "Managed by Terraform"),
        "delegation_set_id": opt("s"),
        "force_destroy": opt("b"),
        "id": comp("s"),
        "name": req("s"),
        "name_servers": comp("list", []),
        "primary_name_server": comp("s", ""),
        **TAGS, **TIMEOUTS,
        "vpc": opt({"vpc_id": req("s"), "vpc_region": oc("s", lambda r: r.region)}, []),
        "zone_id": comp("s", lambda r: r.id),
    }),
    "aws_route53_zone_association": (0, {
        "id": comp("s"),
        "owning_account": comp("s", lambda r: r.account),
        **TIMEOUTS,
        "vpc_id": req("s"),
        "vpc_region": oc("s", lambda r: r.region),
        "zone_id": req("s"),
    }),
    # Network ACLs.
    "aws_network_acl": (0, {
        "arn": comp("s", _arn("ec2", "network-acl")),
        "egress": oc(NACL_RULE_BLOCK, []),
        "id": comp("s"),
        "ingress": oc(NACL_RULE_BLOCK, []),
        "owner_id": comp("s", lambda r: r.account),
        "subnet_ids": oc("set", []),
        **TAGS,
        "vpc_id": req("s"),
    }),
    "aws_default_network_acl": (0, {
        "arn": comp("s", _arn("ec2", "network-acl")),
        "default_network_acl_id": req("s"),
        "egress": opt(NACL_RULE_BLOCK, []),
        "id": comp("s"),
        "ingress": opt(NACL_RULE_BLOCK, []),
        "owner_id": comp("s", lambda r: r.account),
        "subnet_ids": opt("set", []),
        **TAGS,
        "vpc_id": comp("s"),
    }),
    "aws_network_acl_rule": (0, {
        "cidr_block": opt("s"),
        "egress": opt("b", False),
        "from_port": opt("n"),
        "icmp_code": opt("n"),
        "icmp_type": opt("n"),
        "id": comp("s"),
        "ipv6_cidr_block": opt("s"),
        "network_acl_id": req("s"),
        "protocol": req("s"),
        "rule_action": req("s"),
        "rule_number": req("n"),
        "to_port": opt("n"),
    }),
    "aws_network_acl_association": (0, {
        "id": comp("s"),
        "network_acl_id": req("s"),
        "subnet_id": req("s"),
    }),
    # Container instances (issue 18): launch template, Auto Scaling group, capacity providers.
    "aws_launch_template": (0, {
        "arn": comp("s", _arn("ec2", "launch-template")),
        "default_version": oc("n", 1),
        "description": opt("s"),
        "iam_instance_profile": opt({"arn": opt("s"), "name": opt("s")}, []),
        "id": comp("s"),
        "image_id": opt("s"),
        "instance_type": opt("s"),
        "latest_version": comp("n", 1),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "network_interfaces": opt({"associate_public_ip_address": opt("s"),
                                   "security_groups": opt("set"), "subnet_id": opt("s")}, []),
        "security_group_names": opt("set"),
        **TAGS,
        "update_default_version": opt("b"),
        "user_data": opt("s"),
        "vpc_security_group_ids": opt("set"),
    }),
    "aws_autoscaling_group": (0, {
        "arn": comp("s", lambda r: f"arn:aws:autoscaling:{r.region}:{r.account}:autoScalingGroup:"
                                   f"{fake_id('', r.address, 8)}:autoScalingGroupName/{r.after_args.get('name')}"),
        "availability_zones": oc("set", []),
        "default_cooldown": oc("n", 300),
        "desired_capacity": oc("n", 1),
        "health_check_grace_period": opt("n", 300),
        "health_check_type": oc("s", "EC2"),
        "id": comp("s", lambda r: r.after_args.get("name")),
        "launch_configuration": opt("s"),
        "launch_template": opt({"id": oc("s"), "name": oc("s"), "version": opt("s")}, []),
        "max_size": req("n"),
        "min_size": req("n"),
        "name": oc("s"),
        "name_prefix": oc("s", ""),
        "protect_from_scale_in": opt("b", False),
        "vpc_zone_identifier": oc("set", []),
    }),
    "aws_ecs_capacity_provider": (0, {
        "arn": comp("s", lambda r: f"arn:aws:ecs:{r.region}:{r.account}:capacity-provider/{r.after_args.get('name')}"),
        "auto_scaling_group_provider": opt({
            "auto_scaling_group_arn": req("s"),
            "managed_draining": oc("s", "ENABLED"),
            "managed_termination_protection": oc("s", "DISABLED"),
        }, []),
        "cluster": opt("s"),
        "id": comp("s", lambda r: f"arn:aws:ecs:{r.region}:{r.account}:capacity-provider/{r.after_args.get('name')}"),
        "managed_instances_provider": opt({
            "infrastructure_role_arn": req("s"),
            "instance_launch_template": opt({
                "ec2_instance_profile_arn": req("s"),
                "monitoring": oc("s", "BASIC"),
                "network_configuration": opt({"security_groups": opt("set"), "subnets": req("set")}, []),
            }, []),
            "propagate_tags": opt("s"),
        }, []),
        "name": req("s"),
        **TAGS,
    }),
}
SCHEMAS["aws_vpc_security_group_egress_rule"] = SCHEMAS["aws_vpc_security_group_ingress_rule"]

ID_PREFIX = {
    "aws_vpc": "vpc-", "aws_subnet": "subnet-", "aws_route_table": "rtb-", "aws_internet_gateway": "igw-",
    "aws_eip": "eipalloc-", "aws_nat_gateway": "nat-", "aws_vpc_endpoint": "vpce-",
    "aws_security_group": "sg-", "aws_default_security_group": "sg-",
    "aws_vpc_security_group_ingress_rule": "sgr-", "aws_vpc_security_group_egress_rule": "sgr-",
    "aws_route_table_association": "rtbassoc-", "aws_main_route_table_association": "rtbassoc-",
    "aws_security_group_rule": "sgrule-", "aws_default_route_table": "rtb-",
    "aws_vpc_dhcp_options": "dopt-", "aws_default_vpc_dhcp_options": "dopt-",
    "aws_vpc_dhcp_options_association": "dopt-", "aws_route53_resolver_rule": "rslvr-rr-",
    "aws_route53_resolver_rule_association": "rslvr-rrassoc-", "aws_route53_zone": "Z",
    "aws_network_acl": "acl-", "aws_default_network_acl": "acl-", "aws_network_acl_rule": "nacl-",
    "aws_network_acl_association": "aclassoc-",
    "aws_launch_template": "lt-",
}

# Issue 18, PP404 `kms:Decrypt`: a customer managed KMS key and a Secrets Manager secret
# encrypted with it (hashicorp/aws 5.x `aws_kms_key` and `aws_secretsmanager_secret`: arguments
# and attributes as the provider's schema has them).


def _kms_default_policy(r):
    """The key policy KMS gives a key created without one: the account's root, so IAM decides."""
    return json.dumps({"Id": "key-default-1", "Statement": [{
        "Action": "kms:*", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{r.account}:root"},
        "Resource": "*", "Sid": "Enable IAM User Permissions"}], "Version": "2012-10-17"},
        separators=(",", ":"))


def _secret_arn(r):
    if isinstance(r.id, str) and r.id.startswith("arn:"):
        return r.id
    return (f"arn:aws:secretsmanager:{r.region}:{r.account}:secret:"
            f"{r.after_args.get('name')}-{fake_id('', r.address, 6)}")


SCHEMAS["aws_kms_key"] = (0, {
    "arn": comp("s", lambda r: f"arn:aws:kms:{r.region}:{r.account}:key/{r.id}"),
    "bypass_policy_lockout_safety_check": opt("b", False),
    "custom_key_store_id": opt("s"),
    "customer_master_key_spec": opt("s", "SYMMETRIC_DEFAULT"),
    "deletion_window_in_days": opt("n"),
    "description": oc("s", ""),
    "enable_key_rotation": opt("b", False),
    "id": comp("s"),
    "is_enabled": opt("b", True),
    "key_id": comp("s", lambda r: r.id),
    "key_usage": opt("s", "ENCRYPT_DECRYPT"),
    "multi_region": oc("b", False),
    "policy": oc("s", _kms_default_policy),
    "rotation_period_in_days": oc("n", lambda r: 365 if r.after_args.get("enable_key_rotation") else 0),
    **TAGS,
    "xks_key_id": opt("s"),
})
SCHEMAS["aws_secretsmanager_secret"] = (0, {
    "arn": comp("s", _secret_arn),
    "description": opt("s"),
    "force_overwrite_replica_secret": opt("b", False),
    "id": comp("s"),
    "kms_key_id": opt("s"),
    "name": oc("s"),
    "name_prefix": oc("s", ""),
    "policy": oc("s", ""),
    "recovery_window_in_days": opt("n", 30),
    "replica": oc({"kms_key_id": oc("s", ""), "last_accessed_date": comp("s", ""), "region": req("s"),
                   "status": comp("s", "InSync"), "status_message": comp("s", "")}, []),
    **TAGS,
})

# Issue 18, Batch jobs on Amazon EKS: `eks_configuration` and `eks_properties` in the
# provider's shape (hashicorp/aws 5.x).
SCHEMAS["aws_batch_compute_environment"][1]["eks_configuration"] = opt(
    {"eks_cluster_arn": req("s"), "kubernetes_namespace": req("s")}, [])
SCHEMAS["aws_batch_job_definition"][1]["eks_properties"] = opt({"pod_properties": req({
    "containers": req({"args": opt("list"), "command": opt("list"), "image": req("s"),
                       "image_pull_policy": opt("s"), "name": opt("s")}),
    "dns_policy": opt("s"),
    "host_network": opt("b", True),
    "service_account_name": opt("s"),
    "share_process_namespace": opt("b"),
})}, [])

# Issue 18, PP404 `kms:Decrypt` on a SecureString parameter's key: `aws_ssm_parameter`
# (hashicorp/aws 5.x). Its `value` is sensitive (see `resource_sensitive` below).


def _ssm_parameter_arn(r):
    name = (r.after_args.get("name") or "").lstrip("/")
    return f"arn:aws:ssm:{r.region}:{r.account}:parameter/{name}"


SCHEMAS["aws_ssm_parameter"] = (0, {
    "allowed_pattern": opt("s"),
    "arn": oc("s", _ssm_parameter_arn),
    "data_type": oc("s", "text"),
    "description": opt("s"),
    "id": comp("s"),
    "insecure_value": oc("s"),
    "key_id": oc("s", lambda r: "alias/aws/ssm" if r.after_args.get("type") == "SecureString" else ""),
    "name": req("s"),
    "overwrite": opt("b"),
    **TAGS,
    "tier": oc("s", "Standard"),
    "type": req("s"),
    "value": oc("s"),
    "version": comp("n", 1),
})

# Data sources: schema versions only; their values are given whole.
DATA_SCHEMA_VERSION = {"aws_iam_policy_document": 0, "aws_caller_identity": 0, "aws_region": 0,
                       "aws_vpc_endpoint_service": 0, "aws_availability_zones": 0}


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def is_block(t):
    return isinstance(t, dict)


def omit_unknowns(v):
    """`after` / `planned_values`: unknown attributes left out, unknown list elements null."""
    if isinstance(v, dict):
        return {k: omit_unknowns(x) for k, x in v.items() if x is not UNKNOWN}
    if isinstance(v, list):
        return [None if x is UNKNOWN else omit_unknowns(x) for x in v]
    return v


def unknown_as_bool(v):
    if v is UNKNOWN:
        return True
    if v is None:
        return False
    if isinstance(v, list):
        return [unknown_as_bool(x) for x in v]
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            b = unknown_as_bool(x)
            if b is not False:
                out[k] = b
        return out
    return False


def after_unknown(v):
    if v is None:
        return {}
    if not has_unknown(v):
        return {}
    return unknown_as_bool(v)


def sensitive_as_bool(v, t=None):
    """No attribute of these fixtures is sensitive: the shape only."""
    if v is None:
        return False
    if v is UNKNOWN:
        if t in ("list", "set") or is_block(t):
            return []
        if t == "map":
            return {}
        return False
    if isinstance(v, list):
        inner = t if is_block(t) else None
        return [sensitive_as_bool(x, inner if isinstance(x, dict) else None) for x in v]
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            sub = None
            if is_block(t) and k in t:
                sub = t[k][0]
            b = sensitive_as_bool(x, sub)
            if b is not False:
                out[k] = b
        return out
    return False


def resource_sensitive(values, schema):
    if values is None:
        return False
    out = {}
    for k, x in values.items():
        t = schema[k][0] if schema and k in schema else None
        b = sensitive_as_bool(x, t)
        if b is not False:
            out[k] = b
    return out


# Issue 18: the sensitive attributes of the schemas added for it (`aws_ssm_parameter.value`),
# marked as `terraform show -json` marks them (`true` in `*_sensitive`).
SENSITIVE_ATTRIBUTES = {id(SCHEMAS["aws_ssm_parameter"][1]): ("value",)}
_resource_sensitive_shape = resource_sensitive


def resource_sensitive(values, schema):  # noqa: F811
    out = _resource_sensitive_shape(values, schema)
    if out is False:
        return out
    for k in SENSITIVE_ATTRIBUTES.get(id(schema), ()):
        if values.get(k) is not None:
            out[k] = True
    return out


# ---------------------------------------------------------------------------------------------
# Modules
# ---------------------------------------------------------------------------------------------


class ModuleCall:
    """The configuration of a `module` block (shared by its instances)."""

    def __init__(self, name, source, parent, expressions, for_each=None, count=None,
                 outputs=None, variables=None, version=None):
        self.version = version
        self.name = name
        self.source = source
        self.parent = parent
        self.expressions = expressions or {}
        self.for_each = for_each
        self.count = count
        self.outputs = outputs or {}
        self.variables = variables or {}
        self.calls = {}
        self.resources = {}

    @property
    def config_path(self):
        own = f"module.{self.name}"
        return f"{self.parent.config_path}.{own}" if self.parent and self.parent.name else own


class ModuleInstance:
    def __init__(self, call, key, parent):
        self.call = call
        self.key = key
        self.parent = parent

    @property
    def path(self):
        own = f"module.{self.call.name}{key_text(self.key)}"
        return f"{self.parent.path}.{own}" if self.parent is not None else own


class RootCall(ModuleCall):
    def __init__(self):
        super().__init__(None, None, None, {})

    @property
    def config_path(self):
        return ""


# ---------------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------------


class Resource:
    def __init__(self, plan, rtype, name, args, module=None, key=None, mode="managed",
                 existing=None, before=None, delete=False, count=None, for_each=None,
                 depends_on=None, values=None):
        self.plan = plan
        self.type = rtype
        self.name = name
        self.module = module
        self.key = key
        self.mode = mode
        self.args = args
        self.count = count
        self.for_each = for_each
        self.depends_on = depends_on
        self.delete = delete
        self.region = plan.region
        self.account = plan.account
        prefix = "data." if mode == "data" else ""
        self.rel = f"{prefix}{rtype}.{name}{key_text(key)}"
        self.address = f"{module.path}.{self.rel}" if module else self.rel
        self.config_address = f"{prefix}{rtype}.{name}"
        # Existing infrastructure: the overrides of computed values (at least nothing).
        self.existing = existing is not None or delete
        self.overrides = dict(existing or {})
        if mode == "data":
            self.schema_version = DATA_SCHEMA_VERSION.get(rtype, 0)
            self.schema = None
            self.after = values
            self.before_values = values
            self.after_args = {}
            self.id = (values or {}).get("id")
            return
        self.schema_version, self.schema = SCHEMAS[rtype]
        self.after_args = {k: self._eval(v, self.schema.get(k)) for k, v in args.items()}
        if self.existing:
            self.id = self.overrides.get("id") or fake_id(ID_PREFIX.get(rtype, ""), self.address)
        else:
            self.id = UNKNOWN
        self.after = self._values(self.after_args, self.existing)
        if self.existing:
            # What the prior state holds: the same values, but for the arguments this plan
            # changes (`before`).
            self.before_values = self._values({**self.after_args, **{
                k: self._eval(v, self.schema.get(k)) for k, v in (before or {}).items()}}, True)
        else:
            self.before_values = None
        if delete:
            self.after = None

    def state_value(self, attr):
        if attr in self.overrides:
            return self.overrides[attr]
        spec = self.schema[attr]
        d = spec[2]
        return d(self) if callable(d) else copy.deepcopy(d)

    def _eval(self, v, spec):
        t = spec[0] if spec else None
        if isinstance(v, Expr):
            val = copy.deepcopy(v.value)
        elif isinstance(v, list) and all(isinstance(b, dict) for b in v):
            # Nested blocks.
            val = [self._block(b, t) for b in v]
        else:
            raise TypeError(f"{self.rel}: argument must be an expression or blocks, got {v!r}")
        if t == "set" and isinstance(val, list) and has_unknown(val):
            return UNKNOWN
        return val

    def _block(self, body, schema):
        out = {}
        if not is_block(schema):
            raise TypeError(f"{self.rel}: not a block")
        for k, spec in schema.items():
            if k in body:
                out[k] = self._eval(body[k], spec)
            elif spec[1] == "opt":
                out[k] = copy.deepcopy(spec[2])
            elif spec[1] == "req":
                raise ValueError(f"{self.rel}: block attribute {k} is required")
            else:
                out[k] = UNKNOWN if not self.existing else (spec[2](self) if callable(spec[2]) else copy.deepcopy(spec[2]))
        extra = set(body) - set(schema)
        if extra:
            raise ValueError(f"{self.rel}: unknown block attributes {extra}")
        return out

    def _values(self, args, known):
        out = {}
        extra = set(args) - set(self.schema)
        if extra:
            raise ValueError(f"{self.rel}: attributes not in the schema: {extra}")
        for k, spec in self.schema.items():
            t, mode, default = spec
            if k in args:
                out[k] = args[k]
            elif mode == "newer":
                continue
            elif mode == "opt":
                out[k] = copy.deepcopy(default)
            elif mode == "req":
                raise ValueError(f"{self.rel}: {k} is required")
            elif k == "id":
                out[k] = self.id
            elif known:
                out[k] = self.state_value(k)
            else:
                out[k] = UNKNOWN
        # Name-like computed attributes follow the configured name.
        return out

    # -- JSON sections --

    def base(self):
        out = {"address": self.address}
        if self.module is not None:
            out["module_address"] = self.module.path
        out.update({"mode": self.mode, "type": self.type, "name": self.name})
        if self.key is not None:
            out["index"] = self.key
        out["provider_name"] = PROVIDER
        return out

    def planned(self):
        out = {k: v for k, v in self.base().items() if k != "module_address"}
        out["schema_version"] = self.schema_version
        out["values"] = omit_unknowns(self.after)
        out["sensitive_values"] = resource_sensitive(self.after, self.schema)
        return out

    def prior(self):
        out = {k: v for k, v in self.base().items() if k != "module_address"}
        out["schema_version"] = self.schema_version
        out["values"] = self.before_values
        out["sensitive_values"] = resource_sensitive(self.before_values, self.schema)
        if self.depends_on:
            out["depends_on"] = self.depends_on
        return out

    def change(self):
        if self.delete:
            actions = ["delete"]
        elif not self.existing:
            actions = ["create"]
        elif self.before_values == self.after:
            actions = ["no-op"]
        else:
            actions = ["update"]
        out = self.base()
        out["change"] = {
            "actions": actions,
            "before": self.before_values,
            "after": omit_unknowns(self.after) if self.after is not None else None,
            "after_unknown": after_unknown(self.after),
            "before_sensitive": resource_sensitive(self.before_values, self.schema),
            "after_sensitive": resource_sensitive(self.after, self.schema),
        }
        return out

    def config(self):
        out = {
            "address": self.config_address,
            "mode": self.mode,
            "type": self.type,
            "name": self.name,
            "provider_config_key": "aws",
            "expressions": config_expressions(self.args),
            "schema_version": self.schema_version,
        }
        if self.count is not None:
            out["count_expression"] = self.count.config()
        if self.for_each is not None:
            out["for_each_expression"] = self.for_each.config()
        if self.depends_on:
            out["depends_on"] = self.depends_on
        return out


def config_expressions(args):
    out = {}
    for k, v in args.items():
        if isinstance(v, Expr):
            out[k] = v.config()
        else:
            out[k] = [config_expressions(b) for b in v]
    return out


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


class Plan:
    def __init__(self, region="us-west-2", account="111122223333", existing=False,
                 default_tags=None, provider_region_expr=None, allowed_account_ids=True):
        self.region = region
        self.account = account
        # The provider's `allowed_account_ids`: the account (the input says which it deploys
        # into), or none with False.
        self.allowed_account_ids = [account] if allowed_account_ids is True else allowed_account_ids or None
        self.existing_default = existing
        self.default_tags = default_tags or {}
        self.root = RootCall()
        self.resources = []
        self.variables = {}
        self.root_variable_config = {}
        self.provider_region_expr = provider_region_expr or C(region)

    # Building

    def variable(self, name, value, description=None, module_call=None):
        if module_call is None:
            self.variables[name] = value
            cfg = {}
            if description:
                cfg["description"] = description
            self.root_variable_config[name] = cfg
        return E(value, f"var.{name}", hcl=Raw(f"var.{name}"))

    def module(self, name, source, key=None, parent=None, expressions=None, for_each=None,
               count=None, outputs=None, variables=None, version=None):
        """A module instance; the first instance of a call records its configuration."""
        parent_call = parent.call if parent is not None else self.root
        call = parent_call.calls.get(name)
        if call is None:
            call = ModuleCall(name, source, parent_call if parent is not None else None,
                              {k: v for k, v in (expressions or {}).items()}, for_each, count,
                              outputs, variables, version)
            parent_call.calls[name] = call
        return ModuleInstance(call, key, parent)

    def add(self, rtype, rname, /, module=None, key=None, existing=None, before=None,
            delete=False, count=None, for_each=None, depends_on=None, **args):
        if existing is None and self.existing_default:
            existing = {}
        if existing is False:
            existing = None
        r = Resource(self, rtype, rname, args, module=module, key=key, existing=existing,
                     before=before, delete=delete, count=count, for_each=for_each,
                     depends_on=depends_on)
        self._register(r)
        return r

    def data(self, rtype, rname, values, /, module=None, key=None, **args):
        r = Resource(self, rtype, rname, args, module=module, key=key, mode="data", values=values)
        self._register(r)
        return r

    def _register(self, r):
        if any(x.address == r.address for x in self.resources):
            raise ValueError(f"duplicate address {r.address}")
        self.resources.append(r)
        call = r.module.call if r.module is not None else self.root
        call.resources.setdefault(r.config_address, r)

    # Rendering

    def render(self):
        out = {"format_version": "1.2", "terraform_version": TERRAFORM_VERSION}
        if self.variables:
            out["variables"] = {k: {"value": v} for k, v in sorted(self.variables.items())}
        managed = [r for r in self.resources if r.mode == "managed"]
        out["planned_values"] = {"root_module": self._module_tree(
            [r for r in managed if not r.delete], lambda r: r.planned())}
        out["resource_changes"] = [r.change() for r in sorted(managed, key=lambda r: r.address)]
        prior = [r for r in self.resources if r.mode == "data" or r.existing]
        if prior:
            out["prior_state"] = {
                "format_version": "1.0",
                "terraform_version": TERRAFORM_VERSION,
                "values": {"root_module": self._module_tree(prior, lambda r: r.prior())},
            }
        out["configuration"] = {
            "provider_config": {"aws": {
                "name": "aws",
                "full_name": PROVIDER,
                "version_constraint": "~> 5.80",
                "expressions": {"region": self.provider_region_expr.config(),
                                **({"allowed_account_ids": C(self.allowed_account_ids).config()}
                                   if self.allowed_account_ids else {}),
                                **({"default_tags": [{"tags": C(self.default_tags).config()}]}
                                   if self.default_tags else {})},
            }},
            "root_module": self._config_module(self.root),
        }
        out["timestamp"] = TIMESTAMP
        out["applyable"] = True
        out["complete"] = True
        out["errored"] = False
        return out

    def _module_tree(self, resources, render):
        """planned_values / prior_state: resources by module instance, nested."""
        def node(path):
            return {"resources": [], "children": {}}

        root = node("")
        for r in sorted(resources, key=lambda r: r.address):
            chain = []
            m = r.module
            while m is not None:
                chain.append(m)
                m = m.parent
            cur = root
            for m in reversed(chain):
                cur = cur["children"].setdefault(m.path, node(m.path))
            cur["resources"].append(render(r))

        def emit(n, address=None):
            out = {}
            if n["resources"]:
                out["resources"] = n["resources"]
            if address is not None:
                out["address"] = address
            if n["children"]:
                out["child_modules"] = [emit(c, a) for a, c in sorted(n["children"].items())]
            return out

        return emit(root)

    def _config_module(self, call):
        out = {}
        if call.outputs:
            out["outputs"] = {k: {"expression": v.config()} for k, v in sorted(call.outputs.items())}
        if call.resources:
            out["resources"] = [r.config() for _, r in sorted(call.resources.items())]
        if call.calls:
            mc = {}
            for name, c in sorted(call.calls.items()):
                entry = {"source": c.source, "expressions": {k: v.config() for k, v in sorted(c.expressions.items())}}
                if c.count is not None:
                    entry["count_expression"] = c.count.config()
                if c.for_each is not None:
                    entry["for_each_expression"] = c.for_each.config()
                entry["module"] = self._config_module(c)
                if c.version:
                    entry["version_constraint"] = c.version
                mc[name] = entry
            out["module_calls"] = mc
        variables = self.root_variable_config if call is self.root else call.variables
        if variables:
            out["variables"] = {k: v for k, v in sorted(variables.items())}
        return out

    def write(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.render(), f, indent=2, ensure_ascii=False)
            f.write("\n")
