#!/usr/bin/env python3
"""Writes the plan fixtures of the report tests (tests/reports.rs) in the exact shape of
`terraform show -json PLAN` (format_version 1.2): planned_values, resource_changes with
before/after/after_unknown, prior_state, and the configuration with its references.

The plans are generated rather than hand-written so that the four sections stay consistent
with each other. Run it from the repository root after changing a scenario:

    python3 testdata/reports/make_plans.py

Scenarios:
  clean.json          a private Fargate service with every endpoint it needs: no finding
  seed-incident.json  the seed incident: this plan narrows the S3 gateway endpoint policy to the
                      application bucket (PP401, new in this plan)
  many-rules.json     four VPCs and a workload in no VPC: with many-rules.pullpath.hcl, every
                      rule of the catalog fails at least once
  unknown.json        a plan of new infrastructure whose policies and container definitions are
                      known only after apply (unknown verdicts); the suppressions of that run
                      are in unknown.pullpath.hcl and in the test (inline comments)
"""

import base64
import json
import os
import sys

TF_VERSION = "1.9.8"
PROVIDER = "registry.terraform.io/hashicorp/aws"
HERE = os.path.dirname(os.path.abspath(__file__))


class Ref:
    """A reference to another resource's attribute (`aws_vpc.main.id`)."""

    def __init__(self, address, attr="id"):
        self.address = address
        self.attr = attr


class Json:
    """`jsonencode(...)` of a value that may hold references."""

    def __init__(self, value):
        self.value = value


class Resource:
    def __init__(self, address, values, new=False, before=None, computed=None, delete=False):
        self.address = address
        mode = "data" if address.startswith("data.") else "managed"
        parts = address.split(".")
        if mode == "data":
            parts = parts[1:]
        self.mode = mode
        self.type = parts[0]
        self.name = parts[1]
        self.values = values
        self.new = new
        self.before = before
        self.computed = computed or {}
        self.delete = delete


class Plan:
    def __init__(self, region):
        self.region = region
        self.resources = []
        self.by_address = {}

    def add(self, address, values, **kw):
        r = Resource(address, values, **kw)
        self.resources.append(r)
        self.by_address[address] = r
        return r

    # Resolving values ---------------------------------------------------------------------

    def known(self, ref):
        """The value of a reference, or None when the target is created by this plan."""
        target = self.by_address[ref.address]
        if target.new:
            return None
        if ref.attr in target.computed:
            return target.computed[ref.attr]
        if ref.attr in target.values and not isinstance(target.values[ref.attr], (Ref, Json)):
            return target.values[ref.attr]
        raise KeyError(f"{ref.address}.{ref.attr} has no known value")

    def refs(self, v, out):
        if isinstance(v, Ref):
            name = f"{v.address}.{v.attr}"
            for x in (name, v.address):
                if x not in out:
                    out.append(x)
        elif isinstance(v, Json):
            self.refs(v.value, out)
        elif isinstance(v, list):
            for x in v:
                self.refs(x, out)
        elif isinstance(v, dict):
            for x in v.values():
                self.refs(x, out)
        return out

    def resolve(self, v):
        """(after, after_unknown): after is `UNKNOWN` when any part is unknown."""
        if isinstance(v, Ref):
            k = self.known(v)
            return (UNKNOWN, True) if k is None else (k, False)
        if isinstance(v, Json):
            inner = self.resolve(v.value)
            if has_unknown(inner[1]):
                return (UNKNOWN, True)
            return (json.dumps(inner[0], separators=(",", ":")), False)
        if isinstance(v, list):
            items = [self.resolve(x) for x in v]
            blocks = bool(v) and all(isinstance(x, dict) for x in v)
            if not blocks:
                # A list with an unknown element is unknown as a whole (as sets are).
                if any(has_unknown(u) for _, u in items):
                    return (UNKNOWN, True)
                return ([a for a, _ in items], False)
            unknown = [u if has_unknown(u) else {} for _, u in items]
            return ([a for a, _ in items], unknown if any(unknown) else False)
        if isinstance(v, dict):
            after, unknown = {}, {}
            for k, x in v.items():
                a, u = self.resolve(x)
                if a is not UNKNOWN:
                    after[k] = a
                if has_unknown(u):
                    unknown[k] = u
            return (after, unknown)
        return (v, False)

    def expressions(self, v):
        """The configuration's `expressions` for a value."""
        if isinstance(v, dict):
            return {k: self.expression(x) for k, x in v.items()}
        return self.expression(v)

    def expression(self, v):
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            return [self.expressions(x) for x in v]
        refs = self.refs(v, [])
        if refs:
            return {"references": refs}
        # A function call without references (`jsonencode({...})`) is recorded by its value.
        return {"constant_value": self.resolve(v)[0]}

    # Output --------------------------------------------------------------------------------

    def state_resource(self, r, values):
        return {
            "address": r.address,
            "mode": r.mode,
            "type": r.type,
            "name": r.name,
            "provider_name": PROVIDER,
            "schema_version": 0,
            "values": values,
            "sensitive_values": {},
        }

    def after_of(self, r):
        after, unknown = self.resolve(r.values)
        for k, v in r.computed.items():
            if r.new:
                unknown[k] = True
            else:
                after[k] = v
        return after, unknown

    def before_of(self, r):
        """The object in the prior state: `before` when the plan changes it."""
        if r.new:
            return None
        if r.before is not None:
            values = dict(r.values)
            values.update(r.before)
            after, unknown = self.resolve(values)
        else:
            after, unknown = self.resolve(r.values)
        assert not has_unknown(unknown), f"{r.address}: prior state values must be known"
        after.update(r.computed)
        return after

    def document(self):
        planned, changes, prior, config = [], [], [], []
        for r in self.resources:
            before = self.before_of(r)
            if before is not None:
                prior.append(self.state_resource(r, before))
            if r.delete:
                action = ["delete"]
                after, unknown = None, False
            else:
                after, unknown = self.after_of(r)
                if r.new:
                    action = ["create"]
                elif after == before:
                    action = ["no-op"]
                else:
                    action = ["update"]
                planned.append(self.state_resource(r, after))
            changes.append(
                {
                    "address": r.address,
                    "mode": r.mode,
                    "type": r.type,
                    "name": r.name,
                    "provider_name": PROVIDER,
                    "change": {
                        "actions": action,
                        "before": before,
                        "after": after,
                        "after_unknown": unknown if unknown else {},
                        "before_sensitive": {} if before is not None else False,
                        "after_sensitive": {} if after is not None else False,
                    },
                }
            )
            if not r.delete:
                config.append(
                    {
                        "address": r.address,
                        "mode": r.mode,
                        "type": r.type,
                        "name": r.name,
                        "provider_config_key": "aws",
                        "expressions": self.expressions(r.values),
                        "schema_version": 0,
                    }
                )
        doc = {
            "format_version": "1.2",
            "terraform_version": TF_VERSION,
            "planned_values": {"root_module": {"resources": planned}},
            "resource_changes": changes,
            "prior_state": {
                "format_version": "1.0",
                "terraform_version": TF_VERSION,
                "values": {"root_module": {"resources": prior}},
            },
            "configuration": {
                "provider_config": {
                    "aws": {
                        "name": "aws",
                        "full_name": PROVIDER,
                        "expressions": {"region": {"constant_value": self.region}},
                    }
                },
                "root_module": {"resources": config},
            },
            "timestamp": "2026-01-01T00:00:00Z",
            "applyable": True,
            "complete": True,
            "errored": False,
        }
        return doc


class _Unknown:
    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()


def has_unknown(u):
    if u is True:
        return True
    if isinstance(u, list):
        return any(has_unknown(x) for x in u)
    if isinstance(u, dict):
        return any(has_unknown(x) for x in u.values())
    return False


# Building blocks ---------------------------------------------------------------------------

ACCOUNT = "123456789012"


def vpc(p, name, vid, cidr, dns_hostnames=True, dns_support=True, **kw):
    return p.add(
        f"aws_vpc.{name}",
        {"cidr_block": cidr, "enable_dns_support": dns_support, "enable_dns_hostnames": dns_hostnames},
        computed={
            "id": vid,
            "arn": f"arn:aws:ec2:{p.region}:{ACCOUNT}:vpc/{vid}",
            "owner_id": ACCOUNT,
            "main_route_table_id": "rtb-main" + vid[4:12],
            "default_security_group_id": "sg-default" + vid[4:12],
        },
        **kw,
    )


def subnet(p, name, sid, vpc_addr, cidr, az, **kw):
    return p.add(
        f"aws_subnet.{name}",
        {
            "vpc_id": Ref(vpc_addr),
            "cidr_block": cidr,
            "availability_zone": az,
            "map_public_ip_on_launch": False,
        },
        computed={"id": sid, "arn": f"arn:aws:ec2:{p.region}:{ACCOUNT}:subnet/{sid}"},
        **kw,
    )


def route_table(p, name, rid, vpc_addr, routes=(), **kw):
    route = []
    for dest, target_key, target in routes:
        r = {
            "cidr_block": dest,
            "ipv6_cidr_block": "",
            "destination_prefix_list_id": "",
            "carrier_gateway_id": "",
            "core_network_arn": "",
            "egress_only_gateway_id": "",
            "gateway_id": "",
            "local_gateway_id": "",
            "nat_gateway_id": "",
            "network_interface_id": "",
            "transit_gateway_id": "",
            "vpc_endpoint_id": "",
            "vpc_peering_connection_id": "",
        }
        r[target_key] = target
        route.append(r)
    return p.add(
        f"aws_route_table.{name}",
        {"vpc_id": Ref(vpc_addr), "route": route},
        computed={"id": rid},
        **kw,
    )


def association(p, name, subnet_addr, rt_addr, **kw):
    return p.add(
        f"aws_route_table_association.{name}",
        {"subnet_id": Ref(subnet_addr), "route_table_id": Ref(rt_addr), "gateway_id": None},
        computed={"id": "rtbassoc-" + name},
        **kw,
    )


def security_group(p, name, gid, vpc_addr, ingress=(), egress=(), **kw):
    def rule(r):
        base = {
            "cidr_blocks": [],
            "description": "",
            "ipv6_cidr_blocks": [],
            "prefix_list_ids": [],
            "security_groups": [],
            "self": False,
        }
        base.update(r)
        return base

    return p.add(
        f"aws_security_group.{name}",
        {
            "name": name,
            "vpc_id": Ref(vpc_addr),
            "ingress": [rule(r) for r in ingress],
            "egress": [rule(r) for r in egress],
        },
        computed={"id": gid, "arn": f"arn:aws:ec2:{p.region}:{ACCOUNT}:security-group/{gid}"},
        **kw,
    )


HTTPS_OUT = {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}


def https_in(cidr):
    return {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": [cidr]}


def endpoint(
    p,
    name,
    eid,
    vpc_addr,
    service,
    kind="Interface",
    subnets=(),
    sgs=(),
    route_tables=(),
    policy=None,
    private_dns=True,
    region=None,
    **kw,
):
    region = region or p.region
    values = {
        "vpc_id": Ref(vpc_addr),
        "service_name": f"com.amazonaws.{region}.{service}",
        "vpc_endpoint_type": kind,
        "private_dns_enabled": private_dns if kind == "Interface" else False,
        "subnet_ids": [Ref(s) for s in subnets],
        "security_group_ids": [Ref(g) for g in sgs],
        "route_table_ids": [Ref(t) for t in route_tables],
    }
    computed = {"id": eid, "arn": f"arn:aws:ec2:{p.region}:{ACCOUNT}:vpc-endpoint/{eid}"}
    if kind == "Gateway" and service == "s3":
        computed["prefix_list_id"] = "pl-63a5400a"
    default_policy = json.dumps(
        {
            "Statement": [
                {"Action": "*", "Effect": "Allow", "Principal": "*", "Resource": "*"}
            ],
            "Version": "2008-10-17",
        },
        separators=(",", ":"),
    )
    if policy is None:
        # No policy configured: the provider reports AWS's default full-access policy.
        computed["policy"] = default_policy
    else:
        values["policy"] = policy
    return p.add(f"aws_vpc_endpoint.{name}", values, computed=computed, **kw)


def role(p, name, managed=(), inline=None, **kw):
    values = {
        "name": name,
        "assume_role_policy": json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            separators=(",", ":"),
        ),
        "managed_policy_arns": list(managed),
    }
    if inline is not None:
        values["inline_policy"] = [{"name": f"{name}-inline", "policy": inline}]
    return p.add(
        f"aws_iam_role.{name}",
        values,
        computed={"id": name, "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}"},
        **kw,
    )


EXEC_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"


def container(name, image, awslogs=True, secrets=(), group="/ecs/app"):
    c = {"name": name, "image": image, "essential": True}
    if awslogs:
        c["logConfiguration"] = {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": group,
                "awslogs-region": "us-west-2",
                "awslogs-stream-prefix": name,
            },
        }
    if secrets:
        c["secrets"] = [{"name": f"S{i}", "valueFrom": s} for i, s in enumerate(secrets)]
    return c


def task_definition(p, name, containers, exec_role, **kw):
    return p.add(
        f"aws_ecs_task_definition.{name}",
        {
            "family": name,
            "requires_compatibilities": ["FARGATE"],
            "network_mode": "awsvpc",
            "cpu": "256",
            "memory": "512",
            "execution_role_arn": exec_role,
            "container_definitions": containers,
        },
        computed={
            "id": name,
            "arn": f"arn:aws:ecs:{p.region}:{ACCOUNT}:task-definition/{name}:1",
            "revision": 1,
        },
        **kw,
    )


def service(p, name, td_addr, subnets, sgs, launch="FARGATE", public_ip=False, platform_version="LATEST",
            **kw):
    return p.add(
        f"aws_ecs_service.{name}",
        {
            "name": name,
            "cluster": f"arn:aws:ecs:{p.region}:{ACCOUNT}:cluster/main",
            "launch_type": launch,
            "platform_version": platform_version if launch == "FARGATE" else "",
            "desired_count": 2,
            "capacity_provider_strategy": [],
            "task_definition": Ref(td_addr, "arn"),
            "network_configuration": [
                {
                    "subnets": [Ref(s) for s in subnets],
                    "security_groups": [Ref(g) for g in sgs],
                    "assign_public_ip": public_ip,
                }
            ],
        },
        computed={"id": f"arn:aws:ecs:{p.region}:{ACCOUNT}:service/main/{name}"},
        **kw,
    )


def ecr_image(p, repo, tag="1.4.2", region=None):
    return f"{ACCOUNT}.dkr.ecr.{region or p.region}.amazonaws.com/{repo}:{tag}"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, separators=(",", ":"))


def private_network(p, prefix, vid, cidr, azs=("a", "b"), sg_rules=True, **vpc_kw):
    """A VPC with one private subnet per AZ on one route table (no internet route), an endpoint
    security group admitting 443 from the VPC and a workload group allowing 443 out."""
    v = f"aws_vpc.{prefix}"
    vpc(p, prefix, vid, cidr, **vpc_kw)
    subnets = []
    base = cidr.split(".")
    for i, az in enumerate(azs):
        s = subnet(
            p,
            f"{prefix}_private_{az}",
            f"subnet-{vid[4:10]}{i:02d}private",
            v,
            f"{base[0]}.{base[1]}.{i + 1}.0/24",
            f"{p.region}{az}",
        )
        subnets.append(s.address)
    rt = route_table(p, f"{prefix}_private", f"rtb-{vid[4:10]}private", v)
    for s in subnets:
        association(p, s.split(".")[1], s, rt.address)
    ep_sg = security_group(
        p,
        f"{prefix}_endpoints",
        f"sg-{vid[4:10]}endpoints",
        v,
        ingress=[https_in(cidr)] if sg_rules else [],
    )
    wl_sg = security_group(
        p,
        f"{prefix}_tasks",
        f"sg-{vid[4:10]}tasks",
        v,
        egress=[HTTPS_OUT] if sg_rules else [],
    )
    return v, subnets, rt.address, ep_sg.address, wl_sg.address


def all_endpoints(p, prefix, v, subnets, rt, ep_sg, services=("ecr.api", "ecr.dkr", "logs"), s3_policy=None, **kw):
    for i, svc in enumerate(services):
        endpoint(
            p,
            f"{prefix}_{svc.replace('.', '_').replace('-', '_')}",
            f"vpce-{prefix[:4]}{i:02d}{svc.replace('.', '')}",
            v,
            svc,
            subnets=subnets,
            sgs=[ep_sg],
        )
    endpoint(
        p,
        f"{prefix}_s3",
        f"vpce-{prefix[:4]}s3gateway",
        v,
        "s3",
        kind="Gateway",
        route_tables=[rt],
        policy=s3_policy,
        **kw,
    )


# Scenarios ---------------------------------------------------------------------------------


def clean():
    p = Plan("us-west-2")
    v, subnets, rt, ep_sg, wl_sg = private_network(p, "main", "vpc-0a1b2c3d4e5f60718", "10.0.0.0/16")
    all_endpoints(p, "main", v, subnets, rt, ep_sg)
    role(p, "app_execution", managed=[EXEC_POLICY])
    task_definition(
        p,
        "app",
        Json([container("app", ecr_image(p, "app"))]),
        Ref("aws_iam_role.app_execution", "arn"),
    )
    service(p, "app", "aws_ecs_task_definition.app", subnets, [wl_sg])
    return p


LAYER_POLICY_APP_ONLY = policy(
    {
        "Sid": "AppBucketOnly",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        "Resource": ["arn:aws:s3:::acme-app-data", "arn:aws:s3:::acme-app-data/*"],
    }
)


def seed_incident():
    """The incident pullpath was born from: Batch on Fargate in private subnets; this plan
    replaces the S3 gateway endpoint's default policy with one that allows only the
    application's bucket, so ECR layer downloads from the starport layer bucket are denied."""
    p = Plan("us-west-2")
    v, subnets, rt, ep_sg, wl_sg = private_network(p, "main", "vpc-0f32ee3ff3b0f4542", "10.20.0.0/16")
    all_endpoints(
        p,
        "main",
        v,
        subnets,
        rt,
        ep_sg,
        s3_policy=LAYER_POLICY_APP_ONLY,
    )
    # The prior state has the default policy: make `before` carry it.
    s3 = p.by_address["aws_vpc_endpoint.main_s3"]
    s3.before = {
        "policy": json.dumps(
            {
                "Statement": [
                    {"Action": "*", "Effect": "Allow", "Principal": "*", "Resource": "*"}
                ],
                "Version": "2008-10-17",
            },
            separators=(",", ":"),
        )
    }
    role(p, "batch_execution", managed=[EXEC_POLICY])
    p.add(
        "aws_batch_compute_environment.jobs",
        {
            "compute_environment_name": "jobs",
            "type": "MANAGED",
            "compute_resources": [
                {
                    "type": "FARGATE",
                    "max_vcpus": 16,
                    "subnets": [Ref(s) for s in subnets],
                    "security_group_ids": [Ref(wl_sg)],
                }
            ],
        },
        computed={"id": "jobs", "arn": f"arn:aws:batch:us-west-2:{ACCOUNT}:compute-environment/jobs"},
    )
    p.add(
        "aws_batch_job_definition.etl",
        {
            "name": "etl",
            "type": "container",
            "platform_capabilities": ["FARGATE"],
            "container_properties": Json(
                {
                    "image": ecr_image(p, "etl", "2024.11"),
                    "executionRoleArn": Ref("aws_iam_role.batch_execution", "arn"),
                    "resourceRequirements": [
                        {"type": "VCPU", "value": "1"},
                        {"type": "MEMORY", "value": "2048"},
                    ],
                    "logConfiguration": {"logDriver": "awslogs", "options": {}},
                    "networkConfiguration": {"assignPublicIp": "DISABLED"},
                    "fargatePlatformConfiguration": {"platformVersion": "LATEST"},
                }
            ),
        },
        computed={"id": "etl", "arn": f"arn:aws:batch:us-west-2:{ACCOUNT}:job-definition/etl:3"},
    )
    return p


def many_rules():
    """Four workload VPCs and a workload in no VPC: with many-rules.pullpath.hcl, every rule of
    the catalog fails at least once."""
    p = Plan("us-west-2")

    # VPC "core": ECS on EC2 with every endpoint present but each one wrong in its own way.
    v, subnets, rt, ep_sg, wl_sg = private_network(
        p, "core", "vpc-0c0c0c0c0c0c0c0c1", "10.1.0.0/16", azs=("a", "b", "c"), dns_hostnames=False
    )
    # ecr.api only in one AZ (PP109), with a policy that allows no pull action (PP402) and a
    # wildcard on aws:SourceVpce, which AWS refuses in an endpoint policy (PP409).
    endpoint(
        p,
        "core_ecr_api",
        "vpce-core00ecrapi",
        v,
        "ecr.api",
        subnets=[subnets[0]],
        sgs=[ep_sg],
        policy=policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:DescribeRepositories",
                "Resource": "*",
                "Condition": {"StringLike": {"aws:SourceVpce": "vpce-*"}},
            }
        ),
    )
    # ecr.dkr without private DNS (PP201) and a group that admits nothing (PP501).
    security_group(p, "core_closed", "sg-core-closed", v)
    endpoint(
        p,
        "core_ecr_dkr",
        "vpce-core01ecrdkr",
        v,
        "ecr.dkr",
        subnets=subnets,
        sgs=["aws_security_group.core_closed"],
        private_dns=False,
    )
    # logs left as the provider's default type, Gateway (PP107)… and in another region (PP108).
    endpoint(p, "core_logs", "vpce-core02logs", v, "logs", kind="Gateway", region="us-east-1")
    # logs policy that only allows reading (PP403) on a second logs endpoint that is right otherwise.
    endpoint(
        p,
        "core_logs_ro",
        "vpce-core03logsro",
        v,
        "logs",
        subnets=subnets,
        sgs=[ep_sg],
        policy=policy(
            {"Effect": "Allow", "Principal": "*", "Action": "logs:Describe*", "Resource": "*"}
        ),
    )
    # S3 gateway associated with no route table (PP301).
    endpoint(p, "core_s3", "vpce-core04s3", v, "s3", kind="Gateway", route_tables=[])
    # The corporate DNS servers in the VPC's DHCP options set (PP203).
    p.add(
        "aws_vpc_dhcp_options.core",
        {"domain_name": "corp.example.com", "domain_name_servers": ["10.20.0.10", "10.20.0.11"]},
        computed={"id": "dopt-0c0c0c0c0c0c0c0c1"},
    )
    p.add(
        "aws_vpc_dhcp_options_association.core",
        {"vpc_id": Ref(v), "dhcp_options_id": Ref("aws_vpc_dhcp_options.core")},
        computed={"id": "dopt-0c0c0c0c0c0c0c0c1-vpc-0c0c0c0c0c0c0c0c1"},
    )
    # No ecs/ecs-agent/ecs-telemetry (PP106), no secretsmanager (PP105).
    role(p, "core_execution", managed=[EXEC_POLICY])
    task_definition(
        p,
        "core_worker",
        Json(
            [
                container(
                    "worker",
                    ecr_image(p, "worker"),
                    secrets=[f"arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:db-password-AbCdEf"],
                ),
                container("sidecar", "docker.io/library/nginx:1.27", awslogs=False),
                container("cache", f"{ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/docker-hub/library/redis:7", awslogs=False),
                container("exporter", ecr_image(p, "exporter", region="eu-west-1"), awslogs=False),
            ]
        ),
        Ref("aws_iam_role.core_execution", "arn"),
    )
    p.add(
        "aws_ecr_pull_through_cache_rule.docker_hub",
        {"ecr_repository_prefix": "docker-hub", "upstream_registry_url": "registry-1.docker.io"},
        computed={"id": "docker-hub"},
    )
    service(p, "worker", "aws_ecs_task_definition.core_worker", subnets, [wl_sg], launch="EC2")
    # Its container instances (they pull, over their own network): an Auto Scaling group in the
    # same subnets with the same group, whose launch template's user data joins cluster "main".
    p.add(
        "aws_launch_template.core_ecs",
        {
            "name": "core-ecs",
            "vpc_security_group_ids": [Ref(wl_sg)],
            "user_data": base64.b64encode(b"#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config\n").decode(),
        },
        computed={"id": "lt-0c0c0c0c0c0c0c0c1"},
    )
    p.add(
        "aws_autoscaling_group.core_ecs",
        {
            "name": "core-ecs",
            "min_size": 1,
            "max_size": 3,
            "vpc_zone_identifier": [Ref(s) for s in subnets],
            "launch_template": [{"id": Ref("aws_launch_template.core_ecs"), "version": "$Latest"}],
        },
        computed={"id": "core-ecs"},
    )

    # VPC "edge": Fargate with a task group that allows nothing out (PP502), an execution role
    # without ECR permissions (PP404), and no endpoints at all (PP101, PP102, PP103, PP104).
    v2, subnets2, rt2, ep_sg2, wl_sg2 = private_network(
        p, "edge", "vpc-0e0e0e0e0e0e0e0e2", "10.2.0.0/16", sg_rules=False
    )
    # An execution role that grants nothing ECR needs (PP404).
    role(
        p,
        "edge_execution",
        inline=policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
    )
    # This plan adds the service: its findings are new in this plan.
    # Its second container's image is in another account's registry, which the role's own
    # policy does not allow either (PP407).
    task_definition(
        p,
        "edge_api",
        Json(
            [
                container("api", ecr_image(p, "api")),
                container(
                    "agent",
                    "444455556666.dkr.ecr.us-west-2.amazonaws.com/shared/agent:2.0",
                    awslogs=False,
                ),
            ]
        ),
        Ref("aws_iam_role.edge_execution", "arn"),
        new=True,
    )
    # The repository of its first image denies every pull (PP408).
    p.add(
        "aws_ecr_repository.api",
        {"name": "api"},
        computed={
            "id": "api",
            "arn": f"arn:aws:ecr:us-west-2:{ACCOUNT}:repository/api",
            "repository_url": f"{ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/api",
        },
    )
    p.add(
        "aws_ecr_repository_policy.api",
        {
            "repository": "api",
            "policy": policy(
                {"Sid": "Frozen", "Effect": "Deny", "Principal": "*", "Action": "ecr:*"}
            ),
        },
        computed={"id": "api", "registry_id": ACCOUNT},
    )
    service(p, "api", "aws_ecs_task_definition.edge_api", subnets2, [wl_sg2], new=True)

    # VPC "nat": Fargate behind a NAT gateway and no S3 gateway endpoint (PP110).
    p.add(
        "aws_vpc.nat",
        {"cidr_block": "10.3.0.0/16", "enable_dns_support": True, "enable_dns_hostnames": True},
        computed={"id": "vpc-0a0a0a0a0a0a0a0a3", "owner_id": ACCOUNT, "main_route_table_id": "rtb-natmain"},
    )
    subnet(p, "nat_private_a", "subnet-nat-a", "aws_vpc.nat", "10.3.1.0/24", "us-west-2a")
    p.add(
        "aws_nat_gateway.nat",
        {"subnet_id": "subnet-nat-public", "connectivity_type": "public"},
        computed={"id": "nat-0123456789abcdef0"},
    )
    route_table(
        p,
        "nat_private",
        "rtb-natprivate",
        "aws_vpc.nat",
        routes=[("0.0.0.0/0", "nat_gateway_id", "nat-0123456789abcdef0")],
    )
    association(p, "nat_private_a", "aws_subnet.nat_private_a", "aws_route_table.nat_private")
    security_group(p, "nat_tasks", "sg-nat-tasks", "aws_vpc.nat", egress=[HTTPS_OUT])
    role(p, "nat_execution", managed=[EXEC_POLICY])
    task_definition(
        p,
        "nat_web",
        Json([container("web", ecr_image(p, "web"))]),
        Ref("aws_iam_role.nat_execution", "arn"),
    )
    service(p, "web", "aws_ecs_task_definition.nat_web", ["aws_subnet.nat_private_a"], ["aws_security_group.nat_tasks"])

    # VPC "legacy": Fargate behind a NAT gateway, and an S3 gateway endpoint whose policy
    # allows only the application's bucket (PP401: the endpoint route wins over NAT); the
    # service is pinned to the retired platform version 1.3.0 (PP111).
    p.add(
        "aws_vpc.legacy",
        {"cidr_block": "10.5.0.0/16", "enable_dns_support": True, "enable_dns_hostnames": True},
        computed={"id": "vpc-0d0d0d0d0d0d0d0d5", "owner_id": ACCOUNT, "main_route_table_id": "rtb-legacymain"},
    )
    subnet(p, "legacy_private_a", "subnet-legacy-a", "aws_vpc.legacy", "10.5.1.0/24", "us-west-2a")
    p.add(
        "aws_nat_gateway.legacy",
        {"subnet_id": "subnet-legacy-public", "connectivity_type": "public"},
        computed={"id": "nat-0fedcba987654321f"},
    )
    route_table(
        p,
        "legacy_private",
        "rtb-legacyprivate",
        "aws_vpc.legacy",
        routes=[("0.0.0.0/0", "nat_gateway_id", "nat-0fedcba987654321f")],
    )
    association(p, "legacy_private_a", "aws_subnet.legacy_private_a", "aws_route_table.legacy_private")
    endpoint(
        p,
        "legacy_s3",
        "vpce-legacys3",
        "aws_vpc.legacy",
        "s3",
        kind="Gateway",
        route_tables=["aws_route_table.legacy_private"],
        policy=LAYER_POLICY_APP_ONLY,
    )
    # A network ACL on the private subnet that allows everything out but nothing in: the
    # replies of S3 are dropped (PP503).
    p.add(
        "aws_network_acl.legacy_private",
        {
            "vpc_id": Ref("aws_vpc.legacy"),
            "subnet_ids": [Ref("aws_subnet.legacy_private_a")],
            "ingress": [],
            "egress": [
                {
                    "rule_no": 100,
                    "action": "allow",
                    "protocol": "-1",
                    "cidr_block": "0.0.0.0/0",
                    "ipv6_cidr_block": "",
                    "from_port": 0,
                    "to_port": 0,
                    "icmp_code": 0,
                    "icmp_type": 0,
                }
            ],
        },
        computed={"id": "acl-0d0d0d0d0d0d0d0d5"},
    )
    security_group(p, "legacy_tasks", "sg-legacy-tasks", "aws_vpc.legacy", egress=[HTTPS_OUT])
    task_definition(
        p,
        "legacy_report",
        Json([container("report", ecr_image(p, "report"))]),
        Ref("aws_iam_role.nat_execution", "arn"),
    )
    service(
        p,
        "report",
        "aws_ecs_task_definition.legacy_report",
        ["aws_subnet.legacy_private_a"],
        ["aws_security_group.legacy_tasks"],
        platform_version="1.3.0",
    )

    # A workload whose subnets are not in the input (PP901).
    p.add(
        "aws_ecs_service.orphan",
        {
            "name": "orphan",
            "cluster": f"arn:aws:ecs:us-west-2:{ACCOUNT}:cluster/main",
            "launch_type": "FARGATE",
            "platform_version": "LATEST",
            "capacity_provider_strategy": [],
            "task_definition": Ref("aws_ecs_task_definition.edge_api", "arn"),
            "network_configuration": [
                {"subnets": ["subnet-0ffffffffffffffff"], "security_groups": [], "assign_public_ip": False}
            ],
        },
        computed={"id": "orphan"},
        new=True,
    )
    return p


def unknown():
    """New infrastructure: ids and policies are known only after apply."""
    p = Plan("us-west-2")
    v, subnets, rt, ep_sg, wl_sg = private_network(p, "app", "vpc-0b0b0b0b0b0b0b0b4", "10.4.0.0/16")
    for addr in [v, rt, ep_sg, wl_sg, *subnets]:
        p.by_address[addr].new = True
    for r in list(p.resources):
        if r.type == "aws_route_table_association":
            r.new = True
    p.add(
        "aws_cloudwatch_log_group.app",
        {"name": "/ecs/app", "retention_in_days": 30},
        computed={"id": "/ecs/app", "arn": f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:/ecs/app"},
        new=True,
    )
    # The S3 and logs endpoint policies name resources created by this plan: unknown until apply.
    p.add(
        "aws_s3_bucket.artifacts",
        {"bucket_prefix": "artifacts-"},
        computed={"id": "artifacts", "arn": "arn:aws:s3:::artifacts"},
        new=True,
    )
    endpoint(p, "app_ecr_api", "vpce-app0ecrapi", v, "ecr.api", subnets=subnets, sgs=[ep_sg], new=True)
    endpoint(p, "app_ecr_dkr", "vpce-app1ecrdkr", v, "ecr.dkr", subnets=subnets, sgs=[ep_sg], new=True)
    endpoint(
        p,
        "app_logs",
        "vpce-app2logs",
        v,
        "logs",
        subnets=subnets,
        sgs=[ep_sg],
        policy=Json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": Ref("aws_cloudwatch_log_group.app", "arn"),
                    }
                ],
            }
        ),
        new=True,
    )
    endpoint(
        p,
        "app_s3",
        "vpce-app3s3",
        v,
        "s3",
        kind="Gateway",
        route_tables=[rt],
        policy=Json(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": ["arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"],
                    },
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [Ref("aws_s3_bucket.artifacts", "arn")],
                    },
                ],
            }
        ),
        new=True,
    )
    role(p, "app_execution", managed=[EXEC_POLICY], new=True)
    # Container definitions that name the log group: unknown before apply.
    task_definition(
        p,
        "app",
        Json(
            [
                {
                    "name": "app",
                    "image": ecr_image(p, "app"),
                    "logConfiguration": {
                        "logDriver": "awslogs",
                        "options": {"awslogs-group": Ref("aws_cloudwatch_log_group.app", "name")},
                    },
                }
            ]
        ),
        Ref("aws_iam_role.app_execution", "arn"),
        new=True,
    )
    service(p, "app", "aws_ecs_task_definition.app", subnets, [wl_sg], new=True)
    # The prior state had a NAT-free VPC endpoint that this plan deletes.
    p.add(
        "aws_vpc_endpoint.legacy_sts",
        {"vpc_id": "vpc-0b0b0b0b0b0b0b0b4", "service_name": "com.amazonaws.us-west-2.sts", "vpc_endpoint_type": "Interface"},
        computed={"id": "vpce-legacy-sts"},
        delete=True,
    )
    return p


SCENARIOS = {
    "clean.json": clean,
    "seed-incident.json": seed_incident,
    "many-rules.json": many_rules,
    "unknown.json": unknown,
}


def main():
    names = sys.argv[1:] or list(SCENARIOS)
    for name in names:
        doc = SCENARIOS[name]().document()
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(doc, f, indent=2, sort_keys=False)
            f.write("\n")
        print(f"wrote testdata/reports/{name}")


if __name__ == "__main__":
    main()
