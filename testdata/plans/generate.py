#!/usr/bin/env python3
"""Generates pullpath's plan fixtures: `testdata/plans/<rule-name>/{fail,pass}-*.json`, the
option and prior-state fixtures, and `testdata/examples/*.json`; and from the same descriptions
their HCL twins, the configurations that give those plans (`testdata/hcl/twins/<rule-name>/<name>/`,
written by `tfhcl.py`), plus HCL-only variants of some twins (inline suppressions).

    python3 testdata/plans/generate.py          # rewrite every fixture and twin
    python3 testdata/plans/generate.py --check  # exit 1 if a committed fixture or twin is stale
    python3 testdata/plans/generate.py --list   # print each fixture, what it shows, and its twin

The outputs are committed; `cargo test` does not run this script (Python 3 standard library
only). Each fixture is a function below whose docstring says what it shows, which findings it
produces and why (`tests/rules.rs` asserts exactly those). The plans are what
`terraform show -json` prints for Terraform 1.9 and hashicorp/aws 5.x (see `tfplan.py`):

- **create plans** build new infrastructure: every id is unknown, and which VPC, subnets,
  route tables and security groups a resource uses is only in the `configuration` section's
  `references` (the hard and common case);
- **update plans** change existing infrastructure: ids are known, `prior_state` holds what exists
  before the plan, and `resource_changes` are mostly `no-op`;
- **module plans** put the VPC in a module with `count` (`module.vpc.aws_subnet.private[0]`) and
  the endpoints in a module with `for_each` keys, joined through module outputs and input
  variables.

The scenario is always the same kind of service, written the way Terraform users write it: an
ECS Fargate service (or an AWS Batch compute environment) in private subnets, its task or job
definition, the VPC, subnets, route tables, VPC endpoints, security groups and the task
execution role. A fixture changes one thing and fails only the rule under test where possible.
"""

import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ next to the fixtures
sys.path.insert(0, HERE)

from tfplan import (C, DEFAULT_ENDPOINT_POLICY, E, F, UNKNOWN, Plan, Raw, jsonencode, ref, refs_list,  # noqa: E402
                    traversal_refs)
import tfhcl  # noqa: E402
from stacks import (ACCOUNT, APP_BUCKET, EC2_TRUST, allow, batch_fargate, cluster, container,  # noqa: E402
                    container_instances, managed_instances,
                    deny, ecs_service, endpoint_sg, execution_role, fargate_service, image,
                    interface_endpoints, log_group, network, policy, s3_gateway, task_definition,
                    workload_sg)

ROOT = os.path.dirname(os.path.dirname(HERE))

FIXTURES = []
# The HCL twins: (twin directory relative to `testdata/hcl/twins/`, plan fixture or None, function,
# comments above blocks {address: lines}).
TWINS = []
# Plan fixtures without a generated twin: path -> why.
NO_TWIN = {}


def fixture(path, twin=True):
    """Registers a fixture: `path` relative to `testdata/`. Its HCL twin (the configuration that
    gives the plan, `testdata/hcl/twins/<rule-name>/<name>/`) is written too, unless `twin` is a
    string: the reason there is none (or none generated: the module fixtures' are by hand)."""
    def register(fn):
        FIXTURES.append((path, fn))
        if twin is True:
            TWINS.append((twin_dir(path), path, fn, {}))
        else:
            NO_TWIN[path] = twin
        return fn
    return register


def twin_dir(path):
    """`plans/<rule-name>/<name>.json` -> `<rule-name>/<name>`; `examples/<name>.json` ->
    `examples/<name>`."""
    parts = path[: -len(".json")].split("/")
    return "/".join(parts[1:] if parts[0] == "plans" else parts)


def hcl_variant(directory, of, comments, doc, build=None, extra=None):
    """An HCL-only variant of the twin of fixture `of`, in `testdata/hcl/twins/<directory>/`: the
    same configuration with comments above some blocks (inline suppressions), or the plan that
    `build` makes (the same, with some expressions written otherwise), with `extra` blocks."""
    fn = build or next(f for p, f in FIXTURES if p == of)
    TWINS.append((directory, None, lambda: fn(), {"doc": doc, "extra": extra, **comments}))


# ---------------------------------------------------------------------------------------------
# The complete private Fargate service, with knobs
# ---------------------------------------------------------------------------------------------

BASE_ENDPOINTS = ("ecr.api", "ecr.dkr", "logs")


def private_fargate(p, nat=False, endpoints=BASE_ENDPOINTS, s3="gateway", s3_policy=None,
                    s3_policy_expr=None, s3_route_tables=None, s3_via_association=False,
                    ep_overrides=None, ep_subnets=None, ep_ingress="workload", ep_sg=True,
                    app_egress="vpc+s3", app_rules_as_resources=True, role="managed",
                    role_inline=None, img=None, log=True, secrets=None, platform_version=None,
                    launch_type="FARGATE", capacity_providers=None, dns_hostnames=True,
                    dns_support=True, associate=None, azs=("a", "b"), inline_nat_route=False,
                    existing=None, service_subnets=None, subnets_expr=None, ep_delete=(),
                    image_expr=None, nat_route_attr="nat_gateway_id", td_by="arn"):
    """The complete correct private Fargate service (no NAT; ecr.api, ecr.dkr, logs and an S3
    gateway; security groups that admit HTTPS both ways; an execution role with the managed
    policy), with knobs to break one thing at a time."""
    net = network(p, azs=azs, nat=nat, dns_hostnames=dns_hostnames, dns_support=dns_support,
                  associate=associate, inline_nat_route=inline_nat_route, existing=existing,
                  nat_route_attr=nat_route_attr)
    out = dict(net)
    s3ep = None
    if s3 == "gateway":
        s3ep = s3_gateway(p, net, policy_doc=s3_policy, policy_expr=s3_policy_expr,
                          route_tables=[net[t] if isinstance(t, str) else t for t in s3_route_tables]
                          if s3_route_tables is not None else None,
                          via_association=s3_via_association, existing=existing)
    elif s3 == "interface":
        s3ep = s3_gateway(p, net, endpoint_type="Interface", existing=existing)
    out["s3"] = s3ep
    app = workload_sg(p, net, egress=app_egress, s3=s3ep if s3 == "gateway" else None,
                      rules_as_resources=app_rules_as_resources, existing=existing)
    out["app_sg"] = app
    eps = None
    if ep_sg:
        eps = endpoint_sg(p, net, workload_sg=app, ingress=ep_ingress, existing=existing)
    out["endpoint_sg"] = eps
    out["endpoints"] = interface_endpoints(
        p, net, endpoints, sg=eps, overrides=ep_overrides, existing=existing, delete=ep_delete,
        subnets=[net["private"][i] for i in ep_subnets] if ep_subnets is not None else None)
    if role == "managed":
        r = execution_role(p, managed=True, inline=role_inline, existing=existing)
    elif role == "none":
        r = execution_role(p, managed=False, inline=role_inline, existing=existing)
    else:
        r = None
    out["role"] = r
    out.update(fargate_service(
        p, net, app, r, img=img, log=log, secrets=secrets, platform_version=platform_version,
        launch_type=launch_type, capacity_providers=capacity_providers, existing=existing,
        subnets=[net["private"][i] for i in service_subnets] if service_subnets is not None else None,
        subnets_expr=subnets_expr, image_var=image_expr is None, image_expr=image_expr,
        td_by=td_by))
    return out


def secret_arn(name="orders/db-password-Xk2b9Q", region="us-west-2"):
    return f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{name}"


def parameter_arn(name="orders/api-key", region="us-west-2"):
    return f"arn:aws:ssm:{region}:{ACCOUNT}:parameter/{name}"


SECRETS_READ = policy(
    {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
     "Resource": [secret_arn()]},
)


def starport(region="us-west-2"):
    return f"arn:aws:s3:::prod-{region}-starport-layer-bucket/*"


DEFAULT_S3_POLICY = DEFAULT_ENDPOINT_POLICY

APP_BUCKET_ONLY = policy(
    allow(["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
          [f"arn:aws:s3:::{APP_BUCKET}", f"arn:aws:s3:::{APP_BUCKET}/*"], sid="AppBucketOnly"),
)


# ---------------------------------------------------------------------------------------------
# PP101 ecr-dkr-endpoint-missing
# ---------------------------------------------------------------------------------------------


@fixture("plans/ecr-dkr-endpoint-missing/fail-no-ecr-dkr.json")
def _():
    """Create plan. A private Fargate service (no NAT) with ecr.api, logs and the S3 gateway,
    but no ecr.dkr endpoint: PP101 on the VPC, nothing else."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.api", "logs"))
    return p


@fixture("plans/ecr-dkr-endpoint-missing/fail-platform-1.3.0.json")
def _():
    """Create plan. `platform_version = "1.3.0"`, a retired platform version (PP111: it cannot
    launch); judged as 1.4.0 it needs ecr.dkr (and ecr.api and the S3 gateway): with only
    ecr.api, logs and the S3 gateway, PP101 too."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.api", "logs"), platform_version="1.3.0")
    return p


@fixture("plans/ecr-dkr-endpoint-missing/pass-with-ecr-dkr.json")
def _():
    """Create plan. The complete private Fargate service: ecr.dkr is there. No finding."""
    p = Plan()
    private_fargate(p)
    return p


@fixture("plans/ecr-dkr-endpoint-missing/pass-nat-without-endpoints.json")
def _():
    """Create plan. Private subnets route 0.0.0.0/0 to a NAT gateway and the VPC has only the
    S3 gateway endpoint: in the default reachability mode the images come through NAT, so
    PP101-PP104 pass (and PP110 too: the S3 gateway is there). `--mode strict` fails PP101,
    PP102 and PP104 on the same plan (tests/rules.rs)."""
    p = Plan()
    private_fargate(p, nat=True, endpoints=(), ep_sg=False, app_egress="all")
    return p



@fixture("plans/ecr-dkr-endpoint-missing/pass-nat-through-gateway-id.json")
def _():
    """Create plan. As pass-nat-without-endpoints, but the private route to the NAT gateway is
    written `gateway_id = aws_nat_gateway.main.id`, which AWS accepts (the provider's aws_route
    documentation, "NOTE on gateway_id attribute"): the subnets reach the internet, PP101-PP104
    pass (issue 16: the route's reach used to be unknown)."""
    p = Plan()
    private_fargate(p, nat=True, endpoints=(), ep_sg=False, app_egress="all",
                    nat_route_attr="gateway_id")
    return p


@fixture("plans/ecr-dkr-endpoint-missing/fail-public-subnets-without-public-ip.json")
def _():
    """Create plan. The service runs in subnets whose route table sends 0.0.0.0/0 to an internet
    gateway, but `assign_public_ip = false`: without a public IP the internet gateway does not
    carry its traffic, so the tasks need the endpoints. ecr.api, logs and the S3 gateway are
    there, ecr.dkr is not: PP101."""
    p = Plan()
    net = network(p, associate=())
    igw = p.add("aws_internet_gateway", "main", vpc_id=ref(net["vpc"]), tags=C({"Name": "orders"}))
    rt = net["rt_private"]
    p.add("aws_route", "private_internet", route_table_id=ref(rt), destination_cidr_block=C("0.0.0.0/0"),
          gateway_id=ref(igw))
    for s, z in zip(net["private"], ("a", "b")):
        p.add("aws_route_table_association", f"private_{z}", subnet_id=ref(s), route_table_id=ref(rt))
    s3 = s3_gateway(p, net)
    app = workload_sg(p, net, s3=s3)
    eps = endpoint_sg(p, net, workload_sg=app)
    interface_endpoints(p, net, ("ecr.api", "logs"), sg=eps)
    role = execution_role(p)
    fargate_service(p, net, app, role, assign_public_ip=False)
    return p


@fixture("plans/ecr-dkr-endpoint-missing/fail-endpoint-in-other-vpc.json")
def _():
    """Create plan with two VPCs. The service's VPC (`aws_vpc.main`) has ecr.api, logs and the S3
    gateway; its ecr.dkr endpoint was written with `vpc_id = aws_vpc.shared.id`, the other VPC of
    the plan (which has no workload and is not checked). PP101 on aws_vpc.main."""
    p = Plan()
    out = private_fargate(p, endpoints=("ecr.api", "logs"))
    shared = p.add("aws_vpc", "shared", cidr_block=C("10.1.0.0/16"), enable_dns_support=C(True),
                   enable_dns_hostnames=C(True), tags=C({"Name": "shared-services"}))
    sub = p.add("aws_subnet", "shared_a", vpc_id=ref(shared), cidr_block=C("10.1.10.0/24"),
                availability_zone=C("us-west-2a"), tags=C({"Name": "shared-services-a"}))
    p.add("aws_vpc_endpoint", "ecr_dkr", vpc_id=ref(shared), service_name=C("com.amazonaws.us-west-2.ecr.dkr"),
          vpc_endpoint_type=C("Interface"), private_dns_enabled=C(True), subnet_ids=refs_list([sub]),
          security_group_ids=refs_list([out["endpoint_sg"]]), tags=C({"Name": "ecr.dkr"}))
    return p



@fixture("plans/ecr-dkr-endpoint-missing/fail-scheduled-task.json")
def _():
    """Create plan. No ECS service: a nightly ECS task on Fargate started by an EventBridge rule
    (`aws_cloudwatch_event_target` with an `ecs_target` in the private subnets). ecr.api, logs
    and the S3 gateway are there, ecr.dkr is not: PP101 for the scheduled task."""
    p = Plan()
    net = network(p)
    s3 = s3_gateway(p, net)
    app = workload_sg(p, net, s3=s3)
    eps = endpoint_sg(p, net, workload_sg=app)
    interface_endpoints(p, net, ("ecr.api", "logs"), sg=eps)
    role = execution_role(p)
    cl = cluster(p)
    lg = log_group(p)
    p.variable("app_image", image(region=p.region))
    td = task_definition(p, role, [container(region=p.region)], refs=["var.app_image"] + traversal_refs(lg.rel, "name"))
    events_role = p.add("aws_iam_role", "events", name=C("orders-nightly-events"), assume_role_policy=F(jsonencode(policy(
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole"}))))
    rule = p.add("aws_cloudwatch_event_rule", "nightly", name=C("orders-nightly"),
                 schedule_expression=C("cron(0 3 * * ? *)"))
    p.add("aws_cloudwatch_event_target", "nightly", rule=ref(rule, "name"), arn=ref(cl, "arn"),
          role_arn=ref(events_role, "arn"), target_id=C("orders-nightly"),
          ecs_target=[{"task_definition_arn": ref(td, "arn"), "launch_type": C("FARGATE"), "task_count": C(1),
                       "network_configuration": [{"subnets": refs_list(net["private"]),
                                                  "security_groups": refs_list([app]),
                                                  "assign_public_ip": C(False)}]}])
    return p


# ---------------------------------------------------------------------------------------------
# PP102 ecr-api-endpoint-missing
# ---------------------------------------------------------------------------------------------


@fixture("plans/ecr-api-endpoint-missing/fail-platform-latest.json")
def _():
    """Create plan. `platform_version = "LATEST"` and no ecr.api endpoint (ecr.dkr, logs and the
    S3 gateway are there): PP102."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.dkr", "logs"), platform_version="LATEST")
    return p


@fixture("plans/ecr-api-endpoint-missing/fail-platform-unset.json")
def _():
    """Create plan. `platform_version` unset (the default is LATEST) and no ecr.api: PP102."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.dkr", "logs"))
    return p


@fixture("plans/ecr-api-endpoint-missing/fail-capacity-provider-fargate-spot.json")
def _():
    """Create plan. Fargate through `capacity_provider_strategy` (FARGATE_SPOT with FARGATE as
    base, no `launch_type`) and no ecr.api: Fargate counts as Fargate, PP102."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.dkr", "logs"), launch_type=None,
                    capacity_providers=[("FARGATE", 1, 1), ("FARGATE_SPOT", 3, 0)])
    return p


@fixture("plans/ecr-api-endpoint-missing/fail-platform-1.3.0-retired.json")
def _():
    """Create plan. `platform_version = "1.3.0"`: Fargate 1.3.0 fetched images without calling
    the ECR API, but it is retired (PP111: the service cannot launch on it) and the fix, 1.4.0,
    calls the ECR API; with ecr.dkr alone, PP102 too. (Before the retirement this fixture was
    pass-platform-1.3.0.)"""
    p = Plan()
    private_fargate(p, endpoints=("ecr.dkr", "logs"), platform_version="1.3.0")
    return p


@fixture("plans/ecr-api-endpoint-missing/pass-with-ecr-api.json")
def _():
    """Create plan. The complete private Fargate service (platform version unset, LATEST): the
    ecr.api endpoint is there. No finding."""
    p = Plan()
    private_fargate(p)
    return p


@fixture("plans/ecr-api-endpoint-missing/unknown-hub-private-hosted-zones.json")
def _():
    """Create plan. Centralised endpoints: the workload VPC has only the S3 gateway (which cannot
    be shared) and resolves ecr.api, ecr.dkr and logs through private hosted zones named for
    their hostnames, created in the hub VPC (`vpc-0a1b2c3d4e5f60718`, another stack) and
    associated with this VPC. The endpoints are outside the input: PP101, PP102 and PP104 are
    unknown, not failures (issue 18)."""
    p = Plan()
    out = private_fargate(p, endpoints=())
    for svc, host in (("ecr_api", "api.ecr"), ("ecr_dkr", "dkr.ecr"), ("logs", "logs")):
        zone = p.add("aws_route53_zone", svc, name=C(f"{host}.us-west-2.amazonaws.com"),
                     vpc=[{"vpc_id": C("vpc-0a1b2c3d4e5f60718")}], tags=C({"Name": f"hub {host}"}))
        p.add("aws_route53_zone_association", svc, zone_id=ref(zone, "zone_id"), vpc_id=ref(out["vpc"]))
    return p


@fixture("plans/ecr-api-endpoint-missing/fail-hub-zones-not-associated.json")
def _():
    """Create plan. As unknown-hub-private-hosted-zones, but the hub's private hosted zones
    are not associated with the workload VPC (no `aws_route53_zone_association`): it resolves
    the public service hostnames and has no endpoint nor internet route. PP101, PP102 and
    PP104 fail (issue 18: the counterpart of the unknown)."""
    p = Plan()
    private_fargate(p, endpoints=())
    for svc, host in (("ecr_api", "api.ecr"), ("ecr_dkr", "dkr.ecr"), ("logs", "logs")):
        p.add("aws_route53_zone", svc, name=C(f"{host}.us-west-2.amazonaws.com"),
              vpc=[{"vpc_id": C("vpc-0a1b2c3d4e5f60718")}], tags=C({"Name": f"hub {host}"}))
    return p


@fixture("plans/ecr-api-endpoint-missing/fail-platform-1.4.0-capacity-provider.json")
def _():
    """Create plan. `platform_version = "1.4.0"` through a FARGATE capacity provider and only
    ecr.dkr: 1.4.0 calls the ECR API, PP102."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.dkr", "logs"), launch_type=None, platform_version="1.4.0",
                    capacity_providers=[("FARGATE", 1, 0)])
    return p


# ---------------------------------------------------------------------------------------------
# PP103 s3-gateway-endpoint-missing
# ---------------------------------------------------------------------------------------------


@fixture("plans/s3-gateway-endpoint-missing/fail-no-s3-endpoint.json")
def _():
    """Create plan. No S3 endpoint at all (the workload SG still allows 443 to 0.0.0.0/0, so
    PP502 has nothing to say): PP103."""
    p = Plan()
    private_fargate(p, s3=None, app_egress="all")
    return p


@fixture("plans/s3-gateway-endpoint-missing/fail-s3-interface-only.json")
def _():
    """Create plan. S3 is reached through an *Interface* endpoint only (no security groups,
    private DNS off), which ECR does not use for image layers: PP103 (the message names the
    Interface endpoint). pullpath also reports PP501 on that S3 Interface endpoint today, which is
    a bug: no workload sends anything to it (tests/rules.rs expects PP103 only)."""
    p = Plan()
    private_fargate(p, s3="interface", app_egress="all")
    return p


@fixture("plans/s3-gateway-endpoint-missing/pass-s3-gateway.json")
def _():
    """Create plan. The S3 Gateway endpoint is on the private route table. No finding."""
    p = Plan()
    private_fargate(p)
    return p


# ---------------------------------------------------------------------------------------------
# PP104 logs-endpoint-missing
# ---------------------------------------------------------------------------------------------


@fixture("plans/logs-endpoint-missing/fail-awslogs-no-logs-endpoint.json")
def _():
    """Create plan. The container logs with `awslogs` and there is no logs endpoint: PP104."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.api", "ecr.dkr"))
    return p


@fixture("plans/logs-endpoint-missing/pass-no-log-configuration.json")
def _():
    """Create plan. No `logConfiguration` (no awslogs) and no logs endpoint: nothing needs
    CloudWatch Logs. No finding."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.api", "ecr.dkr"), log=False)
    return p


@fixture("plans/logs-endpoint-missing/pass-awslogs-with-logs-endpoint.json")
def _():
    """Create plan. awslogs and a logs endpoint. No finding."""
    p = Plan()
    private_fargate(p)
    return p


# ---------------------------------------------------------------------------------------------
# PP105 secrets-endpoint-missing
# ---------------------------------------------------------------------------------------------


@fixture("plans/secrets-endpoint-missing/fail-secretsmanager-value-from.json")
def _():
    """Create plan. The container reads `DB_PASSWORD` from Secrets Manager (`valueFrom` is a
    secret ARN); no secretsmanager endpoint. The execution role may read the secret (inline
    policy): PP105 only."""
    p = Plan()
    private_fargate(p, secrets=[("DB_PASSWORD", secret_arn())], role_inline=SECRETS_READ)
    return p


@fixture("plans/secrets-endpoint-missing/fail-ssm-value-from.json")
def _():
    """Create plan. The container reads an SSM parameter (`valueFrom` is a parameter ARN); no
    ssm endpoint. The execution role may read it: PP105 only."""
    p = Plan()
    private_fargate(p, secrets=[("API_KEY", parameter_arn())], role_inline=policy(
        {"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": parameter_arn()}))
    return p


@fixture("plans/secrets-endpoint-missing/pass-secretsmanager-and-ssm-endpoints.json")
def _():
    """Create plan. Secrets from both services, with a secretsmanager and an ssm endpoint, and a
    role allowed to read both. No finding."""
    p = Plan()
    private_fargate(p, endpoints=BASE_ENDPOINTS + ("secretsmanager", "ssm"),
                    secrets=[("DB_PASSWORD", secret_arn()), ("API_KEY", parameter_arn())],
                    role_inline=policy(
                        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret_arn()},
                        {"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": parameter_arn()}))
    return p



# ---------------------------------------------------------------------------------------------
# PP106 ecs-agent-endpoints-missing
# ---------------------------------------------------------------------------------------------


def ecs_on_ec2(p, endpoints, instances=True, strategy=False, task_egress="vpc+s3",
               instance_egress="vpc+s3", nat=False, managed=False):
    """An ECS service on EC2 with awsvpc networking in the private subnets. Its container
    instances (issue 18: they pull, over their own network) are an Auto Scaling group in the
    private subnets, with their own security group, that joins the cluster through its launch
    template's user data and a capacity provider (`instances`; else they are not in the
    input). The service uses `launch_type = "EC2"`, or with `strategy` the capacity provider
    strategy; with `managed`, the capacity provider is of ECS Managed Instances. The endpoints'
    group admits the instances' group."""
    net = network(p, nat=nat)
    s3 = s3_gateway(p, net)
    app = workload_sg(p, net, s3=s3, egress=task_egress)
    hosts = workload_sg(p, net, s3=s3, egress=instance_egress, name="instances") if instances else app
    eps = endpoint_sg(p, net, workload_sg=hosts)
    interface_endpoints(p, net, endpoints, sg=eps)
    cl = cluster(p)
    lg = log_group(p)
    p.variable("app_image", image(region=p.region), description="Image of the orders API")
    role = execution_role(p) if managed else None
    compat = "MANAGED_INSTANCES" if managed else "EC2"
    td = task_definition(p, role, [container(region=p.region)], compat=compat,
                         refs=["var.app_image"] + traversal_refs(lg.rel, "name"))
    provider = "orders-ec2"
    if managed:
        managed_instances(p, net, cl, hosts)
        provider = "orders-managed"
    elif instances:
        container_instances(p, net, cl, hosts)
    if strategy or managed:
        ecs_service(p, net, app, td, cl, launch_type=None, capacity_providers=[(provider, 1, 0)])
    else:
        ecs_service(p, net, app, td, cl, launch_type="EC2")
    return net


def batch_ec2(p, endpoints, definition="container"):
    """An AWS Batch managed compute environment on EC2 in the private subnets, with its instance
    profile and an EC2 job definition: `container_properties`, or (issue 18) a multi-container
    ECS job (`ecs_properties`, definition "ecs") or a multi-node parallel job (`node_properties`,
    definition "node"), whose containers log with awslogs."""
    net = network(p)
    s3 = s3_gateway(p, net)
    sg = workload_sg(p, net, s3=s3, name="batch")
    eps = endpoint_sg(p, net, workload_sg=sg)
    interface_endpoints(p, net, endpoints, sg=eps)
    role = p.add("aws_iam_role", "batch_instance", name=C("reports-batch-instance"),
                 assume_role_policy=F(jsonencode(EC2_TRUST)))
    p.add("aws_iam_role_policy_attachment", "batch_instance", role=ref(role, "name"),
          policy_arn=C("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"))
    prof = p.add("aws_iam_instance_profile", "batch", name=C("reports-batch-instance"), role=ref(role, "name"))
    ce = p.add("aws_batch_compute_environment", "jobs", compute_environment_name=C("reports-ec2"),
               type=C("MANAGED"),
               compute_resources=[{"type": C("EC2"), "max_vcpus": C(64), "min_vcpus": C(0),
                                   "instance_type": C(["optimal"]),
                                   "instance_role": ref(prof, "arn"),
                                   "subnets": refs_list(net["private"]),
                                   "security_group_ids": refs_list([sg])}])
    p.add("aws_batch_job_queue", "jobs", name=C("reports"), priority=C(1), state=C("ENABLED"),
          compute_environment_order=[{"order": C(1), "compute_environment": ref(ce, "arn")}])
    job = {
        "command": ["python", "-m", "reports.nightly"],
        "image": image("reports", "2024.11.3", region=p.region),
        "resourceRequirements": [{"type": "VCPU", "value": "2"}, {"type": "MEMORY", "value": "4096"}],
    }
    awslogs = {"logDriver": "awslogs", "options": {"awslogs-group": "/aws/batch/reports"}}
    if definition == "container":
        p.add("aws_batch_job_definition", "nightly", name=C("reports-nightly"), type=C("container"),
              platform_capabilities=C(["EC2"]), container_properties=F(jsonencode(job)))
    elif definition == "ecs":
        main = dict(job, name="report", essential=True, logConfiguration=awslogs)
        sidecar = {"name": "uploader", "essential": False,
                   "image": image("uploader", "3.1.0", region=p.region)}
        p.add("aws_batch_job_definition", "nightly", name=C("reports-nightly"), type=C("container"),
              platform_capabilities=C(["EC2"]),
              ecs_properties=F(jsonencode({"taskProperties": [{"containers": [main, sidecar]}]})))
    elif definition == "node":
        p.add("aws_batch_job_definition", "nightly", name=C("reports-nightly"), type=C("multinode"),
              platform_capabilities=C(["EC2"]),
              node_properties=F(jsonencode({"mainNode": 0, "numNodes": 4, "nodeRangeProperties": [
                  {"targetNodes": "0:", "container": dict(job, logConfiguration=awslogs)}]})))
    else:
        raise ValueError(definition)
    return net


ALL_EC2_ENDPOINTS = BASE_ENDPOINTS + ("ecs", "ecs-agent", "ecs-telemetry")


@fixture("plans/ecs-agent-endpoints-missing/fail-ecs-on-ec2.json")
def _():
    """Create plan. ECS on EC2 (`launch_type = "EC2"`, awsvpc) whose container instances (an
    Auto Scaling group whose user data joins the cluster) have ecr.api, ecr.dkr, logs and the S3
    gateway, but none of ecs, ecs-agent, ecs-telemetry: PP106."""
    p = Plan()
    ecs_on_ec2(p, BASE_ENDPOINTS)
    return p


@fixture("plans/ecs-agent-endpoints-missing/pass-ecs-on-ec2.json")
def _():
    """Create plan. ECS on EC2 with the three ECS agent endpoints too. No finding."""
    p = Plan()
    ecs_on_ec2(p, ALL_EC2_ENDPOINTS)
    return p


@fixture("plans/ecs-agent-endpoints-missing/fail-managed-instances.json")
def _():
    """Create plan. ECS Managed Instances (issue 18): the service's capacity provider is of the
    managed-instances kind, whose network configuration puts the hosts in the private subnets
    with their own group; the task execution role pulls. The hosts run the ECS agent
    (DOMAIN.md §2: EC2-like hosts) and there is no ecs, ecs-agent, ecs-telemetry endpoint:
    PP106."""
    p = Plan()
    ecs_on_ec2(p, BASE_ENDPOINTS, managed=True)
    return p


@fixture("plans/ecs-agent-endpoints-missing/pass-managed-instances.json")
def _():
    """Create plan. ECS Managed Instances as fail-managed-instances, with the ecs, ecs-agent and
    ecs-telemetry endpoints too; the task execution role pulls. No finding (issue 18)."""
    p = Plan()
    ecs_on_ec2(p, ALL_EC2_ENDPOINTS, managed=True)
    return p


@fixture("plans/ecs-agent-endpoints-missing/fail-batch-ec2.json")
def _():
    """Create plan. AWS Batch on EC2 (compute_resources.type EC2, instance profile) without the
    ECS agent endpoints: PP106 (the instances never join the Batch-managed cluster)."""
    p = Plan()
    batch_ec2(p, BASE_ENDPOINTS)
    return p


@fixture("plans/logs-endpoint-missing/fail-batch-ecs-properties.json")
def _():
    """Create plan. AWS Batch on EC2 (issue 18) with a multi-container job definition
    (`ecs_properties`: `taskProperties[].containers[]`) whose main container logs with awslogs;
    the ECS agent endpoints but no logs endpoint: PP104 (the containers of this shape are read,
    never skipped)."""
    p = Plan()
    batch_ec2(p, ("ecr.api", "ecr.dkr") + ("ecs", "ecs-agent", "ecs-telemetry"), definition="ecs")
    return p


@fixture("plans/logs-endpoint-missing/fail-batch-node-properties.json")
def _():
    """Create plan. AWS Batch on EC2 (issue 18) with a multi-node parallel job definition
    (`node_properties`: `nodeRangeProperties[].container`) that logs with awslogs; no logs
    endpoint: PP104."""
    p = Plan()
    batch_ec2(p, ("ecr.api", "ecr.dkr") + ("ecs", "ecs-agent", "ecs-telemetry"), definition="node")
    return p


@fixture("plans/logs-endpoint-missing/pass-batch-ecs-properties.json")
def _():
    """Create plan. AWS Batch on EC2 with the multi-container job definition of
    fail-batch-ecs-properties, and every endpoint the instances need (logs among them). No
    finding (issue 18: the pass of that shape)."""
    p = Plan()
    batch_ec2(p, ALL_EC2_ENDPOINTS, definition="ecs")
    return p


@fixture("plans/logs-endpoint-missing/unknown-batch-eks-jobs.json")
def _():
    """Create plan. AWS Batch on Amazon EKS (issue 18): a compute environment with
    `eks_configuration` and a job definition with `eks_properties` (pods), ecr.api, ecr.dkr and
    the S3 gateway but no logs endpoint. Their pull path is out of pullpath's scope: the
    verdicts that depend on the jobs' containers (PP104 among them) are unknown, saying so,
    never a pass."""
    p = Plan()
    batch_eks(p, ("ecr.api", "ecr.dkr"))
    return p


def batch_eks(p, endpoints):
    """An AWS Batch managed compute environment on an EKS cluster (`eks_configuration`) in
    the private subnets, and an EKS job definition (`eks_properties.pod_properties`)."""
    net = network(p)
    s3 = s3_gateway(p, net)
    sg = workload_sg(p, net, s3=s3, name="batch")
    eps = endpoint_sg(p, net, workload_sg=sg)
    interface_endpoints(p, net, endpoints, sg=eps)
    ce = p.add("aws_batch_compute_environment", "jobs", compute_environment_name=C("reports-eks"),
               type=C("MANAGED"),
               compute_resources=[{"type": C("EC2"), "max_vcpus": C(64), "min_vcpus": C(0),
                                   "instance_type": C(["m5.large"]),
                                   "instance_role": C(f"arn:aws:iam::{ACCOUNT}:instance-profile/eks-batch-nodes"),
                                   "subnets": refs_list(net["private"]),
                                   "security_group_ids": refs_list([sg])}],
               eks_configuration=[{"eks_cluster_arn": C(f"arn:aws:eks:{p.region}:{ACCOUNT}:cluster/jobs"),
                                   "kubernetes_namespace": C("batch")}])
    p.add("aws_batch_job_queue", "jobs", name=C("reports"), priority=C(1), state=C("ENABLED"),
          compute_environment_order=[{"order": C(1), "compute_environment": ref(ce, "arn")}])
    p.add("aws_batch_job_definition", "nightly", name=C("reports-nightly"), type=C("container"),
          eks_properties=[{"pod_properties": [{
              "host_network": C(True),
              "containers": [{"name": C("report"),
                              "image": C(image("reports", "2024.11.3", region=p.region)),
                              "command": C(["python", "-m", "reports.nightly"])}]}]}])
    return net


@fixture("plans/ecs-agent-endpoints-missing/pass-batch-ec2.json")
def _():
    """Create plan. AWS Batch on EC2 with ecs, ecs-agent and ecs-telemetry. No finding."""
    p = Plan()
    batch_ec2(p, ALL_EC2_ENDPOINTS)
    return p


# ---------------------------------------------------------------------------------------------
# PP107 endpoint-wrong-type
# ---------------------------------------------------------------------------------------------


@fixture("plans/endpoint-wrong-type/fail-type-unset.json")
def _():
    """Create plan. The ecr.dkr endpoint leaves `vpc_endpoint_type` unset, so the provider's
    default applies: Gateway (the plan's `after` says so). ecr.dkr is an Interface service:
    PP107."""
    p = Plan()
    private_fargate(p, ep_overrides={"ecr.dkr": {"vpc_endpoint_type": None}})
    return p


@fixture("plans/endpoint-wrong-type/pass-interface.json")
def _():
    """Create plan. Every endpoint but S3 is `vpc_endpoint_type = "Interface"`. No finding."""
    p = Plan()
    private_fargate(p)
    return p


# ---------------------------------------------------------------------------------------------
# PP108 endpoint-region-mismatch
# ---------------------------------------------------------------------------------------------


@fixture("plans/endpoint-region-mismatch/fail-service-name-other-region.json")
def _():
    """Create plan. The VPC is in us-west-2 (provider configuration) but the ecr.dkr endpoint's
    service name is `com.amazonaws.us-east-1.ecr.dkr` (copied from another stack): PP108."""
    p = Plan()
    private_fargate(p, ep_overrides={"ecr.dkr": {"service_name": C("com.amazonaws.us-east-1.ecr.dkr")}})
    return p


@fixture("plans/endpoint-region-mismatch/fail-cross-region-image.json")
def _():
    """Create plan. The image is in the us-east-1 registry; the VPC (us-west-2, no NAT) has only
    us-west-2 endpoints: PP108 on the service."""
    p = Plan()
    private_fargate(p, img=image(region="us-east-1"))
    return p


@fixture("plans/endpoint-region-mismatch/pass-cross-region-image-with-nat.json")
def _():
    """Create plan. The same us-east-1 image, but the private subnets route to a NAT gateway:
    the pull goes through NAT. No finding."""
    p = Plan()
    private_fargate(p, img=image(region="us-east-1"), nat=True, app_egress="all")
    return p


def cross_region_endpoints(p, out, region="us-east-1"):
    """ecr.api and ecr.dkr Interface endpoints of `region` reached across regions
    (`service_region`), beside the VPC's own."""
    for svc in ("ecr.api", "ecr.dkr"):
        name = svc.replace(".", "_") + "_" + region.replace("-", "_")
        p.add("aws_vpc_endpoint", name, vpc_id=ref(out["vpc"]),
              service_name=C(f"com.amazonaws.{region}.{svc}"), service_region=C(region),
              vpc_endpoint_type=C("Interface"), private_dns_enabled=C(True),
              subnet_ids=refs_list(out["private"]), security_group_ids=refs_list([out["endpoint_sg"]]),
              tags=C({"Name": f"{svc} ({region})"}))


@fixture("plans/endpoint-region-mismatch/pass-cross-region-endpoints-on-purpose.json")
def _():
    """Create plan. The complete private Fargate service, plus ecr.api and ecr.dkr endpoints of
    us-east-1 reached across regions on purpose (`service_region = "us-east-1"`, cross-region
    PrivateLink): not a mistake. No finding (issue 18)."""
    p = Plan()
    out = private_fargate(p)
    cross_region_endpoints(p, out)
    return p


@fixture("plans/endpoint-region-mismatch/fail-cross-region-image-with-cross-region-endpoints.json")
def _():
    """Create plan. The image is in us-east-1's registry, and the VPC (us-west-2, no NAT) has
    us-east-1's ecr.api and ecr.dkr through cross-region endpoints: the image layers still come
    from us-east-1's S3, which no endpoint of the VPC serves (the S3 gateway serves us-west-2
    only). PP108 on the task definition, naming the hops (issue 18)."""
    p = Plan()
    out = private_fargate(p, img=image(region="us-east-1"))
    cross_region_endpoints(p, out)
    return p


@fixture("plans/endpoint-region-mismatch/pass-same-region.json")
def _():
    """Create plan. Endpoints and image in the VPC's region. No finding."""
    p = Plan()
    private_fargate(p)
    return p


# ---------------------------------------------------------------------------------------------
# PP109 endpoint-az-coverage
# ---------------------------------------------------------------------------------------------


@fixture("plans/endpoint-az-coverage/fail-endpoints-in-one-az.json")
def _():
    """Create plan. Tasks run in us-west-2a and us-west-2b; the interface endpoints have a
    subnet in us-west-2a only: PP109 (a warning) on each of ecr.api, ecr.dkr and logs."""
    p = Plan()
    private_fargate(p, ep_subnets=[0])
    return p


@fixture("plans/endpoint-az-coverage/pass-endpoints-in-every-az.json")
def _():
    """Create plan. The endpoints have a subnet in both AZs. No finding."""
    p = Plan()
    private_fargate(p)
    return p


# ---------------------------------------------------------------------------------------------
# PP110 s3-gateway-would-save-nat
# ---------------------------------------------------------------------------------------------


@fixture("plans/s3-gateway-would-save-nat/fail-nat-without-s3-gateway.json")
def _():
    """Create plan. The private subnets pull through a NAT gateway and there is no S3 gateway
    endpoint: PP110, a note (exit code 0 unless `--fail-on note`)."""
    p = Plan()
    private_fargate(p, nat=True, s3=None, endpoints=(), ep_sg=False, app_egress="all")
    return p


@fixture("plans/s3-gateway-would-save-nat/pass-nat-with-s3-gateway.json")
def _():
    """Create plan. NAT, and an S3 gateway endpoint on the private route table (the NAT route is
    inline in the route table this time). No finding."""
    p = Plan()
    private_fargate(p, nat=True, endpoints=(), ep_sg=False, app_egress="all", inline_nat_route=True)
    return p


# ---------------------------------------------------------------------------------------------
# PP111 fargate-platform-retired
# ---------------------------------------------------------------------------------------------


@fixture("plans/fargate-platform-retired/fail-service-platform-1.3.0.json")
def _():
    """Create plan. The complete private Fargate service, but `platform_version = "1.3.0"`, a
    retired Linux platform version: the service cannot launch. PP111 on the service (its
    endpoints are complete, ecr.api included, so nothing else)."""
    p = Plan()
    private_fargate(p, platform_version="1.3.0")
    return p


@fixture("plans/fargate-platform-retired/fail-batch-job-platform-1.2.0.json")
def _():
    """Create plan. AWS Batch on Fargate whose job definition pins
    `fargatePlatformConfiguration.platformVersion = "1.2.0"` (every endpoint there): PP111 on the
    job definition."""
    p = Plan()
    batch_fargate_create(p, ("ecr.api", "ecr.dkr", "logs"), platform_version="1.2.0")
    return p


@fixture("plans/fargate-platform-retired/pass-platform-1.4.0.json")
def _():
    """Create plan. `platform_version = "1.4.0"`, with every endpoint. No finding."""
    p = Plan()
    private_fargate(p, platform_version="1.4.0")
    return p


@fixture("plans/fargate-platform-retired/pass-batch-job-platform-latest.json")
def _():
    """Create plan. AWS Batch on Fargate on `LATEST`, with every endpoint. No finding."""
    p = Plan()
    batch_fargate_create(p, ("ecr.api", "ecr.dkr", "logs"))
    return p


# ---------------------------------------------------------------------------------------------
# PP201 endpoint-private-dns-disabled
# ---------------------------------------------------------------------------------------------


@fixture("plans/endpoint-private-dns-disabled/fail-private-dns-false.json")
def _():
    """Create plan. The ecr.dkr endpoint has `private_dns_enabled = false`: the registry's name
    does not resolve to it. PP201."""
    p = Plan()
    private_fargate(p, ep_overrides={"ecr.dkr": {"private_dns_enabled": C(False)}})
    return p


@fixture("plans/endpoint-private-dns-disabled/fail-private-dns-unset.json")
def _():
    """Create plan. The logs endpoint leaves `private_dns_enabled` unset (the provider's default
    is false): PP201."""
    p = Plan()
    private_fargate(p, ep_overrides={"logs": {"private_dns_enabled": None}})
    return p


@fixture("plans/endpoint-private-dns-disabled/pass-private-dns-enabled.json")
def _():
    """Create plan. Every interface endpoint has private DNS. No finding."""
    p = Plan()
    private_fargate(p)
    return p


# ---------------------------------------------------------------------------------------------
# PP202 vpc-dns-disabled
# ---------------------------------------------------------------------------------------------


@fixture("plans/vpc-dns-disabled/fail-dns-hostnames-unset.json")
def _():
    """Create plan. `aws_vpc.main` leaves `enable_dns_hostnames` unset (Terraform creates VPCs
    with it false; the plan shows it as known after apply): private DNS of the endpoints does not
    work. PP202."""
    p = Plan()
    private_fargate(p, dns_hostnames=None)
    return p


@fixture("plans/vpc-dns-disabled/fail-dns-support-false.json")
def _():
    """Create plan. `enable_dns_support = false`: PP202."""
    p = Plan()
    private_fargate(p, dns_support=False)
    return p


@fixture("plans/vpc-dns-disabled/pass-dns-enabled.json")
def _():
    """Create plan. Both DNS attributes true. No finding."""
    p = Plan()
    private_fargate(p)
    return p


# ---------------------------------------------------------------------------------------------
# PP203 vpc-dns-not-amazon-provided
# ---------------------------------------------------------------------------------------------


def dhcp_options(p, net, servers):
    """A DHCP options set with `domain_name_servers = servers`, associated with the VPC."""
    dopt = p.add("aws_vpc_dhcp_options", "corp", domain_name=C("corp.example.com"),
                 domain_name_servers=C(servers), tags=C({"Name": "corp"}))
    p.add("aws_vpc_dhcp_options_association", "main", vpc_id=ref(net["vpc"]), dhcp_options_id=ref(dopt))
    return dopt


def forwarding_rule(p, net, domain, rule_type="FORWARD"):
    """A Route 53 Resolver rule for `domain` (to the corporate DNS servers), associated with the
    VPC."""
    args = {"domain_name": C(domain), "rule_type": C(rule_type), "name": C("corp-dns")}
    if rule_type == "FORWARD":
        args["resolver_endpoint_id"] = C("rslvr-out-0123456789abcdef0")
        args["target_ip"] = [{"ip": C("10.20.0.10")}, {"ip": C("10.20.0.11")}]
    rule = p.add("aws_route53_resolver_rule", "corp", **args)
    p.add("aws_route53_resolver_rule_association", "corp", resolver_rule_id=ref(rule), vpc_id=ref(net["vpc"]))
    return rule


@fixture("plans/vpc-dns-not-amazon-provided/fail-custom-dhcp-name-servers.json")
def _():
    """Create plan. The complete private Fargate service, but the VPC's DHCP options set names
    the corporate DNS servers (`domain_name_servers = ["10.20.0.10", "10.20.0.11"]`): the tasks
    ask them, not the VPC's resolver that answers the endpoints' private DNS names. PP203 (a
    warning) on the options set, and PP201 unknown on each interface endpoint (its private-DNS
    hop is not decided)."""
    p = Plan()
    out = private_fargate(p)
    dhcp_options(p, out, ["10.20.0.10", "10.20.0.11"])
    return p


@fixture("plans/vpc-dns-not-amazon-provided/fail-resolver-rule-forwards-amazonaws.json")
def _():
    """Create plan. The complete private Fargate service, and a Route 53 Resolver rule that
    forwards `amazonaws.com` to the corporate DNS servers, associated with the VPC: PP203 on the
    rule, PP201 unknown on each interface endpoint."""
    p = Plan()
    out = private_fargate(p)
    forwarding_rule(p, out, "amazonaws.com")
    return p


@fixture("plans/vpc-dns-not-amazon-provided/pass-amazon-provided-dns.json")
def _():
    """Create plan. A DHCP options set with the corporate domain name and
    `domain_name_servers = ["AmazonProvidedDNS"]`. No finding."""
    p = Plan()
    out = private_fargate(p)
    dhcp_options(p, out, ["AmazonProvidedDNS"])
    return p


@fixture("plans/vpc-dns-not-amazon-provided/pass-forward-corporate-domain-only.json")
def _():
    """Create plan. A Resolver rule forwards only `corp.example.com` to the corporate DNS
    servers: the services' names still resolve through the VPC's resolver. No finding."""
    p = Plan()
    out = private_fargate(p)
    forwarding_rule(p, out, "corp.example.com")
    return p


# ---------------------------------------------------------------------------------------------
# PP301 s3-gateway-not-routed
# ---------------------------------------------------------------------------------------------


@fixture("plans/s3-gateway-not-routed/fail-subnet-on-main-route-table.json")
def _():
    """Create plan. `private_b` has no route table association, so it uses the VPC's main route
    table, which the S3 gateway endpoint is not associated with: tasks placed in us-west-2b get
    no route to S3. PP301."""
    p = Plan()
    private_fargate(p, associate=("a",))
    return p


@fixture("plans/s3-gateway-not-routed/fail-no-route-table-at-all.json")
def _():
    """Create plan. The S3 gateway endpoint has no `route_table_ids` and no
    `aws_vpc_endpoint_route_table_association`: no subnet uses it. PP301 (issue 16)."""
    p = Plan()
    private_fargate(p, s3_route_tables=[], s3_via_association=True)
    return p


@fixture("plans/s3-gateway-not-routed/pass-endpoint-route-table-association.json")
def _():
    """Create plan. The S3 gateway is associated with the private route table through an
    `aws_vpc_endpoint_route_table_association` resource instead of `route_table_ids`. No
    finding."""
    p = Plan()
    private_fargate(p, s3_via_association=True)
    return p



THROUGH_LOCAL = ("its point is that a plan does not record what a local holds (the association's "
                 "endpoint); the HCL reader evaluates locals, so a twin would name the endpoint")


def association_through_local(p, s3_policy=None):
    """The private Fargate service whose S3 gateway has no `route_table_ids`: an
    `aws_vpc_endpoint_route_table_association` of the private route table whose
    `vpc_endpoint_id` is `local.s3_endpoint_id`, which a plan does not record."""
    out = private_fargate(p, s3_policy=s3_policy, s3_route_tables=[], s3_via_association=True)
    p.add("aws_vpc_endpoint_route_table_association", "private_s3",
          vpc_endpoint_id=E(UNKNOWN, "local.s3_endpoint_id"), route_table_id=ref(out["rt_private"]))
    return out


@fixture("plans/s3-policy-blocks-layer-bucket/fail-association-endpoint-through-local.json",
         twin=THROUGH_LOCAL)
def _():
    """Create plan (issue 17). The private route table's association names its endpoint through
    `local.s3_endpoint_id`: it may attach to the S3 gateway (the only Gateway endpoint of the
    plan) or to an endpoint outside the plan. The S3 policy allows only the application bucket
    and there is no NAT: attached, PP401; not, PP301. The pull breaks whichever endpoint it
    attaches to: PP401 fails ("whichever way"), PP301 is unknown."""
    p = Plan()
    association_through_local(p, s3_policy=APP_BUCKET_ONLY)
    return p


@fixture("plans/s3-gateway-not-routed/unknown-association-endpoint-through-local.json",
         twin=THROUGH_LOCAL)
def _():
    """Create plan (issue 17). The same association through `local.s3_endpoint_id`, the S3
    gateway with its default policy, no NAT: attached to it, the pull works; attached to an
    endpoint outside the plan, PP301. PP301 is unknown, naming the association."""
    p = Plan()
    association_through_local(p)
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/unknown-endpoint-policy-through-local.json",
         twin=THROUGH_LOCAL)
def _():
    """Create plan (issue 17). An `aws_vpc_endpoint_policy` that allows only the application
    bucket, whose `vpc_endpoint_id` is `local.endpoint_id`: it may replace the policy of any
    endpoint of the plan (S3: PP401; ecr.api, ecr.dkr: PP402; logs: PP403) or of one outside it
    (no finding). Each of those is unknown, naming the policy resource (it used to be dropped,
    and the plan passed)."""
    p = Plan()
    private_fargate(p)
    p.add("aws_vpc_endpoint_policy", "restricted", vpc_endpoint_id=E(UNKNOWN, "local.endpoint_id"),
          policy=F(jsonencode(APP_BUCKET_ONLY)))
    return p


# ---------------------------------------------------------------------------------------------
# PP401 s3-policy-blocks-layer-bucket
# ---------------------------------------------------------------------------------------------


@fixture("plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only.json")
def _():
    """Create plan. The seed incident on ECS Fargate: the S3 gateway endpoint's policy allows
    only the application's bucket, so ECR's layer bucket is implicitly denied. PP401, with the
    corrected policy (the same statement plus an Allow for the layer bucket) as the fix."""
    p = Plan()
    private_fargate(p, s3_policy=APP_BUCKET_ONLY)
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only-with-nat.json")
def _():
    """Create plan. The same policy, and the private subnets also route to a NAT gateway (no
    interface endpoints: images come through NAT). The gateway endpoint's prefix-list route is
    more specific than 0.0.0.0/0, so layer downloads still go through the endpoint and its
    policy: PP401 all the same (the message says why NAT does not help)."""
    p = Plan()
    private_fargate(p, nat=True, endpoints=(), ep_sg=False, app_egress="all", s3_policy=APP_BUCKET_ONLY)
    return p


PERIMETER_STATEMENTS = [
    {"sid": C("AllowEverythingThroughTheEndpoint"), "effect": C("Allow"), "actions": C(["s3:*"]),
     "resources": C(["*"]), "principals": [{"type": C("*"), "identifiers": C(["*"])}]},
]


@fixture("plans/s3-policy-blocks-layer-bucket/fail-deny-other-resource-accounts.json")
def _():
    """Create plan. A data-perimeter policy from `data.aws_iam_policy_document` (read while
    planning, so its `json` is known): Allow `s3:*`, and Deny `s3:*` when `aws:ResourceAccount`
    is not our account. The layer bucket belongs to an AWS account, so the Deny matches: PP401
    (explicit deny)."""
    p = Plan()
    p.variable("account_id", ACCOUNT)
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AllowEverythingThroughTheEndpoint", "Effect": "Allow", "Action": "s3:*",
             "Resource": "*", "Principal": "*"},
            {"Sid": "OnlyOurBuckets", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
             "Principal": "*",
             "Condition": {"StringNotEquals": {"aws:ResourceAccount": ACCOUNT}}},
        ],
    }
    text = json.dumps(doc, indent=2)
    d = p.data("aws_iam_policy_document", "s3_endpoint",
               {"id": "2851119427", "json": text, "minified_json": json.dumps(doc, separators=(",", ":")),
                "override_policy_documents": None, "policy_id": None, "source_policy_documents": None,
                "statement": [
                    {"actions": ["s3:*"], "condition": [], "effect": "Allow", "not_actions": [],
                     "not_principals": [], "not_resources": [],
                     "principals": [{"identifiers": ["*"], "type": "*"}], "resources": ["*"],
                     "sid": "AllowEverythingThroughTheEndpoint"},
                    {"actions": ["s3:*"],
                     "condition": [{"test": "StringNotEquals", "values": [ACCOUNT],
                                    "variable": "aws:ResourceAccount"}],
                     "effect": "Deny", "not_actions": [], "not_principals": [], "not_resources": [],
                     "principals": [{"identifiers": ["*"], "type": "*"}], "resources": ["*"],
                     "sid": "OnlyOurBuckets"}],
                "version": "2012-10-17"},
               statement=PERIMETER_STATEMENTS + [
                   {"sid": C("OnlyOurBuckets"), "effect": C("Deny"), "actions": C(["s3:*"]),
                    "resources": C(["*"]), "principals": [{"type": C("*"), "identifiers": C(["*"])}],
                    "condition": [{"test": C("StringNotEquals"), "variable": C("aws:ResourceAccount"),
                                   "values": E([ACCOUNT], "var.account_id")}]}])
    private_fargate(p, s3_policy_expr=E(text, *traversal_refs(d.rel, "json")))
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/fail-allow-conditioned-on-principal-account.json")
def _():
    """Create plan. The only Allow is conditioned on `aws:PrincipalAccount` = our account. ECR's
    layer download is a presigned request made by an ECR-owned account: the condition does not
    match, PP401."""
    p = Plan()
    private_fargate(p, s3_policy=policy(allow("s3:*", "*", condition={
        "StringEquals": {"aws:PrincipalAccount": [ACCOUNT]}}, sid="OurPrincipalsOnly")))
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/fail-principal-is-our-account.json")
def _():
    """Create plan. `Principal = {"AWS": "111122223333"}` on an Allow of `s3:GetObject` on `*`:
    that names our account's root user only, not the presigned request ECR makes. PP401."""
    p = Plan()
    private_fargate(p, s3_policy=policy(allow(["s3:GetObject", "s3:ListBucket"], "*",
                                              principal={"AWS": ACCOUNT}, sid="OurAccount")))
    return p


def heredoc_policy(doc):
    """`jsonencode(doc)` in the plan; in the HCL twin, the policy written as a heredoc of JSON
    text (the plan would hold that text, which is the same document)."""
    return F(jsonencode(doc), hcl=tfhcl.Heredoc(json.dumps(doc, indent=2)))


@fixture("plans/s3-policy-blocks-layer-bucket/fail-other-region-layer-bucket.json")
def _():
    """Create plan. The policy allows the layer bucket of us-east-1 (copied from another stack)
    but the VPC is in us-west-2, where ECR serves layers from prod-us-west-2-starport-layer-bucket:
    PP401. (The twin writes the policy as heredoc JSON.)"""
    p = Plan()
    private_fargate(p, s3_policy_expr=heredoc_policy(policy(
        APP_BUCKET_ONLY["Statement"][0],
        allow("s3:GetObject", starport("us-east-1"), sid="EcrLayers"))))
    return p


GOV_APP_BUCKET_ONLY = policy(
    allow(["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
          [f"arn:aws-us-gov:s3:::{APP_BUCKET}", f"arn:aws-us-gov:s3:::{APP_BUCKET}/*"], sid="AppBucketOnly"),
)


@fixture("plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only-govcloud.json")
def _():
    """Create plan in us-gov-west-1 (GovCloud), where the name of ECR's layer bucket is not
    documented: the S3 gateway policy allows only the application's bucket, so it allows no
    AWS-owned bucket whatever that name is. PP401 fails (issue 18: it was unknown)."""
    p = Plan(region="us-gov-west-1")
    private_fargate(p, s3_policy=GOV_APP_BUCKET_ONLY)
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/unknown-guessed-layer-bucket-govcloud.json")
def _():
    """Create plan in us-gov-west-1: the policy allows the application's bucket and
    `prod-us-gov-west-1-starport-layer-bucket`, the aws partition's pattern; whether that is
    ECR's bucket in GovCloud is not documented. PP401 unknown."""
    p = Plan(region="us-gov-west-1")
    private_fargate(p, s3_policy=policy(
        GOV_APP_BUCKET_ONLY["Statement"][0],
        allow("s3:GetObject", "arn:aws-us-gov:s3:::prod-us-gov-west-1-starport-layer-bucket/*", sid="EcrLayers")))
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/pass-default-policy-govcloud.json")
def _():
    """Create plan in us-gov-west-1 (GovCloud): the S3 gateway has no policy, so the default
    full-access policy allows ECR's layer bucket whatever it is called. No finding (the pass
    of fail-app-bucket-only-govcloud, issue 18)."""
    p = Plan(region="us-gov-west-1")
    private_fargate(p)
    return p


CN_APP_BUCKET_ONLY = policy(
    allow(["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
          [f"arn:aws-cn:s3:::{APP_BUCKET}", f"arn:aws-cn:s3:::{APP_BUCKET}/*"], sid="AppBucketOnly"),
)


def private_fargate_china(p, **knobs):
    """`private_fargate` in a China region: the interface endpoints' service names begin with
    `cn.com.amazonaws.` (the S3 gateway's does not), the image host ends in `amazonaws.com.cn`."""
    overrides = {svc: {"service_name": C(f"cn.com.amazonaws.{p.region}.{svc}")} for svc in BASE_ENDPOINTS}
    return private_fargate(p, ep_overrides=overrides,
                           img=f"{ACCOUNT}.dkr.ecr.{p.region}.amazonaws.com.cn/orders-api:1.42.0", **knobs)


@fixture("plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only-china.json")
def _():
    """Create plan in cn-north-1 (China), where the name of ECR's layer bucket is not
    documented: the S3 gateway policy allows only the application's bucket, so no bucket of
    ECR's can be allowed, whatever it is called. PP401 fails in China too (issue 18)."""
    p = Plan(region="cn-north-1")
    private_fargate_china(p, s3_policy=CN_APP_BUCKET_ONLY)
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/pass-default-policy-china.json")
def _():
    """Create plan in cn-north-1: the S3 gateway has no policy (full access). No finding (the
    pass of fail-app-bucket-only-china)."""
    p = Plan(region="cn-north-1")
    private_fargate_china(p)
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/pass-wildcard-layer-bucket.json")
def _():
    """Create plan. The application bucket, and `s3:GetObject` on
    `arn:aws:s3:::prod-*-starport-layer-bucket/*` (a wildcard within the bucket name matches the
    region's bucket). No finding. (The twin writes the policy as heredoc JSON.)"""
    p = Plan()
    private_fargate(p, s3_policy_expr=heredoc_policy(policy(
        APP_BUCKET_ONLY["Statement"][0],
        allow("s3:GetObject", "arn:aws:s3:::prod-*-starport-layer-bucket/*", sid="EcrLayers"))))
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/pass-app-bucket-and-layer-bucket.json")
def _():
    """Create plan. The fixed seed policy: the application bucket plus the minimal statement
    for ECR layers in us-west-2. No finding."""
    p = Plan()
    private_fargate(p, s3_policy=policy(
        APP_BUCKET_ONLY["Statement"][0],
        allow("s3:GetObject", starport(), sid="EcrLayers")))
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/pass-source-vpce-condition.json",
         twin="an update plan whose point is the endpoint's id, known because the endpoint exists; "
              "in HCL the id is known only after apply, which is unknown-source-vpce-condition's twin")
def _():
    """Update plan (existing VPC and S3 gateway endpoint, known ids). A new
    `aws_vpc_endpoint_policy` allows `s3:*` only for requests through this endpoint
    (`aws:SourceVpce` = the endpoint's id, known because the endpoint exists). ECR's layer
    download does come through the endpoint: no finding."""
    p = Plan(existing=True)
    out = private_fargate(p)
    s3 = out["s3"]
    p.add("aws_vpc_endpoint_policy", "s3", existing=False, vpc_endpoint_id=ref(s3),
          policy=E(jsonencode(policy(allow("s3:*", "*", condition={"StringEquals": {"aws:SourceVpce": s3.id}},
                                           sid="OnlyThroughThisEndpoint"))),
                   *traversal_refs(s3.rel, "id")))
    return p


@fixture("plans/s3-policy-blocks-layer-bucket/unknown-source-vpce-condition.json")
def _():
    """Create plan. The same `aws_vpc_endpoint_policy` as in pass-source-vpce-condition, but the
    endpoint is created by this plan: its id, and so the policy, are known only after apply.
    PP401 is unknown (a warning by default; `--unknown fail` makes it an error, `--unknown
    ignore` drops it)."""
    p = Plan()
    out = private_fargate(p)
    s3 = out["s3"]
    p.add("aws_vpc_endpoint_policy", "s3", vpc_endpoint_id=ref(s3),
          policy=E(UNKNOWN, *traversal_refs(s3.rel, "id"), hcl=tfhcl.Call("jsonencode", policy(allow(
              "s3:*", "*", condition={"StringEquals": {"aws:SourceVpce": Raw("aws_vpc_endpoint.s3.id")}},
              sid="OnlyThroughThisEndpoint")))))
    return p


# ---------------------------------------------------------------------------------------------
# PP402 ecr-policy-blocks-pull
# ---------------------------------------------------------------------------------------------

ECR_PULL = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
            "ecr:BatchCheckLayerAvailability"]


@fixture("plans/ecr-policy-blocks-pull/fail-deny-only-policy.json")
def _():
    """Update plan (existing VPC, subnets and service; the plan adds the ECR endpoints). The
    endpoints use the policy of terraform-aws-modules/vpc's `vpc-endpoints` example
    (`generic_endpoint_policy`): a single Deny of everything not from this VPC, and no Allow.
    A policy with only Deny statements allows nothing: PP402 on ecr.api and ecr.dkr."""
    p = Plan(existing=True)
    net = network(p)
    s3 = s3_gateway(p, net)
    app = workload_sg(p, net, s3=s3)
    eps = endpoint_sg(p, net, workload_sg=app)
    vpc_id = net["vpc"].id
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Principal": "*",
         "Condition": {"StringNotEquals": {"aws:SourceVpc": vpc_id}}}]}
    text = json.dumps(doc, indent=2)
    d = p.data("aws_iam_policy_document", "generic_endpoint_policy",
               {"id": "1538925710", "json": text, "minified_json": json.dumps(doc, separators=(",", ":")),
                "override_policy_documents": None, "policy_id": None, "source_policy_documents": None,
                "statement": [{"actions": ["*"], "condition": [
                    {"test": "StringNotEquals", "values": [vpc_id], "variable": "aws:SourceVpc"}],
                    "effect": "Deny", "not_actions": [], "not_principals": [], "not_resources": [],
                    "principals": [{"identifiers": ["*"], "type": "*"}], "resources": ["*"], "sid": ""}],
                "version": "2012-10-17"},
               statement=[{"effect": C("Deny"), "actions": C(["*"]), "resources": C(["*"]),
                           "principals": [{"type": C("*"), "identifiers": C(["*"])}],
                           "condition": [{"test": C("StringNotEquals"), "variable": C("aws:SourceVpc"),
                                          "values": E([vpc_id], *traversal_refs(net["vpc"].rel, "id"))}]}])
    pol = E(text, *traversal_refs(d.rel, "json"))
    interface_endpoints(p, net, ("ecr.api", "ecr.dkr"), sg=eps, existing=False,
                        overrides={"ecr.api": {"policy": pol}, "ecr.dkr": {"policy": pol}})
    interface_endpoints(p, net, ("logs",), sg=eps)
    role = execution_role(p)
    fargate_service(p, net, app, role)
    return p


@fixture("plans/ecr-policy-blocks-pull/pass-allow-pull-actions.json")
def _():
    """Create plan. The ECR endpoints' policy allows the pull actions (and nothing else) for
    any principal. No finding."""
    p = Plan()
    pol = F(jsonencode(policy(allow(ECR_PULL, "*", sid="ImagePulls"))))
    private_fargate(p, ep_overrides={"ecr.api": {"policy": pol}, "ecr.dkr": {"policy": pol}})
    return p


@fixture("plans/ecr-policy-blocks-pull/fail-token-not-allowed.json")
def _():
    """Create plan. The ecr.api endpoint's policy allows `ecr:BatchGetImage` and
    `ecr:GetDownloadUrlForLayer` on the repository but not `ecr:GetAuthorizationToken`: PP402 on
    ecr.api; ecr.dkr keeps the default policy."""
    p = Plan()
    repo = f"arn:aws:ecr:us-west-2:{ACCOUNT}:repository/orders-api"
    pol = F(jsonencode(policy(allow(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], repo, sid="OrdersRepo"))))
    private_fargate(p, ep_overrides={"ecr.api": {"policy": pol}})
    return p


# ---------------------------------------------------------------------------------------------
# PP403 logs-policy-blocks-logging
# ---------------------------------------------------------------------------------------------


@fixture("plans/logs-policy-blocks-logging/fail-put-log-events-only.json")
def _():
    """Create plan. The logs endpoint's policy allows `logs:PutLogEvents` but not
    `logs:CreateLogStream`, which the awslogs driver calls first: PP403."""
    p = Plan()
    pol = F(jsonencode(policy(allow("logs:PutLogEvents", "*", sid="WriteOnly"))))
    private_fargate(p, ep_overrides={"logs": {"policy": pol}})
    return p


@fixture("plans/logs-policy-blocks-logging/pass-create-stream-and-put-events.json")
def _():
    """Create plan. The logs endpoint's policy allows `logs:CreateLogStream` and
    `logs:PutLogEvents`. No finding."""
    p = Plan()
    pol = F(jsonencode(policy(allow(["logs:CreateLogStream", "logs:PutLogEvents"], "*", sid="AwsLogs"))))
    private_fargate(p, ep_overrides={"logs": {"policy": pol}})
    return p


@fixture("plans/logs-policy-blocks-logging/pass-log-group-arn-update.json")
def _():
    """Update plan (existing infrastructure, known account). The logs endpoint's new policy
    allows the two actions on the service's log group only
    (`arn:aws:logs:us-west-2:111122223333:log-group:/ecs/orders-api:*`). No finding."""
    p = Plan(existing=True)
    group = f"arn:aws:logs:us-west-2:{ACCOUNT}:log-group:/ecs/orders-api:*"
    pol = F(jsonencode(policy(allow(["logs:CreateLogStream", "logs:PutLogEvents"], group, sid="OrdersLogs"))))
    private_fargate(p, ep_overrides={"logs": {"policy": pol}})
    return p


# ---------------------------------------------------------------------------------------------
# PP404 execution-role-cannot-pull
# ---------------------------------------------------------------------------------------------


@fixture("plans/execution-role-cannot-pull/fail-role-without-policies.json")
def _():
    """Create plan. The task execution role has a trust policy but no permissions at all: it
    cannot get an ECR token, pull layers, or write logs. PP404."""
    p = Plan()
    private_fargate(p, role="none")
    return p


@fixture("plans/execution-role-cannot-pull/fail-secret-not-allowed.json")
def _():
    """Create plan. The role has AmazonECSTaskExecutionRolePolicy (ECR and logs) and the VPC a
    secretsmanager endpoint, but the container reads a Secrets Manager secret and nothing grants
    `secretsmanager:GetSecretValue`: PP404."""
    p = Plan()
    private_fargate(p, endpoints=BASE_ENDPOINTS + ("secretsmanager",), secrets=[("DB_PASSWORD", secret_arn())])
    return p


@fixture("plans/execution-role-cannot-pull/fail-no-execution-role.json")
def _():
    """Create plan. The Fargate task definition sets no `execution_role_arn` at all, but pulls a
    private ECR image: PP404 on the task definition."""
    p = Plan()
    private_fargate(p, role=None)
    return p


@fixture("plans/execution-role-cannot-pull/pass-managed-policy.json")
def _():
    """Create plan. The role has AmazonECSTaskExecutionRolePolicy attached. No finding."""
    p = Plan()
    private_fargate(p)
    return p


@fixture("plans/execution-role-cannot-pull/pass-secret-allowed.json")
def _():
    """Create plan. The managed policy plus an inline policy that allows reading the secret.
    No finding."""
    p = Plan()
    private_fargate(p, endpoints=BASE_ENDPOINTS + ("secretsmanager",), secrets=[("DB_PASSWORD", secret_arn())],
                    role_inline=SECRETS_READ)
    return p


# Issue 18: `kms:Decrypt` on the customer managed key of a secret the task reads. Update plans:
# the secret and its key exist, so the secret's ARN (in `valueFrom`) and the key's are known,
# and the task definition names the secret by that ARN; the HCL twins write the same as
# references (`valueFrom = aws_secretsmanager_secret.db.arn`), which pullpath matches as the
# same reference.

SECRETS_KEY_ID = "6f1c2a9e-4b7d-4e1a-9c3f-2d8e5b7a1c40"


def encrypted_secret(p, key="cmk", key_policy=None):
    """The secret `orders/db-password` (`aws_secretsmanager_secret.db`) encrypted with `key`:
    `cmk`, the customer managed key `aws_kms_key.secrets` of the input (`key_policy`: its
    policy document, else KMS's default policy, which leaves IAM in charge); `aws`, the AWS
    managed key (`kms_key_id = "alias/aws/secretsmanager"`)."""
    k = None
    args = {"name": C("orders/db-password"), "description": C("orders database password")}
    if key == "cmk":
        kargs = {"description": C("orders secrets"), "deletion_window_in_days": C(30),
                 "enable_key_rotation": C(True)}
        if key_policy is not None:
            kargs["policy"] = F(jsonencode(key_policy))
        k = p.add("aws_kms_key", "secrets", existing={"id": SECRETS_KEY_ID}, **kargs)
        args["kms_key_id"] = ref(k, "arn")
    elif key == "aws":
        args["kms_key_id"] = C("alias/aws/secretsmanager")
    arn = f"arn:aws:secretsmanager:{p.region}:{p.account}:secret:orders/db-password-Xk2b9Q"
    s = p.add("aws_secretsmanager_secret", "db", existing={"id": arn}, **args)
    return s, k


def fargate_reading_secret(p, key="cmk", key_policy=None, decrypt=False):
    """The complete private Fargate service (with a secretsmanager endpoint) whose container
    reads `encrypted_secret` as DB_PASSWORD; its execution role has the managed policy and an
    inline policy `secrets` that allows `secretsmanager:GetSecretValue` on the secret and, with
    `decrypt`, `kms:Decrypt` on the key (both by reference)."""
    s, k = encrypted_secret(p, key=key, key_policy=key_policy)
    out = private_fargate(p, endpoints=BASE_ENDPOINTS + ("secretsmanager",),
                          secrets=[("DB_PASSWORD", s.after["arn"])])
    # `valueFrom = aws_secretsmanager_secret.db.arn`: the expression records the reference.
    out["task_definition"].args["container_definitions"].refs += traversal_refs(s.rel, "arn")
    statements = [{"Sid": "ReadDbPassword", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                   "Resource": s.after["arn"]}]
    refs = traversal_refs(s.rel, "arn")
    if decrypt:
        statements.append({"Sid": "DecryptDbPassword", "Effect": "Allow", "Action": "kms:Decrypt",
                           "Resource": k.after["arn"]})
        refs += traversal_refs(k.rel, "arn")
    p.add("aws_iam_role_policy", "task_execution_secrets", name=C("secrets"), role=ref(out["role"]),
          policy=E(jsonencode(policy(*statements)), *refs))
    return out


@fixture("plans/execution-role-cannot-pull/fail-secret-key-not-allowed.json")
def _():
    """Update plan (the secret and its key exist). The container reads a Secrets Manager secret
    encrypted with a customer managed key of the input (`kms_key_id = aws_kms_key.secrets.arn`,
    KMS's default key policy); the execution role may read the secret but nothing grants
    `kms:Decrypt` on the key ("Required only if your key uses a custom KMS key"): PP404."""
    p = Plan(existing=True)
    fargate_reading_secret(p)
    return p


@fixture("plans/execution-role-cannot-pull/pass-secret-key-allowed.json")
def _():
    """Update plan. As fail-secret-key-not-allowed, and the inline policy also allows
    `kms:Decrypt` on the key; the key's default policy lets the account's IAM policies grant
    it. No finding."""
    p = Plan(existing=True)
    fargate_reading_secret(p, decrypt=True)
    return p


@fixture("plans/execution-role-cannot-pull/fail-key-policy-excludes-role.json")
def _():
    """Update plan. The role's own policy allows `kms:Decrypt` on the key, but the key policy
    allows only a security administration role: it grants neither the execution role nor the
    account (so IAM cannot grant it either, AWS KMS "Key policies"): PP404."""
    p = Plan(existing=True)
    fargate_reading_secret(p, decrypt=True, key_policy=policy(
        allow("kms:*", "*", principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/security-admin"},
              sid="KeyAdministration")))
    return p


@fixture("plans/execution-role-cannot-pull/pass-secret-aws-managed-key.json")
def _():
    """Update plan. The secret is encrypted with the AWS managed key
    (`kms_key_id = "alias/aws/secretsmanager"`): Secrets Manager decrypts with it for any
    principal allowed the secret, so no `kms:Decrypt` is asked. No finding."""
    p = Plan(existing=True)
    fargate_reading_secret(p, key="aws")
    return p


def fargate_reading_parameter(p, decrypt=False):
    """The complete private Fargate service (with an ssm endpoint) whose container reads the
    SecureString parameter `/orders/api-key` (`aws_ssm_parameter.api_key`), encrypted with the
    customer managed key `aws_kms_key.secrets` (`key_id`), as API_KEY; its execution role has
    the managed policy and an inline policy `parameters` that allows `ssm:GetParameters` on the
    parameter and, with `decrypt`, `kms:Decrypt` on the key (both by reference)."""
    k = p.add("aws_kms_key", "secrets", existing={"id": SECRETS_KEY_ID},
              description=C("orders secrets"), deletion_window_in_days=C(30), enable_key_rotation=C(True))
    prm = p.add("aws_ssm_parameter", "api_key", existing={"id": "/orders/api-key"},
                name=C("/orders/api-key"), type=C("SecureString"), key_id=ref(k, "arn"),
                value=p.variable("api_key", "6c1f0e9a-2b7d-4a55-9d3e-orders-api"))
    out = private_fargate(p, endpoints=BASE_ENDPOINTS + ("ssm",),
                          secrets=[("API_KEY", prm.after["arn"])])
    out["task_definition"].args["container_definitions"].refs += traversal_refs(prm.rel, "arn")
    statements = [{"Sid": "ReadApiKey", "Effect": "Allow", "Action": "ssm:GetParameters",
                   "Resource": prm.after["arn"]}]
    refs = traversal_refs(prm.rel, "arn")
    if decrypt:
        statements.append({"Sid": "DecryptApiKey", "Effect": "Allow", "Action": "kms:Decrypt",
                           "Resource": k.after["arn"]})
        refs += traversal_refs(k.rel, "arn")
    p.add("aws_iam_role_policy", "task_execution_parameters", name=C("parameters"), role=ref(out["role"]),
          policy=E(jsonencode(policy(*statements)), *refs))
    return out


@fixture("plans/execution-role-cannot-pull/fail-parameter-key-not-allowed.json")
def _():
    """Update plan (the parameter and its key exist). The container reads an SSM SecureString
    parameter encrypted with a customer managed key of the input (`key_id`); the execution role
    may read the parameter but nothing grants `kms:Decrypt` on the key: PP404."""
    p = Plan(existing=True)
    fargate_reading_parameter(p)
    return p


@fixture("plans/execution-role-cannot-pull/pass-parameter-key-allowed.json")
def _():
    """Update plan. As fail-parameter-key-not-allowed, and the inline policy also allows
    `kms:Decrypt` on the key. No finding."""
    p = Plan(existing=True)
    fargate_reading_parameter(p, decrypt=True)
    return p


# Issue 18: `logs:CreateLogGroup` is asked only for `awslogs-create-group = "true"` and a group
# that the input does not create (DOMAIN.md §5).

CREATE_LOG_GROUP = policy(
    {"Sid": "CreateOrdersLogGroup", "Effect": "Allow", "Action": "logs:CreateLogGroup",
     "Resource": "arn:aws:logs:us-west-2:*:log-group:/ecs/orders-api:*"},
)


def fargate_creating_log_group(p, group_in_input, role_inline=None):
    """The complete private Fargate service whose container logs with awslogs to
    `/ecs/orders-api` with `awslogs-create-group = "true"`; with `group_in_input`, the group
    is `aws_cloudwatch_log_group.app` (named by reference), else no resource creates it. The
    execution role has the managed policy (no `logs:CreateLogGroup`) and `role_inline`."""
    net = network(p)
    s3 = s3_gateway(p, net)
    app = workload_sg(p, net, s3=s3)
    eps = endpoint_sg(p, net, workload_sg=app)
    interface_endpoints(p, net, BASE_ENDPOINTS, sg=eps)
    role = execution_role(p, inline=role_inline)
    cl = cluster(p)
    img = image(region=p.region)
    p.variable("app_image", img, description="Image of the orders API")
    refs = ["var.app_image"]
    if group_in_input:
        lg = log_group(p)
        refs += traversal_refs(lg.rel, "name")
    c = container(img=img, region=p.region)
    c["logConfiguration"]["options"]["awslogs-create-group"] = "true"
    td = task_definition(p, role, [c], refs=refs)
    ecs_service(p, net, app, td, cl)
    return net


@fixture("plans/execution-role-cannot-pull/fail-create-group-not-in-input.json")
def _():
    """Create plan. The container logs with `awslogs-create-group = "true"` to
    `/ecs/orders-api`, which no resource of the input creates, so the awslogs driver may have
    to create it; AmazonECSTaskExecutionRolePolicy does not grant `logs:CreateLogGroup`:
    PP404."""
    p = Plan()
    fargate_creating_log_group(p, group_in_input=False)
    return p


@fixture("plans/execution-role-cannot-pull/pass-create-group-in-input.json")
def _():
    """Create plan. As fail-create-group-not-in-input, but the input creates the group
    (`aws_cloudwatch_log_group.app`): the driver creates a group only when it is missing, so
    no `logs:CreateLogGroup` is needed. No finding."""
    p = Plan()
    fargate_creating_log_group(p, group_in_input=True)
    return p


@fixture("plans/execution-role-cannot-pull/pass-create-group-allowed.json")
def _():
    """Create plan. As fail-create-group-not-in-input, and an inline policy allows
    `logs:CreateLogGroup` on the group. No finding."""
    p = Plan()
    fargate_creating_log_group(p, group_in_input=False, role_inline=CREATE_LOG_GROUP)
    return p


# Issue 18: on EC2 the container instance role pulls; instances of the input without an
# instance profile cannot authenticate the pull.

def ecs_on_ec2_without_instance_profile(p):
    """ECS on EC2 as `ecs_on_ec2` with every endpoint, but the launch template of the
    container instances sets no `iam_instance_profile` (and no instance role exists)."""
    net = network(p)
    s3 = s3_gateway(p, net)
    app = workload_sg(p, net, s3=s3)
    hosts = workload_sg(p, net, s3=s3, name="instances")
    eps = endpoint_sg(p, net, workload_sg=hosts)
    interface_endpoints(p, net, ALL_EC2_ENDPOINTS, sg=eps)
    cl = cluster(p)
    lg = log_group(p)
    p.variable("app_image", image(region=p.region), description="Image of the orders API")
    td = task_definition(p, None, [container(region=p.region)], compat="EC2",
                         refs=["var.app_image"] + traversal_refs(lg.rel, "name"))
    script = f"#!/bin/bash\necho ECS_CLUSTER={cl.after['name']} >> /etc/ecs/ecs.config\n"
    template = '"#!/bin/bash\\necho ECS_CLUSTER=${' + cl.rel + '.name} >> /etc/ecs/ecs.config\\n"'
    lt = p.add("aws_launch_template", "ecs", name_prefix=C("orders-ecs-"),
               image_id=C("ami-0c2b8ca1dad447f8a"), instance_type=C("t3.large"),
               vpc_security_group_ids=refs_list([hosts]),
               user_data=E(stacks_base64(script), *traversal_refs(cl.rel, "name"),
                           hcl=tfhcl.Call("base64encode", Raw(template))))
    asg = p.add("aws_autoscaling_group", "ecs", name=C("orders-ecs"), min_size=C(1), max_size=C(4),
                vpc_zone_identifier=refs_list(net["private"]),
                launch_template=[{"id": ref(lt), "version": C("$Latest")}])
    cp = p.add("aws_ecs_capacity_provider", "ecs", name=C("orders-ec2"),
               auto_scaling_group_provider=[{"auto_scaling_group_arn": ref(asg, "arn")}])
    p.add("aws_ecs_cluster_capacity_providers", "main", cluster_name=ref(cl, "name"),
          capacity_providers=refs_list([cp], "name"))
    ecs_service(p, net, app, td, cl, launch_type="EC2")
    return net


def stacks_base64(text):
    import stacks
    return stacks.base64(text)


@fixture("plans/execution-role-cannot-pull/fail-ec2-instances-without-instance-profile.json")
def _():
    """Create plan. ECS on EC2 (`launch_type = "EC2"`) whose container instances, an Auto
    Scaling group of the input that joins the cluster, have no instance profile: on EC2 the
    instance role pulls the image and the ECS agent registers with it, so without one neither
    can authenticate. Every endpoint is there. PP404 on the Auto Scaling group."""
    p = Plan()
    ecs_on_ec2_without_instance_profile(p)
    return p


@fixture("plans/execution-role-cannot-pull/pass-ec2-instance-role.json")
def _():
    """Create plan. ECS on EC2 whose container instances have an instance profile with
    AmazonEC2ContainerServiceforEC2Role, and every endpoint (the pass of
    fail-ec2-instances-without-instance-profile). No finding."""
    p = Plan()
    ecs_on_ec2(p, ALL_EC2_ENDPOINTS)
    return p


def ecs_on_ec2_optimized_ami(p, execution_logs):
    """ECS on EC2 (every endpoint) whose launch template boots the AMI of the public SSM
    parameter of the ECS-optimized Amazon Linux 2023 AMI (`data "aws_ssm_parameter"`; in the
    plan the launch template's `image_id` is the AMI, the parameter's value), and a task
    definition with a task execution role that has the managed execution policy
    (`execution_logs`) or only an inline policy of the ECR pull actions."""
    net = network(p)
    s3 = s3_gateway(p, net)
    app = workload_sg(p, net, s3=s3)
    hosts = workload_sg(p, net, s3=s3, name="instances")
    eps = endpoint_sg(p, net, workload_sg=hosts)
    interface_endpoints(p, net, ALL_EC2_ENDPOINTS, sg=eps)
    cl = cluster(p)
    lg = log_group(p)
    p.variable("app_image", image(region=p.region), description="Image of the orders API")
    pull_only = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Resource": "*",
        "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                   "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]}]}
    role = execution_role(p, managed=execution_logs, inline=None if execution_logs else pull_only)
    td = task_definition(p, role, [container(region=p.region)], compat="EC2",
                         refs=["var.app_image"] + traversal_refs(lg.rel, "name"))
    ami = "ami-0c2b8ca1dad447f8a"
    name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
    param = p.data("aws_ssm_parameter", "ecs_ami", {
        "arn": f"arn:aws:ssm:{p.region}::parameter{name}",
        "id": name, "insecure_value": ami, "name": name, "type": "String", "value": ami,
        "version": 112, "with_decryption": True,
    }, name=C(name))
    container_instances(p, net, cl, hosts, image_id=E(ami, *traversal_refs(param.rel, "value")))
    ecs_service(p, net, app, td, cl, launch_type="EC2")
    return net


@fixture("plans/execution-role-cannot-pull/fail-ec2-optimized-ami-execution-role-without-logs.json")
def _():
    """Create plan. ECS on EC2 whose instances boot the ECS-optimized Amazon Linux 2023 AMI
    (from its public SSM parameter), whose ecs-init sets
    `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true`: the agent writes the awslogs output with
    the task execution role, which is allowed only the ECR pull actions. PP404 on the
    execution role (on an AMI the input does not tell it was unknown)."""
    p = Plan()
    ecs_on_ec2_optimized_ami(p, execution_logs=False)
    return p


@fixture("plans/execution-role-cannot-pull/pass-ec2-optimized-ami-execution-role-logs.json")
def _():
    """Create plan. As fail-ec2-optimized-ami-execution-role-without-logs, the execution role
    with the managed execution policy. No finding."""
    p = Plan()
    ecs_on_ec2_optimized_ami(p, execution_logs=True)
    return p


@fixture("plans/execution-role-cannot-pull/fail-batch-ec2-without-instance-role.json")
def _():
    """Create plan. AWS Batch on EC2 whose compute environment sets no
    `compute_resources.instance_role` (required for EC2 and SPOT): its instances have no
    role to pull with. Every endpoint is there. PP404 on the compute environment."""
    p = Plan()
    batch_ec2_without_instance_role(p)
    return p


@fixture("plans/execution-role-cannot-pull/fail-managed-instances-without-execution-role.json")
def _():
    """Create plan. ECS Managed Instances (every endpoint) whose task definition sets no
    `execution_role_arn`: on a managed-instances capacity provider the task execution role
    pulls the image (DOMAIN.md §2), so the private ECR image cannot be pulled. PP404 on the
    task definition (the pass: ecs-agent-endpoints-missing/pass-managed-instances)."""
    p = Plan()
    net = network(p)
    s3 = s3_gateway(p, net)
    app = workload_sg(p, net, s3=s3)
    hosts = workload_sg(p, net, s3=s3, name="instances")
    eps = endpoint_sg(p, net, workload_sg=hosts)
    interface_endpoints(p, net, ALL_EC2_ENDPOINTS, sg=eps)
    cl = cluster(p)
    lg = log_group(p)
    p.variable("app_image", image(region=p.region), description="Image of the orders API")
    td = task_definition(p, None, [container(region=p.region)], compat="MANAGED_INSTANCES",
                         refs=["var.app_image"] + traversal_refs(lg.rel, "name"))
    managed_instances(p, net, cl, hosts)
    ecs_service(p, net, app, td, cl, launch_type=None, capacity_providers=[("orders-managed", 1, 0)])
    return p


def batch_ec2_without_instance_role(p):
    """`batch_ec2` with every endpoint, but no instance role, profile or `instance_role`."""
    net = network(p)
    s3 = s3_gateway(p, net)
    sg = workload_sg(p, net, s3=s3, name="batch")
    eps = endpoint_sg(p, net, workload_sg=sg)
    interface_endpoints(p, net, ALL_EC2_ENDPOINTS, sg=eps)
    ce = p.add("aws_batch_compute_environment", "jobs", compute_environment_name=C("reports-ec2"),
               type=C("MANAGED"),
               compute_resources=[{"type": C("EC2"), "max_vcpus": C(64), "min_vcpus": C(0),
                                   "instance_type": C(["optimal"]),
                                   "subnets": refs_list(net["private"]),
                                   "security_group_ids": refs_list([sg])}])
    p.add("aws_batch_job_queue", "jobs", name=C("reports"), priority=C(1), state=C("ENABLED"),
          compute_environment_order=[{"order": C(1), "compute_environment": ref(ce, "arn")}])
    job = {
        "command": ["python", "-m", "reports.nightly"],
        "image": image("reports", "2024.11.3", region=p.region),
        "resourceRequirements": [{"type": "VCPU", "value": "2"}, {"type": "MEMORY", "value": "4096"}],
    }
    p.add("aws_batch_job_definition", "nightly", name=C("reports-nightly"), type=C("container"),
          platform_capabilities=C(["EC2"]), container_properties=F(jsonencode(job)))
    return net


# ---------------------------------------------------------------------------------------------
# PP409 endpoint-policy-rejected
# ---------------------------------------------------------------------------------------------


@fixture("plans/endpoint-policy-rejected/fail-wildcard-on-source-vpc.json")
def _():
    """Create plan. The S3 gateway endpoint's policy allows the layer bucket only
    `StringLike aws:SourceVpc = "vpc-*"`: AWS refuses wildcards with keys that hold
    system-generated identifiers, so the apply fails. PP409 on the endpoint (and PP401 is
    unknown: the VPC's id is known only after apply)."""
    p = Plan()
    private_fargate(p, s3_policy=policy(allow("s3:GetObject", starport(), sid="EcrLayersFromOurVpcs",
                                              condition={"StringLike": {"aws:SourceVpc": "vpc-*"}})))
    return p


@fixture("plans/endpoint-policy-rejected/fail-policy-over-size-limit.json")
def _():
    """Create plan. The S3 gateway endpoint's policy lists 700 application buckets beside the
    layer bucket: its JSON is over 20,480 characters, the limit of an endpoint policy. PP409."""
    p = Plan()
    buckets = [f"arn:aws:s3:::orders-reports-archive-{i:04d}/*" for i in range(700)]
    private_fargate(p, s3_policy=policy(allow("s3:GetObject", buckets, sid="AppBuckets"),
                                        allow("s3:GetObject", starport(), sid="EcrLayers")))
    return p


@fixture("plans/endpoint-policy-rejected/pass-long-prefix-wildcard.json")
def _():
    """Create plan. The S3 gateway endpoint's policy allows the layer bucket, and the
    application's bucket to roles matching `StringLike aws:PrincipalArn =
    "arn:aws:iam::<account>:role/orders-*"` (a wildcard after more than six characters, on a key
    that is not a system-generated identifier). No finding."""
    p = Plan()
    private_fargate(p, s3_policy=policy(
        allow("s3:GetObject", [f"arn:aws:s3:::{APP_BUCKET}/*"], sid="AppBucket",
              condition={"StringLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/orders-*"}}),
        allow("s3:GetObject", starport(), sid="EcrLayers")))
    return p


# ---------------------------------------------------------------------------------------------
# PP501 endpoint-sg-blocks-https
# ---------------------------------------------------------------------------------------------


@fixture("plans/endpoint-sg-blocks-https/fail-http-only.json")
def _():
    """Create plan. The endpoint security group admits port 80 from the workload group, not 443:
    PP501 on each interface endpoint."""
    p = Plan()
    private_fargate(p, ep_ingress="http")
    return p


@fixture("plans/endpoint-sg-blocks-https/fail-default-security-group.json")
def _():
    """Create plan. The interface endpoints set no `security_group_ids`, so AWS attaches the
    VPC's default group, which admits only its own members; the tasks use `aws_security_group.app`:
    PP501 on each interface endpoint."""
    p = Plan()
    private_fargate(p, ep_sg=False)
    return p


@fixture("plans/endpoint-sg-blocks-https/pass-https-from-workload-sg.json")
def _():
    """Create plan. The endpoint group admits 443 from the workload's group (inline `ingress`
    with `security_groups`). No finding."""
    p = Plan()
    private_fargate(p)
    return p


@fixture("plans/endpoint-sg-blocks-https/pass-https-from-each-subnet.json")
def _():
    """Create plan. The endpoint group admits 443 from `cidr_blocks = [aws_subnet.private_a.cidr_block,
    aws_subnet.private_b.cidr_block]`: neither block holds both workload subnets, together they
    do. No finding (issue 16: the blocks used to be read one at a time, PP501)."""
    p = Plan()
    private_fargate(p, ep_ingress="subnets")
    return p


@fixture("plans/endpoint-sg-blocks-https/pass-https-from-vpc-cidr.json")
def _():
    """Create plan. The endpoint group admits 443 from the VPC CIDR
    (`cidr_blocks = [aws_vpc.main.cidr_block]`), which contains the workload subnets. No
    finding."""
    p = Plan()
    private_fargate(p, ep_ingress="vpc")
    return p


# ---------------------------------------------------------------------------------------------
# PP502 workload-sg-blocks-https
# ---------------------------------------------------------------------------------------------


@fixture("plans/workload-sg-blocks-https/fail-ecs-ec2-instance-sg.json")
def _():
    """Create plan. ECS on EC2 through a capacity provider (issue 18): the container instances'
    security group lets nothing out, while the task's own group is correct. The instances pull
    the image and ship the logs (DOMAIN.md §2): PP502 on the instances' group."""
    p = Plan()
    ecs_on_ec2(p, ALL_EC2_ENDPOINTS, strategy=True, instance_egress="none")
    return p


@fixture("plans/workload-sg-blocks-https/pass-ecs-ec2-task-sg-no-egress.json")
def _():
    """Create plan. ECS on EC2 through a capacity provider whose instances' group lets HTTPS
    out, while the task's own group lets nothing out (ecosystem row 4): the task's ENI carries
    only its application traffic, so the pull passes. No finding."""
    p = Plan()
    ecs_on_ec2(p, ALL_EC2_ENDPOINTS, strategy=True, task_egress="none")
    return p


@fixture("plans/workload-sg-blocks-https/fail-no-egress.json")
def _():
    """Create plan. The workload's security group has no egress rule at all (Terraform removes
    the default allow-all egress of groups it manages): PP502."""
    p = Plan()
    private_fargate(p, app_egress="none")
    return p


@fixture("plans/workload-sg-blocks-https/fail-egress-vpc-cidr-only.json")
def _():
    """Create plan. Egress 443 to the VPC CIDR only: the endpoints are reachable, S3 (image
    layers, public addresses behind the gateway endpoint) is not. PP502."""
    p = Plan()
    private_fargate(p, app_egress="vpc")
    return p


@fixture("plans/workload-sg-blocks-https/pass-s3-prefix-list.json")
def _():
    """Create plan. Inline `egress` blocks: 443 to the VPC CIDR and 443 to the S3 gateway
    endpoint's `prefix_list_id`. No finding."""
    p = Plan()
    private_fargate(p, app_rules_as_resources=False)
    return p


@fixture("plans/workload-sg-blocks-https/pass-egress-all.json")
def _():
    """Create plan. One egress rule: all protocols to 0.0.0.0/0
    (`aws_vpc_security_group_egress_rule`, `ip_protocol = "-1"`). No finding."""
    p = Plan()
    private_fargate(p, app_egress="all")
    return p


# ---------------------------------------------------------------------------------------------
# PP503 nacl-blocks-https
# ---------------------------------------------------------------------------------------------


def nacl_rule(no, action, protocol, cidr, from_port, to_port):
    return {"rule_no": C(no), "action": C(action), "protocol": C(protocol), "cidr_block": C(cidr),
            "from_port": C(from_port), "to_port": C(to_port)}


HTTPS_OUT_ANY = nacl_rule(100, "allow", "tcp", "0.0.0.0/0", 443, 443)
HTTPS_IN_VPC = nacl_rule(110, "allow", "tcp", "10.0.0.0/16", 443, 443)
EPHEMERAL_IN_ANY = nacl_rule(120, "allow", "tcp", "0.0.0.0/0", 1024, 65535)
EPHEMERAL_OUT_VPC = nacl_rule(130, "allow", "tcp", "10.0.0.0/16", 1024, 65535)


def private_nacl(p, net, ingress, egress):
    """A network ACL on the private subnets (the workload's and the endpoints') with these
    inline rules."""
    return p.add("aws_network_acl", "private", vpc_id=ref(net["vpc"]), subnet_ids=refs_list(net["private"]),
                 ingress=ingress, egress=egress, tags=C({"Name": "orders-private"}))


@fixture("plans/nacl-blocks-https/fail-no-ephemeral-replies.json")
def _():
    """Create plan. The complete private Fargate service, and a network ACL on its subnets that
    allows TCP 443 out (anywhere) and in (from the VPC) and the replies back out to the VPC,
    but no inbound ephemeral ports: network ACLs are stateless, so the replies of the endpoints
    and of S3 are dropped. PP503 on the ACL."""
    p = Plan()
    out = private_fargate(p)
    private_nacl(p, out, ingress=[HTTPS_IN_VPC], egress=[HTTPS_OUT_ANY, EPHEMERAL_OUT_VPC])
    return p


@fixture("plans/nacl-blocks-https/fail-deny-before-allow.json")
def _():
    """Create plan. As pass-stateless-rules-both-ways, but with `rule_no = 50` denying all
    outbound traffic to 0.0.0.0/0: the first matching rule wins, so TCP 443 out is dropped.
    PP503 on the ACL."""
    p = Plan()
    out = private_fargate(p)
    private_nacl(p, out, ingress=[HTTPS_IN_VPC, EPHEMERAL_IN_ANY],
                 egress=[nacl_rule(50, "deny", "-1", "0.0.0.0/0", 0, 0), HTTPS_OUT_ANY, EPHEMERAL_OUT_VPC])
    return p


@fixture("plans/nacl-blocks-https/fail-default-acl-without-rules.json")
def _():
    """Create plan. The VPC's default network ACL is managed with `aws_default_network_acl` and
    no rules (Terraform then removes AWS's allow-all rules): every subnet without an association
    denies everything. PP503 on the default ACL."""
    p = Plan()
    out = private_fargate(p)
    p.add("aws_default_network_acl", "default", default_network_acl_id=ref(out["vpc"], "default_network_acl_id"),
          tags=C({"Name": "orders-default"}))
    return p


@fixture("plans/nacl-blocks-https/pass-stateless-rules-both-ways.json")
def _():
    """Create plan. A network ACL on the private subnets allowing TCP 443 out and in, and the
    ephemeral ports (1024-65535) both ways. No finding."""
    p = Plan()
    out = private_fargate(p)
    private_nacl(p, out, ingress=[HTTPS_IN_VPC, EPHEMERAL_IN_ANY], egress=[HTTPS_OUT_ANY, EPHEMERAL_OUT_VPC])
    return p


@fixture("plans/nacl-blocks-https/pass-default-acl-allow-all.json")
def _():
    """Create plan. The default network ACL managed as terraform-aws-modules/vpc does: rule 100
    allows all traffic both ways. No finding."""
    p = Plan()
    out = private_fargate(p)
    allow_all = nacl_rule(100, "allow", "-1", "0.0.0.0/0", 0, 0)
    p.add("aws_default_network_acl", "default", default_network_acl_id=ref(out["vpc"], "default_network_acl_id"),
          ingress=[allow_all], egress=[allow_all], tags=C({"Name": "orders-default"}))
    return p


# ---------------------------------------------------------------------------------------------
# PP601 image-unreachable
# ---------------------------------------------------------------------------------------------


@fixture("plans/image-unreachable/fail-docker-hub.json")
def _():
    """Create plan. The image is `nginx:1.27` (Docker Hub) and the subnets have no internet
    route: PP601 on the service. (The ECR endpoints are still there, unused.)"""
    p = Plan()
    private_fargate(p, img="nginx:1.27")
    return p


@fixture("plans/image-unreachable/fail-docker-hub-family-revision.json")
def _():
    """Create plan. As `fail-docker-hub`, but the service names its task definition as
    `"${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}"` (the form
    cloudposse's service module uses; ecosystem row 35): known only after apply, but it refers
    to one task definition, whose image fails PP601 (it used to leave the images, the log
    driver and the secrets unknown)."""
    p = Plan()
    private_fargate(p, img="nginx:1.27", td_by="family:revision")
    return p


@fixture("plans/image-unreachable/fail-ecr-public.json")
def _():
    """Create plan. The image is on ECR Public (`public.ecr.aws/nginx/nginx:1.27`), which VPC
    endpoints do not serve: PP601."""
    p = Plan()
    private_fargate(p, img="public.ecr.aws/nginx/nginx:1.27")
    return p


@fixture("plans/image-unreachable/fail-ecr-dual-stack-host.json")
def _():
    """Create plan. The image names private ECR by its dual-stack host
    (`<account>.dkr-ecr.us-west-2.on.aws`), which AWS PrivateLink does not serve; the VPC has
    every endpoint but no internet route. PP601 (issue 18)."""
    p = Plan()
    private_fargate(p, img=f"{ACCOUNT}.dkr-ecr.us-west-2.on.aws/orders-api:1.42.0")
    return p


@fixture("plans/image-unreachable/pass-ecr-dual-stack-host-with-nat.json")
def _():
    """Create plan. As fail-ecr-dual-stack-host, with a NAT gateway: the dual-stack host is
    reached over the internet route. No finding (issue 18)."""
    p = Plan()
    private_fargate(p, nat=True, img=f"{ACCOUNT}.dkr-ecr.us-west-2.on.aws/orders-api:1.42.0")
    return p


@fixture("plans/image-unreachable/pass-docker-hub-with-nat.json")
def _():
    """Create plan. `nginx:1.27` from Docker Hub through a NAT gateway (no interface endpoints).
    No finding."""
    p = Plan()
    private_fargate(p, img="nginx:1.27", nat=True, endpoints=(), ep_sg=False, app_egress="all")
    return p


@fixture("plans/image-unreachable/unknown-image-known-after-apply.json")
def _():
    """Create plan. The image is `"${aws_ecrpublic_repository.app.repository_uri}:1.42.0"`, a
    repository this plan creates: the image, and so the whole `container_definitions`, is known
    only after apply, and the subnets have no internet route. An image outside private ECR
    would fail here: PP601 unknown (issue 16: it used to give no finding at all)."""
    p = Plan()
    out = private_fargate(p, image_expr=(
        traversal_refs("aws_ecrpublic_repository.app", "repository_uri"),
        '"${aws_ecrpublic_repository.app.repository_uri}:1.42.0"'))
    p.add("aws_ecrpublic_repository", "app", repository_name=C("orders-api"))
    return p


@fixture("plans/image-unreachable/pass-ecr-repository-url.json")
def _():
    """Create plan. The image is `"${aws_ecr_repository.app.repository_url}:1.42.0"`, a private
    repository this plan creates. The plan records only that `container_definitions` refers to
    the repository's URL, not which container's image it is: PP601 unknown on the plan. HCL
    reads the image expression and knows it is private ECR: no finding."""
    p = Plan()
    private_fargate(p, image_expr=(
        traversal_refs("aws_ecr_repository.app", "repository_url"),
        '"${aws_ecr_repository.app.repository_url}:1.42.0"'))
    p.add("aws_ecr_repository", "app", name=C("orders-api"))
    return p


@fixture("plans/image-unreachable/pass-private-ecr.json")
def _():
    """Create plan. A private ECR image in the VPC's region. No finding."""
    p = Plan()
    private_fargate(p)
    return p


# ---------------------------------------------------------------------------------------------
# PP602 pull-through-cache-first-pull
# ---------------------------------------------------------------------------------------------


def pull_through_rule(p):
    p.add("aws_ecr_pull_through_cache_rule", "docker_hub", ecr_repository_prefix=C("docker-hub"),
          upstream_registry_url=C("registry-1.docker.io"),
          credential_arn=C(f"arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-Lw8xQ1"))


def pull_through_permissions(p, out):
    """The execution role's inline policy `pull-through-cache`: the first pull through a cache rule
    imports the image (`ecr:BatchImportUpstreamImage`) into a repository ECR creates
    (`ecr:CreateRepository`)."""
    statements = [{"Sid": "ImportThroughCache", "Effect": "Allow",
                   "Action": ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
                   "Resource": "*"}]
    p.add("aws_iam_role_policy", "task_execution_cache", name=C("pull-through-cache"),
          role=ref(out["role"]), policy=C(jsonencode(policy(*statements))))


@fixture("plans/pull-through-cache-first-pull/fail-cache-prefix-without-internet.json")
def _():
    """Create plan. An `aws_ecr_pull_through_cache_rule` with prefix `docker-hub`, and the service
    pulls `<account>.dkr.ecr.us-west-2.amazonaws.com/docker-hub/library/nginx:1.27` from subnets
    without an internet route: the first pull needs ECR to fetch from Docker Hub. PP602 (a
    warning). The execution role may import through the cache."""
    p = Plan()
    pull_through_rule(p)
    out = private_fargate(p, img=image("docker-hub/library/nginx", "1.27"))
    pull_through_permissions(p, out)
    return p


@fixture("plans/pull-through-cache-first-pull/pass-cache-prefix-with-nat.json")
def _():
    """Create plan. The same image through a NAT gateway, the execution role allowed to import
    through the cache. No finding."""
    p = Plan()
    pull_through_rule(p)
    out = private_fargate(p, img=image("docker-hub/library/nginx", "1.27"), nat=True, endpoints=(),
                          ep_sg=False, app_egress="all")
    pull_through_permissions(p, out)
    return p


# ---------------------------------------------------------------------------------------------
# PP901 workload-network-unresolved
# ---------------------------------------------------------------------------------------------


@fixture("plans/workload-network-unresolved/fail-subnets-through-local.json",
         twin="its point is that a plan does not record what `local.private_subnet_ids` holds; the "
              "HCL reader evaluates locals, so the twin would find the subnets (pass-subnets-known)")
def _():
    """Create plan. The service's subnets are `local.private_subnet_ids`: the plan records that
    the expression refers to a local value but not what the local holds, and the subnet ids are
    known only after apply. PP901: the workload's VPC cannot be determined."""
    p = Plan()
    private_fargate(p, subnets_expr=E(UNKNOWN, "local.private_subnet_ids"))
    return p


@fixture("plans/workload-network-unresolved/fail-subnets-not-in-input.json")
def _():
    """Update plan of a services stack: the VPC and subnets belong to the network stack (another
    state); the service names them by id (`var.private_subnet_ids`) and its security group sits
    in the VPC named by `var.vpc_id`. The subnets' route tables are not in this input: PP901
    (whether they reach the internet is not known)."""
    p = Plan(existing=True)
    vpc_id = "vpc-0c6f3e9b2a1d47f58"
    subnets = ["subnet-0a41c2f7d8e9b1357", "subnet-0b52d3e8f9fa2c468"]
    vid = p.variable("vpc_id", vpc_id)
    sn = p.variable("private_subnet_ids", subnets)
    sg = p.add("aws_security_group", "app", name=C("orders-app"), description=C("orders service tasks"),
               vpc_id=vid, egress=[{"protocol": C("-1"), "from_port": C(0), "to_port": C(0),
                                    "cidr_blocks": C(["0.0.0.0/0"])}])
    role = execution_role(p)
    cl = cluster(p)
    lg = log_group(p)
    img = p.variable("app_image", image())
    td = task_definition(p, role, [container()], refs=["var.app_image"] + traversal_refs(lg.rel, "name"))
    ecs_service(p, None, sg, td, cl, subnets_expr=sn)
    return p


@fixture("plans/workload-network-unresolved/fail-ecs-ec2-instances-not-in-input.json")
def _():
    """Create plan. ECS on EC2 (issue 18) through the capacity provider `orders-ec2`, which this
    input does not define: the container instances that pull are not in the input. Their
    subnets, security groups and role are unknown, never taken from the task's
    `network_configuration`: PP901, and the verdicts that depend on the instances' network
    (PP106, PP501, PP502) are unknown."""
    p = Plan()
    ecs_on_ec2(p, BASE_ENDPOINTS, instances=False, strategy=True)
    return p



# ---------------------------------------------------------------------------------------------
# Modules: a VPC module with count (modelled on terraform-aws-modules/vpc v5) and endpoint
# modules with for_each keys
# ---------------------------------------------------------------------------------------------


def vpc_module(p, azs=("a", "b"), cidr="10.0.0.0/16", existing=None):
    """`module "vpc"` (terraform-aws-modules/vpc/aws 5.16.0): `aws_vpc.this[0]`,
    `aws_subnet.private[count.index]` whose `vpc_id` is `local.vpc_id` (which a plan does not
    record), one private route table per AZ, and the module's managed default security group
    (no rules) and default route table. Returns the module instance, its resources, and the
    expressions of its outputs as the root module sees them."""
    region = p.region
    zones = [f"{region}{z}" for z in azs]
    cidrs = [f"10.0.{10 + i}.0/24" for i in range(len(azs))]
    m = p.module("vpc", "terraform-aws-modules/vpc/aws", version="5.16.0", expressions={
        "name": C("orders"), "cidr": C(cidr), "azs": C(zones), "private_subnets": C(cidrs),
        "enable_dns_hostnames": C(True), "enable_dns_support": C(True),
        "enable_nat_gateway": C(False),
    }, outputs={
        "vpc_id": E(None, "aws_vpc.this[0].id", "aws_vpc.this[0]", "aws_vpc.this"),
        "vpc_cidr_block": E(None, "aws_vpc.this[0].cidr_block", "aws_vpc.this[0]", "aws_vpc.this"),
        "private_subnets": E(None, "aws_subnet.private"),
        "private_route_table_ids": E(None, "aws_route_table.private"),
        "default_security_group_id": E(None, "aws_default_security_group.this[0].id",
                                       "aws_default_security_group.this[0]", "aws_default_security_group.this"),
    }, variables={
        "azs": {"default": [], "description": "A list of availability zones names or ids in the region"},
        "cidr": {"default": "10.0.0.0/16", "description": "(Optional) The IPv4 CIDR block for the VPC."},
        "enable_dns_hostnames": {"default": True, "description": "Should be true to enable DNS hostnames in the VPC"},
        "enable_dns_support": {"default": True, "description": "Should be true to enable DNS support in the VPC"},
        "enable_nat_gateway": {"default": False, "description": "Should be true if you want to provision NAT Gateways for each of your private networks"},
        "manage_default_security_group": {"default": True, "description": "Should be true to adopt and manage default security group"},
        "name": {"default": "", "description": "Name to be used on all the resources as identifier"},
        "private_subnets": {"default": [], "description": "A list of private subnets inside the VPC"},
        "single_nat_gateway": {"default": False, "description": "Should be true if you want to provision a single shared NAT Gateway across all of your private networks"},
    })
    ex = existing
    vpc = p.add("aws_vpc", "this", module=m, key=0, existing=ex, count=E(None, "local.create_vpc"),
                cidr_block=E(cidr, "var.use_ipam_pool", "var.cidr"),
                enable_dns_hostnames=E(True, "var.enable_dns_hostnames"),
                enable_dns_support=E(True, "var.enable_dns_support"),
                instance_tenancy=E("default", "var.instance_tenancy"),
                tags=E({"Name": "orders"}, "var.name", "var.tags", "var.vpc_tags"))
    vpc_id_local = lambda: E(vpc.after["id"], "local.vpc_id")  # noqa: E731
    subnets, tables = [], []
    for i, z in enumerate(zones):
        subnets.append(p.add(
            "aws_subnet", "private", module=m, key=i, existing=ex,
            count=E(None, "local.create_private_subnets", "local.len_private_subnets"),
            vpc_id=vpc_id_local(), cidr_block=E(cidrs[i], "var.private_subnets", "count.index"),
            availability_zone=E(z, "var.azs", "count.index"),
            tags=E({"Name": f"orders-private-{z}"}, "var.name", "var.private_subnet_suffix", "var.azs",
                   "count.index", "var.tags", "var.private_subnet_tags")))
    for i, z in enumerate(zones):
        tables.append(p.add(
            "aws_route_table", "private", module=m, key=i, existing=ex,
            count=E(None, "local.create_private_subnets", "local.max_subnet_length", "local.nat_gateway_count"),
            vpc_id=vpc_id_local(),
            tags=E({"Name": f"orders-private-{z}"}, "var.single_nat_gateway", "var.name",
                   "var.private_subnet_suffix", "var.azs", "count.index", "var.tags")))
    for i, z in enumerate(zones):
        p.add("aws_route_table_association", "private", module=m, key=i, existing=ex,
              count=E(None, "local.create_private_subnets", "local.len_private_subnets"),
              subnet_id=E(subnets[i].after["id"], "aws_subnet.private", "count.index"),
              route_table_id=E(tables[i].after["id"], "aws_route_table.private", "var.single_nat_gateway",
                               "count.index"))
    known = ex is not None or p.existing_default
    p.add("aws_default_security_group", "this", module=m, key=0,
          existing={"id": vpc.after["default_security_group_id"]} if known else None,
          count=E(None, "local.create_vpc", "var.manage_default_security_group"),
          vpc_id=E(vpc.after["id"], "aws_vpc.this[0].id", "aws_vpc.this[0]", "aws_vpc.this"),
          tags=E({"Name": "orders-default"}, "var.default_security_group_name", "var.name", "var.tags"))
    p.add("aws_default_route_table", "default", module=m, key=0,
          existing={"id": vpc.after["default_route_table_id"]} if known else None,
          count=E(None, "local.create_vpc", "var.manage_default_route_table"),
          default_route_table_id=E(vpc.after["default_route_table_id"], "aws_vpc.this[0].default_route_table_id",
                                   "aws_vpc.this[0]", "aws_vpc.this"),
          tags=E({"Name": "orders-default"}, "var.default_route_table_name", "var.name", "var.tags"))

    def out(name, value):
        return E(value, f"module.vpc.{name}", "module.vpc")

    ids = lambda rs: [r.after["id"] for r in rs]  # noqa: E731
    return {
        "module": m, "vpc": vpc, "private": subnets, "tables": tables,
        "vpc_id": out("vpc_id", vpc.after["id"]),
        "vpc_cidr_block": out("vpc_cidr_block", cidr),
        "private_subnets": out("private_subnets", UNKNOWN if any(x is UNKNOWN for x in ids(subnets)) else ids(subnets)),
        "private_route_table_ids": out("private_route_table_ids",
                                       UNKNOWN if any(x is UNKNOWN for x in ids(tables)) else ids(tables)),
    }


def root_workload_over_vpc_module(p, vm, s3, endpoint_group_ingress=True):
    """The root module's security groups and Fargate service, over module.vpc's outputs."""
    app = p.add("aws_security_group", "app", name=C("orders-app"), description=C("orders service tasks"),
                vpc_id=vm["vpc_id"], tags=C({"Name": "app"}))
    p.add("aws_vpc_security_group_egress_rule", "app_https_vpc", security_group_id=ref(app),
          description=C("HTTPS to the VPC endpoints"), ip_protocol=C("tcp"), from_port=C(443), to_port=C(443),
          cidr_ipv4=vm["vpc_cidr_block"])
    p.add("aws_vpc_security_group_egress_rule", "app_https_s3", security_group_id=ref(app),
          description=C("HTTPS to S3 (image layers)"), ip_protocol=C("tcp"), from_port=C(443), to_port=C(443),
          prefix_list_id=s3)
    eps = p.add("aws_security_group", "vpc_endpoints", name=C("orders-vpc-endpoints"),
                description=C("HTTPS from the workloads to the VPC endpoints"), vpc_id=vm["vpc_id"],
                tags=C({"Name": "vpc_endpoints"}))
    if endpoint_group_ingress:
        p.add("aws_vpc_security_group_ingress_rule", "vpc_endpoints_https", security_group_id=ref(eps),
              description=C("HTTPS from the orders tasks"), ip_protocol=C("tcp"), from_port=C(443),
              to_port=C(443), referenced_security_group_id=ref(app))
    role = execution_role(p)
    fargate_service(p, None, app, role, subnets_expr=vm["private_subnets"])
    return app, eps


@fixture("plans/modules/pass-vpc-and-endpoint-modules.json",
         twin="written by hand (module sources and the registry module cache): "
              "testdata/hcl/twins/modules/pass-vpc-and-endpoint-modules/")
def _():
    """Create plan. The VPC comes from `module "vpc"` (count instances:
    `module.vpc.aws_subnet.private[0]`, `[1]`; subnets join the VPC through `local.vpc_id`, which
    the plan does not record, so pullpath relies on the module owning one VPC). The interface
    endpoints come from `module "endpoint"` with `for_each = toset(["ecr.api", "ecr.dkr",
    "logs"])` (`module.endpoint["ecr.dkr"].aws_vpc_endpoint.this`), whose `vpc_id`,
    `subnet_ids` and `security_group_ids` are input variables set from module.vpc's outputs and
    a root security group; the S3 gateway is at the root on `module.vpc.private_route_table_ids`.
    Every id is unknown. No finding."""
    p = Plan(provider_region_expr=E("us-west-2", "var.region"))
    p.variable("region", "us-west-2", description="AWS region")
    vm = vpc_module(p)
    s3 = p.add("aws_vpc_endpoint", "s3", vpc_id=vm["vpc_id"],
               service_name=E("com.amazonaws.us-west-2.s3", "var.region"), vpc_endpoint_type=C("Gateway"),
               route_table_ids=vm["private_route_table_ids"], tags=C({"Name": "s3"}))
    app, eps = root_workload_over_vpc_module(p, vm, ref(s3, "prefix_list_id"))
    for svc in BASE_ENDPOINTS:
        m = p.module("endpoint", "./modules/interface-endpoint", key=svc, for_each=F(None), expressions={
            "region": E("us-west-2", "var.region"),
            "service": E(svc, "each.key"),
            "vpc_id": vm["vpc_id"],
            "subnet_ids": vm["private_subnets"],
            "security_group_ids": E(UNKNOWN, *traversal_refs(eps.rel, "id")),
        }, outputs={"id": E(None, "aws_vpc_endpoint.this.id", "aws_vpc_endpoint.this")}, variables={
            "region": {"description": "Region of the endpoint service"},
            "security_group_ids": {"description": "Security groups of the endpoint's network interfaces"},
            "service": {"description": "Service, e.g. ecr.dkr"},
            "subnet_ids": {"description": "One subnet per availability zone"},
            "vpc_id": {"description": "VPC of the endpoint"},
        })
        p.add("aws_vpc_endpoint", "this", module=m, vpc_id=E(UNKNOWN, "var.vpc_id"),
              service_name=E(f"com.amazonaws.us-west-2.{svc}", "var.region", "var.service"),
              vpc_endpoint_type=C("Interface"), private_dns_enabled=C(True),
              subnet_ids=E(UNKNOWN, "var.subnet_ids"), security_group_ids=E(UNKNOWN, "var.security_group_ids"),
              tags=E({"Name": svc}, "var.service"))
    return p


REGISTRY_ENDPOINTS = ("s3", "ecr_api", "ecr_dkr", "logs")
SERVICE_IDS = {"s3": "vpce-svc-0a2b9f1e8d6c4a731", "ecr.api": "vpce-svc-0c3e5a7b9d1f2e468",
               "ecr.dkr": "vpce-svc-0d4f6b8c0e2a3f579", "logs": "vpce-svc-0e5a7c9d1f3b4a68a"}
DATA_IDS = {"s3": "2493813285", "ecr.api": "1710392421", "ecr.dkr": "3150485907", "logs": "990431216"}


def registry_vpc_endpoints(p, vm, eps, s3_policy_text, s3_policy_refs, existing=None, keys=REGISTRY_ENDPOINTS,
                           private_dns=None):
    """`module "vpc_endpoints"` (terraform-aws-modules/vpc/aws//modules/vpc-endpoints 5.16.0):
    `aws_vpc_endpoint.this` with `for_each = local.endpoints` (a filtered copy of
    `var.endpoints`), service names from `data.aws_vpc_endpoint_service.this[each.key]`, and
    every other argument looked up in `each.value` — all of which goes through locals that a
    plan does not record. `keys`: the endpoints of `var.endpoints`; `private_dns`: {key: False}
    for interface endpoints written with `private_dns_enabled = false`."""
    private_dns = private_dns or {}
    m = p.module("vpc_endpoints", "terraform-aws-modules/vpc/aws//modules/vpc-endpoints", version="5.16.0",
                 expressions={
                     "vpc_id": vm["vpc_id"],
                     "security_group_ids": E(UNKNOWN if eps.after["id"] is UNKNOWN else [eps.after["id"]],
                                             *traversal_refs(eps.rel, "id")),
                     "create_security_group": C(False),
                     "endpoints": E(None, "module.vpc.private_route_table_ids", "module.vpc",
                                    *s3_policy_refs, "module.vpc.private_subnets"),
                 }, outputs={
                     "endpoints": E(None, "aws_vpc_endpoint.this"),
                 }, variables={
                     "create": {"default": True, "description": "Determines whether resources will be created"},
                     "create_security_group": {"default": False, "description": "Determines if a security group is created"},
                     "endpoints": {"default": {}, "description": "A map of interface and/or gateway endpoints containing their properties and configurations"},
                     "security_group_ids": {"default": [], "description": "Default security group IDs to associate with the VPC endpoints"},
                     "subnet_ids": {"default": [], "description": "Default subnets IDs to associate with the VPC endpoints"},
                     "tags": {"default": {}, "description": "A map of tags to use on all resources"},
                     "vpc_id": {"default": None, "description": "The ID of the VPC in which the endpoint will be used"},
                 })
    services = {"s3": "s3", "ecr_api": "ecr.api", "ecr_dkr": "ecr.dkr", "logs": "logs"}
    out = {}
    for k in keys:
        svc = services[k]
        gateway = k == "s3"
        full = f"com.amazonaws.{p.region}.{svc}"
        p.data("aws_vpc_endpoint_service", "this", {
            "acceptance_required": False,
            "arn": f"arn:aws:ec2:{p.region}::vpc-endpoint-service/{SERVICE_IDS[svc]}",
            "availability_zones": [f"{p.region}a", f"{p.region}b", f"{p.region}c", f"{p.region}d"],
            "base_endpoint_dns_names": [f"{svc}.{p.region}.amazonaws.com"],
            "filter": [{"name": "service-type", "values": ["Gateway" if gateway else "Interface"]}],
            "id": DATA_IDS[svc],
            "manages_vpc_endpoints": False,
            "owner": "amazon",
            "private_dns_name": None if gateway else f"{svc}.{p.region}.amazonaws.com",
            "private_dns_names": [] if gateway else [f"{svc}.{p.region}.amazonaws.com"],
            "region": p.region,
            "service": svc,
            "service_id": SERVICE_IDS[svc],
            "service_name": full,
            "service_type": "Gateway" if gateway else "Interface",
            "supported_ip_address_types": ["ipv4"],
            "tags": {},
            "timeouts": None,
            "vpc_endpoint_policy_supported": True,
        }, module=m, key=k,
            service=E(svc, "each.value.service", "each.value"),
            service_name=E(None, "each.value.service_name", "each.value"),
            filter=[{"name": C("service-type"), "values": E(["Gateway" if gateway else "Interface"],
                                                               "each.value.service_type", "each.value")}])
        args = dict(
            vpc_id=E(vm["vpc_id"].value, "var.vpc_id"),
            service_name=E(full, "data.aws_vpc_endpoint_service.this", "each.key"),
            vpc_endpoint_type=E("Gateway" if gateway else "Interface", "each.value.service_type", "each.value"),
            auto_accept=E(None, "each.value.auto_accept", "each.value"),
            security_group_ids=E(UNKNOWN if gateway else module_value(eps), "each.value.service_type", "each.value",
                                 "local.security_group_ids"),
            subnet_ids=E(UNKNOWN if gateway else vm["private_subnets"].value, "each.value.service_type",
                         "each.value", "var.subnet_ids"),
            route_table_ids=E(vm["private_route_table_ids"].value if gateway else UNKNOWN,
                              "each.value.service_type", "each.value"),
            policy=E(s3_policy_text if gateway else UNKNOWN, "each.value.policy", "each.value"),
            private_dns_enabled=E(False if gateway else private_dns.get(k, True), "each.value.service_type", "each.value",
                                  "each.value.private_dns_enabled"),
            tags=E({"Name": k}, "var.tags", "each.value.tags", "each.value"),
        )
        out[svc] = p.add("aws_vpc_endpoint", "this", module=m, key=k, existing=existing,
                         for_each=E(None, "local.endpoints"), **args)
    return out


def module_value(r):
    v = r.after["id"]
    return UNKNOWN if v is UNKNOWN else [v]


@fixture("plans/modules/fail-registry-endpoints-module-app-bucket-policy.json",
         twin="written by hand (module sources and the registry module cache): "
              "testdata/hcl/twins/modules/fail-registry-endpoints-module-app-bucket-policy/")
def _():
    """Update plan of an existing VPC from `module "vpc"` (known ids): the plan adds the
    registry's `vpc-endpoints` module, whose S3 gateway gets the seed incident's app-bucket-only
    policy from `data.aws_iam_policy_document.s3_endpoint` through `var.endpoints`, and the
    Fargate service. The S3 gateway's route tables are the existing tables' known ids: PP401 on
    `module.vpc_endpoints.aws_vpc_endpoint.this["s3"]`. Also, honestly unknown: PP402 (ecr.api,
    ecr.dkr) and PP403 (logs), because the module passes `policy = null` and the plan shows the
    policy as known after apply; and PP501 on the three interface endpoints, whose security
    groups are new and set through `local.security_group_ids`, which a plan does not record."""
    p = Plan(existing=True, provider_region_expr=E("us-west-2", "var.region"))
    p.variable("region", "us-west-2", description="AWS region")
    vm = vpc_module(p)
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": "AppBucketOnly", "Effect": "Allow", "Action": ["s3:PutObject", "s3:ListBucket", "s3:GetObject"],
         "Resource": [f"arn:aws:s3:::{APP_BUCKET}/*", f"arn:aws:s3:::{APP_BUCKET}"], "Principal": "*"}]}
    text = json.dumps(doc, indent=2)
    d = p.data("aws_iam_policy_document", "s3_endpoint", {
        "id": "3620418457", "json": text, "minified_json": json.dumps(doc, separators=(",", ":")),
        "override_policy_documents": None, "policy_id": None, "source_policy_documents": None,
        "statement": [{"actions": ["s3:GetObject", "s3:ListBucket", "s3:PutObject"], "condition": [],
                       "effect": "Allow", "not_actions": [], "not_principals": [], "not_resources": [],
                       "principals": [{"identifiers": ["*"], "type": "*"}],
                       "resources": [f"arn:aws:s3:::{APP_BUCKET}", f"arn:aws:s3:::{APP_BUCKET}/*"],
                       "sid": "AppBucketOnly"}],
        "version": "2012-10-17"},
        statement=[{"sid": C("AppBucketOnly"), "effect": C("Allow"),
                    "actions": C(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]),
                    "resources": E([f"arn:aws:s3:::{APP_BUCKET}", f"arn:aws:s3:::{APP_BUCKET}/*"], "var.app_bucket"),
                    "principals": [{"type": C("*"), "identifiers": C(["*"])}]}])
    p.variable("app_bucket", APP_BUCKET)
    # New in this plan: the security groups, the endpoints module and the service.
    pp = NewIn(p)
    app = pp.add("aws_security_group", "app", name=C("orders-app"), description=C("orders service tasks"),
                 vpc_id=vm["vpc_id"], tags=C({"Name": "app"}))
    eps = pp.add("aws_security_group", "vpc_endpoints", name=C("orders-vpc-endpoints"),
                 description=C("HTTPS from the workloads to the VPC endpoints"), vpc_id=vm["vpc_id"],
                 tags=C({"Name": "vpc_endpoints"}))
    pp.add("aws_vpc_security_group_ingress_rule", "vpc_endpoints_https", security_group_id=ref(eps),
           description=C("HTTPS from the orders tasks"), ip_protocol=C("tcp"), from_port=C(443),
           to_port=C(443), referenced_security_group_id=ref(app))
    eps_out = registry_vpc_endpoints(p, vm, eps, text, traversal_refs(d.rel, "json"), existing=False)
    s3 = eps_out["s3"]
    pp.add("aws_vpc_security_group_egress_rule", "app_https_vpc", security_group_id=ref(app),
           description=C("HTTPS to the VPC endpoints"), ip_protocol=C("tcp"), from_port=C(443), to_port=C(443),
           cidr_ipv4=vm["vpc_cidr_block"])
    pp.add("aws_vpc_security_group_egress_rule", "app_https_s3", security_group_id=ref(app),
           description=C("HTTPS to S3 (image layers)"), ip_protocol=C("tcp"), from_port=C(443), to_port=C(443),
           prefix_list_id=E(UNKNOWN, 'module.vpc_endpoints.endpoints["s3"].prefix_list_id',
                            'module.vpc_endpoints.endpoints["s3"]', 'module.vpc_endpoints.endpoints',
                            "module.vpc_endpoints"))
    role = execution_role(p, existing=False)
    with_new(p, lambda: fargate_service(p, None, app, role, subnets_expr=vm["private_subnets"]))
    return p


class NewIn:
    """`p.add` for resources that a plan against existing infrastructure creates."""

    def __init__(self, p):
        self.p = p

    def add(self, *a, **kw):
        kw.setdefault("existing", False)
        return self.p.add(*a, **kw)


def with_new(p, fn):
    old = p.existing_default
    p.existing_default = False
    try:
        return fn()
    finally:
        p.existing_default = old


@fixture("plans/modules/unknown-registry-endpoints-module-create.json",
         twin="its unknowns come from locals and `each.value` lookups that a plan does not record and "
              "the HCL reader evaluates; its configuration is fail-registry-endpoints-module-app-bucket-"
              "policy's twin")
def _():
    """Create plan of the same configuration as
    fail-registry-endpoints-module-app-bucket-policy (new VPC, every id unknown). The registry
    module's `route_table_ids`, `subnet_ids` and `security_group_ids` are lookups in `each.value`
    of `for_each = local.endpoints`, and `local.security_group_ids`: a plan does not record
    locals, so which route tables the S3 gateway serves and which groups the interface endpoints
    use cannot be followed. Everything that depends on them is unknown: PP401 and PP301 (the
    policy is known, the route tables it applies to are not), PP109 (subnets), PP501 (security
    groups), PP402 / PP403 (the interface endpoints' policies are known only after apply). Exit
    code 0 with the default `--unknown warn`."""
    return registry_create()


LAYER_BUCKET_STATEMENT = "EcrImageLayers"


def registry_create(keys=REGISTRY_ENDPOINTS, layer_bucket=False, ingress_port=443, private_dns=None):
    """The create plan of the registry-module stack (new VPC, every id unknown): terraform-aws-
    modules vpc + vpc-endpoints (`keys`) + a Fargate service. `layer_bucket`: the S3 gateway's
    policy also allows `s3:GetObject` on ECR's layer bucket; `ingress_port`: the port of the
    endpoints' group ingress rule from the tasks; `private_dns`: {key: False}."""
    p = Plan(provider_region_expr=E("us-west-2", "var.region"))
    p.variable("region", "us-west-2", description="AWS region")
    vm = vpc_module(p)
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": "AppBucketOnly", "Effect": "Allow", "Action": ["s3:PutObject", "s3:ListBucket", "s3:GetObject"],
         "Resource": [f"arn:aws:s3:::{APP_BUCKET}/*", f"arn:aws:s3:::{APP_BUCKET}"], "Principal": "*"}]}
    layer = f"arn:aws:s3:::prod-{p.region}-starport-layer-bucket/*"
    if layer_bucket:
        # First, as the configuration writes it.
        doc["Statement"].insert(0, {"Sid": LAYER_BUCKET_STATEMENT, "Effect": "Allow", "Action": "s3:GetObject",
                                 "Resource": layer, "Principal": "*"})
    text = json.dumps(doc, indent=2)
    d = p.data("aws_iam_policy_document", "s3_endpoint", {
        "id": "3620418457", "json": text, "minified_json": json.dumps(doc, separators=(",", ":")),
        "override_policy_documents": None, "policy_id": None, "source_policy_documents": None,
        "statement": ([
                      {"actions": ["s3:GetObject"], "condition": [], "effect": "Allow", "not_actions": [],
                       "not_principals": [], "not_resources": [],
                       "principals": [{"identifiers": ["*"], "type": "*"}],
                       "resources": [layer], "sid": LAYER_BUCKET_STATEMENT}] if layer_bucket else []) + [{"actions": ["s3:GetObject", "s3:ListBucket", "s3:PutObject"], "condition": [],
                       "effect": "Allow", "not_actions": [], "not_principals": [], "not_resources": [],
                       "principals": [{"identifiers": ["*"], "type": "*"}],
                       "resources": [f"arn:aws:s3:::{APP_BUCKET}", f"arn:aws:s3:::{APP_BUCKET}/*"],
                       "sid": "AppBucketOnly"}],
        "version": "2012-10-17"},
        statement=([
                   {"sid": C(LAYER_BUCKET_STATEMENT), "effect": C("Allow"), "actions": C(["s3:GetObject"]),
                    "resources": E([layer], "var.region"),
                    "principals": [{"type": C("*"), "identifiers": C(["*"])}]}] if layer_bucket else []) + [{"sid": C("AppBucketOnly"), "effect": C("Allow"),
                    "actions": C(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]),
                    "resources": E([f"arn:aws:s3:::{APP_BUCKET}", f"arn:aws:s3:::{APP_BUCKET}/*"], "var.app_bucket"),
                    "principals": [{"type": C("*"), "identifiers": C(["*"])}]}])
    p.variable("app_bucket", APP_BUCKET)
    app = p.add("aws_security_group", "app", name=C("orders-app"), description=C("orders service tasks"),
                vpc_id=vm["vpc_id"], tags=C({"Name": "app"}))
    eps = p.add("aws_security_group", "vpc_endpoints", name=C("orders-vpc-endpoints"),
                description=C("HTTPS from the workloads to the VPC endpoints"), vpc_id=vm["vpc_id"],
                tags=C({"Name": "vpc_endpoints"}))
    p.add("aws_vpc_security_group_ingress_rule", "vpc_endpoints_https", security_group_id=ref(eps),
          description=C("HTTPS from the orders tasks"), ip_protocol=C("tcp"), from_port=C(ingress_port),
          to_port=C(ingress_port), referenced_security_group_id=ref(app))
    registry_vpc_endpoints(p, vm, eps, text, traversal_refs(d.rel, "json"), keys=keys, private_dns=private_dns)
    p.add("aws_vpc_security_group_egress_rule", "app_https_vpc", security_group_id=ref(app),
          description=C("HTTPS to the VPC endpoints"), ip_protocol=C("tcp"), from_port=C(443), to_port=C(443),
          cidr_ipv4=vm["vpc_cidr_block"])
    p.add("aws_vpc_security_group_egress_rule", "app_https_s3", security_group_id=ref(app),
          description=C("HTTPS to S3 (image layers)"), ip_protocol=C("tcp"), from_port=C(443), to_port=C(443),
          prefix_list_id=E(UNKNOWN, 'module.vpc_endpoints.endpoints["s3"].prefix_list_id',
                           'module.vpc_endpoints.endpoints["s3"]', 'module.vpc_endpoints.endpoints',
                           "module.vpc_endpoints"))
    role = execution_role(p)
    fargate_service(p, None, app, role, subnets_expr=vm["private_subnets"])
    return p




# ---------------------------------------------------------------------------------------------
# PP407 cross-account-image-not-allowed, PP408 ecr-repository-policy-blocks-pull
# ---------------------------------------------------------------------------------------------

SHARED_ACCOUNT = "444455556666"
SHARED_IMAGE = image(repo="shared/orders-api", account=SHARED_ACCOUNT)
PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


def shared_repository_policy(p, principal, principal_hcl=None, refs=()):
    """The policy of another account's repository `shared/orders-api`, managed by this
    configuration (through a provider of that account: the plan's provider may deploy into both
    accounts), granting `principal` the pull."""
    def doc(who):
        return policy({"Sid": "AllowPull", "Effect": "Allow", "Principal": {"AWS": who},
                       "Action": PULL_ACTIONS})
    hcl = tfhcl.Call("jsonencode", doc(principal_hcl)) if principal_hcl is not None else None
    return p.add("aws_ecr_repository_policy", "shared", repository=C("shared/orders-api"),
                 policy=E(jsonencode(doc(principal)), *refs, hcl=hcl) if refs else F(jsonencode(doc(principal))))


@fixture("plans/cross-account-image-not-allowed/unknown-repository-policy-not-in-input.json")
def _():
    """Create plan. The provider deploys into 111122223333 (`allowed_account_ids`); the image is
    in 444455556666's registry, whose repository policy is not in the input: PP407 unknown on
    the task definition, naming the policy needed."""
    p = Plan()
    private_fargate(p, img=SHARED_IMAGE)
    return p


@fixture("plans/cross-account-image-not-allowed/unknown-account-not-stated.json")
def _():
    """Create plan. No `allowed_account_ids`, no known ARN: whether the image's literal account
    111122223333 is the input's own is not known, and if it is another, its repository policy
    is not in the input (ecosystem row 32): PP407 unknown, never a pass."""
    p = Plan(allowed_account_ids=False)
    private_fargate(p)
    return p


@fixture("plans/cross-account-image-not-allowed/fail-repository-policy-grants-another-account.json")
def _():
    """Update plan (existing service and execution role, known ARNs). The provider may deploy
    into 111122223333 and 444455556666; the image is in 444455556666's repository
    `shared/orders-api`, whose policy (in the input) grants the pull to account 777788889999
    only. The execution role is 111122223333's: PP407 fails on the repository policy. In HCL the
    role's ARN, and so its account, is known only after apply: unknown."""
    p = Plan(existing=True, allowed_account_ids=["111122223333", SHARED_ACCOUNT])
    private_fargate(p, img=SHARED_IMAGE)
    shared_repository_policy(p, "arn:aws:iam::777788889999:root")
    return p


@fixture("plans/cross-account-image-not-allowed/pass-repository-policy-allows-the-role.json")
def _():
    """Update plan. As fail-repository-policy-grants-another-account, but the repository policy
    grants the execution role itself (`aws_iam_role.task_execution.arn`), and the role's own
    policy (AmazonECSTaskExecutionRolePolicy) allows the pull on `*`. No finding."""
    p = Plan(existing=True, allowed_account_ids=["111122223333", SHARED_ACCOUNT])
    out = private_fargate(p, img=SHARED_IMAGE)
    role = out["role"]
    shared_repository_policy(p, role.after["arn"], principal_hcl=Raw(f"{role.rel}.arn"),
                             refs=traversal_refs(role.rel, "arn"))
    return p


def own_repository_policy(p, statement, statement_hcl, refs):
    """The repository `orders-api` of this configuration (existing) and a new policy on it."""
    repo = p.add("aws_ecr_repository", "app", name=C("orders-api"))
    p.add("aws_ecr_repository_policy", "app", existing=False, repository=ref(repo, "name"),
          policy=E(jsonencode(policy(statement)), *refs, hcl=tfhcl.Call("jsonencode", policy(statement_hcl))))
    return repo


def only_through(endpoints):
    return {"Sid": "OnlyThroughOurEndpoints", "Effect": "Deny", "Principal": "*", "Action": "ecr:*",
            "Condition": {"StringNotEquals": {"aws:SourceVpce": endpoints}}}


@fixture("plans/ecr-repository-policy-blocks-pull/fail-deny-other-endpoint.json")
def _():
    """Update plan (existing VPC, endpoints and repository; known ids). A new policy on the
    repository the service pulls from denies every ECR call not through the build VPC's
    endpoint `vpce-0b1d2c3e4f5a6b7c8`; the service pulls through its own ecr.dkr endpoint:
    PP408 fails on the repository policy. In HCL the endpoint's id is known only after apply:
    unknown."""
    p = Plan(existing=True)
    private_fargate(p)
    own_repository_policy(p, only_through("vpce-0b1d2c3e4f5a6b7c8"),
                          only_through("vpce-0b1d2c3e4f5a6b7c8"), ())
    return p


@fixture("plans/ecr-repository-policy-blocks-pull/pass-deny-admits-the-endpoint.json")
def _():
    """Update plan. As fail-deny-other-endpoint, but the Deny also admits the service's ecr.dkr
    endpoint (`aws_vpc_endpoint.ecr_dkr.id`): the pull is not denied. No finding (in HCL, the
    condition names the same reference the pull goes through: decided too)."""
    p = Plan(existing=True)
    out = private_fargate(p)
    dkr = out["endpoints"]["ecr.dkr"]
    own_repository_policy(p, only_through(["vpce-0b1d2c3e4f5a6b7c8", dkr.id]),
                          only_through(["vpce-0b1d2c3e4f5a6b7c8", Raw(f"{dkr.rel}.id")]),
                          traversal_refs(dkr.rel, "id"))
    return p


# ---------------------------------------------------------------------------------------------
# More variants
# ---------------------------------------------------------------------------------------------


def batch_fargate_create(p, endpoints, log=None, platform_version="LATEST"):
    """Create plan of AWS Batch on Fargate: the job definition names an execution role that
    another stack manages (`var.batch_execution_role_arn`), so `container_properties` is known."""
    net = network(p)
    s3 = s3_gateway(p, net)
    sg = workload_sg(p, net, s3=s3, name="batch")
    eps = endpoint_sg(p, net, workload_sg=sg)
    interface_endpoints(p, net, endpoints, sg=eps)
    arn = p.variable("batch_execution_role_arn", f"arn:aws:iam::{ACCOUNT}:role/reports-batch-execution")
    batch_fargate(p, net, sg, arn, log=log, platform_version=platform_version)
    return net


@fixture("plans/ecr-api-endpoint-missing/fail-batch-fargate.json")
def _():
    """Create plan. AWS Batch on Fargate (platform version LATEST) with ecr.dkr, logs and the
    S3 gateway, no ecr.api: PP102."""
    p = Plan()
    batch_fargate_create(p, ("ecr.dkr", "logs"))
    return p


@fixture("plans/logs-endpoint-missing/fail-batch-fargate-default-logging.json")
def _():
    """Create plan. AWS Batch on Fargate whose job definition has no `logConfiguration`: Batch
    sends job output to CloudWatch Logs with awslogs by default. No logs endpoint: PP104."""
    p = Plan()
    batch_fargate_create(p, ("ecr.api", "ecr.dkr"))
    return p


@fixture("plans/endpoint-sg-blocks-https/pass-default-security-group-shared.json")
def _():
    """Create plan. Neither the endpoints nor the service name a security group: both get the
    VPC's default group, whose stock rules admit traffic between its members and allow all
    egress. No finding."""
    p = Plan()
    net = network(p)
    s3_gateway(p, net)
    interface_endpoints(p, net, BASE_ENDPOINTS, sg=None)
    role = execution_role(p)
    fargate_service(p, net, None, role)
    return p


@fixture("plans/endpoint-sg-blocks-https/fail-managed-default-sg-without-rules.json")
def _():
    """Create plan. As pass-default-security-group-shared, but the configuration manages the
    default group with `aws_default_security_group` and no rules (terraform-aws-modules/vpc does
    this by default), which strips AWS's stock rules: the group admits nothing. PP501 on each
    interface endpoint, and PP502 on the service (the same group has no egress either)."""
    p = Plan()
    net = network(p)
    p.add("aws_default_security_group", "default", vpc_id=ref(net["vpc"]), tags=C({"Name": "default (no rules)"}))
    s3_gateway(p, net)
    interface_endpoints(p, net, BASE_ENDPOINTS, sg=None)
    role = execution_role(p)
    fargate_service(p, net, None, role)
    return p


@fixture("plans/image-unreachable/fail-other-registry.json")
def _():
    """Create plan. The image is on GitHub's registry (`ghcr.io/acme/orders-api:1.42.0`) and the
    subnets have no internet route: PP601."""
    p = Plan()
    private_fargate(p, img="ghcr.io/acme/orders-api:1.42.0")
    return p


@fixture("plans/workload-network-unresolved/pass-subnets-known.json")
def _():
    """Create plan. The service's subnets are `[aws_subnet.private_a.id, aws_subnet.private_b.id]`,
    resolved through the configuration's references. No finding."""
    p = Plan()
    private_fargate(p)
    return p



@fixture("plans/ecr-api-endpoint-missing/fail-cluster-default-capacity-provider.json")
def _():
    """Create plan. The service sets neither `launch_type` nor a strategy; the cluster's default
    capacity provider strategy (`aws_ecs_cluster_capacity_providers`) is FARGATE, so the tasks run
    on Fargate (LATEST). No ecr.api endpoint: PP102 (and not PP106: this is not ECS on EC2)."""
    p = Plan()
    out = private_fargate(p, endpoints=("ecr.dkr", "logs"), launch_type=None)
    p.add("aws_ecs_cluster_capacity_providers", "main", cluster_name=ref(out["cluster"], "name"),
          capacity_providers=C(["FARGATE", "FARGATE_SPOT"]),
          default_capacity_provider_strategy=[{"capacity_provider": C("FARGATE"), "weight": C(1), "base": C(1)}])
    return p


@fixture("plans/endpoint-sg-blocks-https/pass-port-range-security-group-rule.json")
def _():
    """Create plan. The endpoint group has no inline rules; an `aws_security_group_rule` admits
    TCP 0-65535 from the VPC CIDR, which covers 443. No finding."""
    p = Plan()
    out = private_fargate(p, ep_ingress="none")
    p.add("aws_security_group_rule", "vpc_endpoints_from_vpc", type=C("ingress"),
          security_group_id=ref(out["endpoint_sg"]), protocol=C("tcp"), from_port=C(0), to_port=C(65535),
          cidr_blocks=E([out["vpc"].after["cidr_block"]], *traversal_refs(out["vpc"].rel, "cidr_block")),
          description=C("All TCP from the VPC"))
    return p


# ---------------------------------------------------------------------------------------------
# Options: --mode, --unknown, --fail-on, --workload, --select / --ignore; prior state
# ---------------------------------------------------------------------------------------------


@fixture("plans/options/vpc-without-workload.json")
def _():
    """Create plan of a network stack: a VPC with private subnets (no NAT) and an S3 gateway,
    and no workload. Nothing is checked, and the summary says so. `--workload
    aws_vpc.main=fargate` declares a Fargate workload there: PP101 and PP102 fail (no ECR
    endpoints), and the needs the declaration cannot tell (awslogs, secrets) are unknown."""
    p = Plan()
    net = network(p)
    s3_gateway(p, net)
    return p


@fixture("plans/options/several-findings.json")
def _():
    """Create plan with four findings, for `--select` / `--ignore`: no ecr.dkr endpoint (PP101),
    the remaining interface endpoints in us-west-2a only (PP109 on ecr.api and logs), and the
    workload group has no egress rule (PP502)."""
    p = Plan()
    private_fargate(p, endpoints=("ecr.api", "logs"), ep_subnets=[0], app_egress="none")
    return p


@fixture("plans/prior-state/delete-ecr-dkr-endpoint.json",
         twin="its point is the prior state (`introduced`, `--fail-on-new-only`), which a "
              "configuration does not have")
def _():
    """Update plan against existing infrastructure (known ids, `prior_state`). The interface
    endpoints already have a subnet in us-west-2a only (PP109 in the prior state too:
    `introduced: false`), and this plan deletes `aws_vpc_endpoint.ecr_dkr`
    (`actions: ["delete"]`): PP101, `introduced: true`. `--fail-on-new-only --fail-on warning`
    counts only PP101."""
    p = Plan(existing=True)
    private_fargate(p, ep_subnets=[0], ep_delete=("ecr.dkr",))
    return p


# ---------------------------------------------------------------------------------------------
# testdata/examples: what the README runs
# ---------------------------------------------------------------------------------------------


def batch_reports(p, s3_policy_before, s3_policy_after):
    """The seed incident's infrastructure, existing: a VPC (us-west-2, no NAT) with ecr.api,
    ecr.dkr and logs interface endpoints, an S3 gateway endpoint, an AWS Batch compute
    environment on Fargate, its job queue and job definition, and the job execution role with
    AmazonECSTaskExecutionRolePolicy. The plan changes only the S3 gateway endpoint's policy."""
    net = network(p)
    s3 = s3_gateway(p, net, before={"policy": F(s3_policy_before)} if s3_policy_before is not None else None,
                    policy_expr=F(jsonencode(s3_policy_after)) if s3_policy_after is not None else None)
    sg = workload_sg(p, net, s3=s3, name="batch")
    eps = endpoint_sg(p, net, workload_sg=sg)
    interface_endpoints(p, net, BASE_ENDPOINTS, sg=eps)
    role = execution_role(p, name="reports-batch-execution", label="batch_execution")
    batch_fargate(p, net, sg, ref(role, "arn"))
    return net


@fixture("examples/seed-incident.json")
def _():
    """Update plan: the seed incident. AWS Batch on Fargate in private subnets without NAT; the
    ECR, logs and S3 gateway endpoints exist. The plan restricts the S3 gateway endpoint's policy
    (until now AWS's default full access) to the application bucket. ECR serves image layers from
    `prod-us-west-2-starport-layer-bucket`, so every job would fail with
    `CannotPullContainerError`. PP401 (new in this plan) with the corrected policy, nothing else."""
    p = Plan(existing=True)
    batch_reports(p, DEFAULT_S3_POLICY, APP_BUCKET_ONLY)
    return p


@fixture("examples/seed-incident-fixed.json")
def _():
    """Update plan: the seed incident's change done right: the application bucket plus
    `s3:GetObject` on `arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*` for Principal `*`.
    No finding."""
    p = Plan(existing=True)
    batch_reports(p, DEFAULT_S3_POLICY, policy(
        APP_BUCKET_ONLY["Statement"][0],
        allow("s3:GetObject", starport(), sid="EcrImageLayers")))
    return p


@fixture("examples/private-fargate.json")
def _():
    """Create plan: a complete, correct private Fargate service. No NAT; ecr.api, ecr.dkr,
    logs and secretsmanager Interface endpoints with private DNS in both AZs; the S3 gateway on
    the private route table; `enable_dns_hostnames`; an endpoint security group admitting 443
    from the service's group, which may send 443 to the VPC and to the S3 prefix list; an
    execution role with AmazonECSTaskExecutionRolePolicy and read access to the one secret the
    container uses. No finding at all."""
    p = Plan()
    private_fargate(p, endpoints=BASE_ENDPOINTS + ("secretsmanager",), secrets=[("DB_PASSWORD", secret_arn())],
                    role_inline=SECRETS_READ)
    return p


# ---------------------------------------------------------------------------------------------
# HCL-only variants: inline suppressions (`# pullpath:ignore=CODE reason`) on twins
# ---------------------------------------------------------------------------------------------

hcl_variant("suppressions/pp401-with-reason", "plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only.json", {
    "aws_vpc_endpoint.s3": ["# pullpath:ignore=PP401 tasks pull through the registry mirror in the shared VPC (OPS-1234)"],
}, doc="""fail-app-bucket-only's twin with `# pullpath:ignore=PP401 <reason>` directly above the S3
gateway endpoint: PP401 is reported as suppressed with that reason, and the exit code is 0.""")

hcl_variant("suppressions/pp401-without-reason", "plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only.json", {
    "aws_vpc_endpoint.s3": ["# pullpath:ignore=PP401"],
}, doc="""fail-app-bucket-only's twin with `# pullpath:ignore=PP401` and no reason: a suppression
needs a reason, so it does not apply (PP401 fails, exit 1) and is reported (PP902).""")

hcl_variant("suppressions/unused", "plans/s3-policy-blocks-layer-bucket/pass-app-bucket-and-layer-bucket.json", {
    "aws_vpc_endpoint.s3": ["# pullpath:ignore=PP401 the layer bucket was missing from the policy"],
}, doc="""pass-app-bucket-and-layer-bucket's twin with a PP401 suppression left over from before
the policy was fixed: it matches no finding, PP902 (a note; exit 0).""")

def _bucket_reference():
    p = Plan()
    doc = policy(APP_BUCKET_ONLY["Statement"][0], allow("s3:GetObject", starport(), sid="EcrLayers"))
    written = copy.deepcopy(doc)
    written["Statement"][0]["Resource"] = [Raw("aws_s3_bucket.reports.arn"), Raw('"${aws_s3_bucket.reports.arn}/*"')]
    private_fargate(p, s3_policy_expr=F(jsonencode(doc), hcl=tfhcl.Call("jsonencode", written)))
    return p


hcl_variant("s3-policy-blocks-layer-bucket/pass-app-bucket-and-layer-bucket-bucket-reference", None, {},
            build=_bucket_reference, extra={"main.tf": f'resource "aws_s3_bucket" "reports" {{\n  bucket = "{APP_BUCKET}"\n}}\n'},
            doc="""pass-app-bucket-and-layer-bucket's twin with the application's bucket named by
reference (`Resource = [aws_s3_bucket.reports.arn, "${aws_s3_bucket.reports.arn}/*"]`), as the seed
incident's configuration would: the layer bucket statement allows the layer download whatever that ARN
is. No finding.""")

hcl_variant("suppressions/by-name-on-one-endpoint", "plans/endpoint-az-coverage/fail-endpoints-in-one-az.json", {
    "aws_vpc_endpoint.ecr_api": ["# pullpath:ignore=endpoint-az-coverage the ECR API is called once per task start",
                                 "# (interface endpoint for the ECR API)"],
}, doc="""fail-endpoints-in-one-az's twin with a suppression by rule name above the ecr.api endpoint
(followed by another comment line): PP109 on ecr.api is suppressed, on ecr.dkr and logs it is not.""")


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Plans with their configuration (issue 17): testdata/plan-source/registry/<case>/
# ---------------------------------------------------------------------------------------------

# The configuration of the registry-module stack, written by hand with the registry modules
# installed under `.terraform/modules` (as `terraform init` lays them out).
REGISTRY_SOURCE = "testdata/hcl/twins/modules/fail-registry-endpoints-module-app-bucket-policy"

LAYER_BUCKET_HCL = (
    'data "aws_iam_policy_document" "s3_endpoint" {\n',
    'data "aws_iam_policy_document" "s3_endpoint" {\n'
    '  statement {\n'
    '    sid       = "EcrImageLayers"\n'
    '    effect    = "Allow"\n'
    '    actions   = ["s3:GetObject"]\n'
    '    resources = ["arn:aws:s3:::prod-${var.region}-starport-layer-bucket/*"]\n'
    '\n'
    '    principals {\n'
    '      type        = "*"\n'
    '      identifiers = ["*"]\n'
    '    }\n'
    '  }\n'
    '\n',
)


def without_endpoint(key):
    """The edit of `endpoints.tf` that removes endpoint `key` from `var.endpoints`."""
    return ("endpoints.tf", f"    {key} = {{\n", None)


# (case, plan, [(file, old, new)] applied to REGISTRY_SOURCE's files, what it shows). An edit
# whose `new` is None removes the block that starts at `old` (up to its closing line).
PLAN_SOURCE = [
    ("working", lambda: registry_create(layer_bucket=True), [("endpoints.tf", *LAYER_BUCKET_HCL)],
     "every hop of the pull path works: no finding with the source"),
    ("no-ecr-api", lambda: registry_create(keys=("s3", "ecr_dkr", "logs"), layer_bucket=True),
     [("endpoints.tf", *LAYER_BUCKET_HCL), without_endpoint("ecr_api")],
     "no ecr.api endpoint (PP102)"),
    ("no-ecr-dkr", lambda: registry_create(keys=("s3", "ecr_api", "logs"), layer_bucket=True),
     [("endpoints.tf", *LAYER_BUCKET_HCL), without_endpoint("ecr_dkr")],
     "no ecr.dkr endpoint (PP101)"),
    ("no-logs", lambda: registry_create(keys=("s3", "ecr_api", "ecr_dkr"), layer_bucket=True),
     [("endpoints.tf", *LAYER_BUCKET_HCL), without_endpoint("logs")],
     "no logs endpoint while the containers log with awslogs (PP104)"),
    ("s3-policy-app-bucket-only", lambda: registry_create(), [],
     "the S3 gateway's policy allows only the application's bucket, not ECR's layer bucket (PP401)"),
    ("endpoint-sg-without-https", lambda: registry_create(layer_bucket=True, ingress_port=80),
     [("endpoints.tf", *LAYER_BUCKET_HCL),
      ("security.tf", "  from_port                    = 443\n  to_port                      = 443\n",
       "  from_port                    = 80\n  to_port                      = 80\n")],
     "the endpoints' security group admits the tasks on port 80 only (PP501)"),
    ("private-dns-off", lambda: registry_create(layer_bucket=True, private_dns={"ecr_dkr": False}),
     [("endpoints.tf", *LAYER_BUCKET_HCL),
      ("endpoints.tf", '      service             = "ecr.dkr"\n      private_dns_enabled = true\n',
       '      service             = "ecr.dkr"\n      private_dns_enabled = false\n')],
     "the ecr.dkr endpoint has private DNS off (PP201)"),
]


def edited(text, old, new, where):
    if old not in text:
        raise SystemExit(f"{where}: {old!r} not found")
    if new is not None:
        return text.replace(old, new, 1)
    start = text.index(old)
    indent = old[: len(old) - len(old.lstrip())]
    end = text.index(f"\n{indent}}}\n", start) + len(f"\n{indent}}}\n")
    return text[:start] + text[end:]


def plan_source_files():
    """{path relative to the repository: text} of testdata/plan-source/registry/."""
    out = {}
    src = os.path.join(ROOT, REGISTRY_SOURCE)
    files = {}
    for d, _, names in os.walk(src):
        for n in sorted(names):
            full = os.path.join(d, n)
            files[os.path.relpath(full, src)] = open(full, encoding="utf-8").read()
    for case, fn, edits, _ in PLAN_SOURCE:
        base = f"testdata/plan-source/registry/{case}"
        texts = dict(files)
        for f, old, new in edits:
            texts[f] = edited(texts[f], old, new, f"{case}/{f}")
        for f, text in texts.items():
            out[f"{base}/{f}"] = text
        out[f"{base}/plan.json"] = render(fn)
    return out


def render(fn):
    return json.dumps(fn().render(), indent=2, ensure_ascii=False) + "\n"


def twin_files(directory, plan_path, fn, comments):
    """{path relative to the repository: text} of one twin."""
    comments = dict(comments)
    doc = comments.pop("doc", None) or fn.__doc__ or ""
    extra = comments.pop("extra", None)
    header = []
    if plan_path:
        header.append(f"HCL twin of testdata/{plan_path}:")
    else:
        header.append(f"HCL variant of a twin ({directory}):")
    words = " ".join(doc.split()).split(" ")
    line = ""
    for w in words:
        if len(line) + len(w) + 1 > 94:
            header.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        header.append(line)
    files = tfhcl.Twin(fn()).files(header, comments, extra)
    return {os.path.join("testdata/hcl/twins", directory, name): text for name, text in files.items()}


def main(argv):
    check = "--check" in argv
    if "--list" in argv:
        for path, fn in FIXTURES:
            twin = f"HCL twin: testdata/hcl/twins/{twin_dir(path)}/" if path not in NO_TWIN else \
                f"no generated HCL twin: {NO_TWIN[path]}"
            print(f"testdata/{path}\n    " + " ".join((fn.__doc__ or "").split()) + f"\n    {twin}\n")
        for directory, plan_path, fn, comments in TWINS:
            if plan_path is None:
                print(f"testdata/hcl/twins/{directory}/\n    " + " ".join(comments["doc"].split()) + "\n")
        return 0
    paths = [p for p, _ in FIXTURES]
    dup = {p for p in paths if paths.count(p) > 1}
    if dup:
        print(f"duplicate fixture paths: {sorted(dup)}", file=sys.stderr)
        return 2
    outputs = {}
    for path, fn in FIXTURES:
        outputs[os.path.join("testdata", path)] = render(fn)
    for directory, plan_path, fn, comments in TWINS:
        outputs.update(twin_files(directory, plan_path, fn, comments))
    outputs.update(plan_source_files())
    stale = []
    for rel, text in outputs.items():
        full = os.path.join(ROOT, rel)
        old = open(full, encoding="utf-8").read() if os.path.exists(full) else None
        if old == text:
            continue
        if check:
            stale.append(rel)
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {rel}")
    # Files of generated twins that the generator no longer writes.
    for directory, _, _, _ in TWINS:
        d = os.path.join(ROOT, "testdata/hcl/twins", directory)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            rel = os.path.join("testdata/hcl/twins", directory, name)
            if rel not in outputs:
                if check:
                    stale.append(rel + " (not generated)")
                else:
                    os.remove(os.path.join(ROOT, rel))
                    print(f"removed {rel}")
    if stale:
        print("stale fixtures (run testdata/plans/generate.py):\n  " + "\n  ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
