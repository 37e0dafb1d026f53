"""Building blocks of the fixtures: a VPC, its endpoints, security groups, roles and workloads,
written as a Terraform user would write them, turned into plan resources with `tfplan`.

Each function takes the `Plan` and the pieces it depends on, and returns what it created.
Resource names follow common Terraform style: `aws_vpc.main`, `aws_subnet.private_a`,
`aws_vpc_endpoint.ecr_dkr`, `aws_security_group.vpc_endpoints`, `aws_ecs_service.app`.
"""

from tfplan import C, E, F, UNKNOWN, Raw, jsonencode, ref, refs_list, traversal_refs
from tfhcl import Call

ACCOUNT = "111122223333"
APP_BUCKET = "acme-reports-prod"


def image(repo="orders-api", tag="1.42.0", region="us-west-2", account=ACCOUNT):
    return f"{account}.dkr.ecr.{region}.amazonaws.com/{repo}:{tag}"


def policy(*statements, version="2012-10-17"):
    return {"Version": version, "Statement": list(statements)}


def allow(action, resource="*", principal="*", condition=None, sid=None):
    s = {}
    if sid:
        s["Sid"] = sid
    s.update({"Effect": "Allow", "Principal": principal, "Action": action, "Resource": resource})
    if condition:
        s["Condition"] = condition
    return s


def deny(action, resource="*", principal="*", condition=None, sid=None):
    s = allow(action, resource, principal, condition, sid)
    s["Effect"] = "Deny"
    return s


# ---------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------


def network(p, azs=("a", "b"), cidr="10.0.0.0/16", dns_support=True, dns_hostnames=True,
            nat=False, inline_nat_route=False, associate=None, name="orders", existing=None,
            nat_route_attr="nat_gateway_id"):
    """A VPC with one private subnet per AZ sharing one private route table; with `nat`, a
    public subnet, an internet gateway and a NAT gateway that the private table routes
    0.0.0.0/0 to. `associate`: the private subnets with an explicit route table association
    (default: all)."""
    region = p.region
    ex = existing
    vpc_args = {"cidr_block": C(cidr), "tags": C({"Name": name})}
    if dns_support is not None:
        vpc_args["enable_dns_support"] = C(dns_support)
    if dns_hostnames is not None:
        vpc_args["enable_dns_hostnames"] = C(dns_hostnames)
    vpc = p.add("aws_vpc", "main", existing=ex, **vpc_args)
    out = {"vpc": vpc, "private": [], "public": [], "azs": [f"{region}{z}" for z in azs]}
    base = cidr.split(".")
    for i, z in enumerate(azs):
        s = p.add("aws_subnet", f"private_{z}", existing=ex,
                  vpc_id=ref(vpc), cidr_block=C(f"{base[0]}.{base[1]}.{10 + i}.0/24"),
                  availability_zone=C(f"{region}{z}"),
                  tags=C({"Name": f"{name}-private-{region}{z}", "Tier": "private"}))
        out["private"].append(s)
    rt_args = {"vpc_id": ref(vpc), "tags": C({"Name": f"{name}-private"})}
    if nat:
        igw = p.add("aws_internet_gateway", "main", existing=ex, vpc_id=ref(vpc), tags=C({"Name": name}))
        pub = p.add("aws_subnet", "public_a", existing=ex, vpc_id=ref(vpc),
                    cidr_block=C(f"{base[0]}.{base[1]}.0.0/24"), availability_zone=C(f"{region}a"),
                    map_public_ip_on_launch=C(True), tags=C({"Name": f"{name}-public-{region}a", "Tier": "public"}))
        out["public"].append(pub)
        rt_pub = p.add("aws_route_table", "public", existing=ex, vpc_id=ref(vpc),
                       route=[{"cidr_block": C("0.0.0.0/0"), "gateway_id": ref(igw)}],
                       tags=C({"Name": f"{name}-public"}))
        p.add("aws_route_table_association", "public_a", existing=ex, subnet_id=ref(pub),
              route_table_id=ref(rt_pub))
        eip = p.add("aws_eip", "nat", existing=ex, domain=C("vpc"), tags=C({"Name": f"{name}-nat"}))
        natgw = p.add("aws_nat_gateway", "main", existing=ex, allocation_id=ref(eip), subnet_id=ref(pub),
                      tags=C({"Name": name}))
        out.update(igw=igw, nat=natgw, rt_public=rt_pub)
        if inline_nat_route:
            rt_args["route"] = [{"cidr_block": C("0.0.0.0/0"), "nat_gateway_id": ref(natgw)}]
    rt = p.add("aws_route_table", "private", existing=ex, **rt_args)
    out["rt_private"] = rt
    if nat and not inline_nat_route:
        p.add("aws_route", "private_nat", existing=ex, route_table_id=ref(rt),
              destination_cidr_block=C("0.0.0.0/0"), **{nat_route_attr: ref(out["nat"])})
    for s, z in zip(out["private"], azs):
        if associate is None or z in associate:
            p.add("aws_route_table_association", f"private_{z}", existing=ex,
                  subnet_id=ref(s), route_table_id=ref(rt))
    return out


def s3_gateway(p, net, policy_doc=None, policy_expr=None, route_tables=None, name="s3",
               endpoint_type="Gateway", existing=None, before=None, via_association=False):
    """The S3 endpoint: a Gateway on the private route table(s) (`route_table_ids`, or
    `aws_vpc_endpoint_route_table_association` resources with `via_association`)."""
    args = {"vpc_id": ref(net["vpc"]), "service_name": C(f"com.amazonaws.{p.region}.s3"),
            "tags": C({"Name": "s3"})}
    if endpoint_type is not None:
        args["vpc_endpoint_type"] = C(endpoint_type)
    tables = route_tables if route_tables is not None else [net["rt_private"]]
    if endpoint_type == "Gateway" and not via_association:
        args["route_table_ids"] = refs_list(tables)
    if endpoint_type == "Interface":
        args["subnet_ids"] = refs_list(net["private"])
        args["private_dns_enabled"] = C(False)
    if policy_expr is not None:
        args["policy"] = policy_expr
    elif policy_doc is not None:
        args["policy"] = F(jsonencode(policy_doc))
    ep = p.add("aws_vpc_endpoint", name, existing=existing, before=before, **args)
    if via_association:
        for i, t in enumerate(tables):
            p.add("aws_vpc_endpoint_route_table_association", f"{name}_{t.name}", existing=existing,
                  vpc_endpoint_id=ref(ep), route_table_id=ref(t))
    return ep


SERVICE_LABEL = {"ecr.api": "ecr_api", "ecr.dkr": "ecr_dkr", "logs": "logs",
                 "secretsmanager": "secretsmanager", "ssm": "ssm", "ecs": "ecs",
                 "ecs-agent": "ecs_agent", "ecs-telemetry": "ecs_telemetry"}


def interface_endpoints(p, net, services, sg=None, subnets=None, overrides=None, existing=None,
                        region=None, delete=()):
    """One Interface endpoint per service, with private DNS, in the private subnets, with the
    endpoint security group. `overrides`: per service, arguments to replace (an argument set
    to None is removed)."""
    out = {}
    for svc in services:
        args = {
            "vpc_id": ref(net["vpc"]),
            "service_name": C(f"com.amazonaws.{region or p.region}.{svc}"),
            "vpc_endpoint_type": C("Interface"),
            "private_dns_enabled": C(True),
            "subnet_ids": refs_list(subnets if subnets is not None else net["private"]),
            "tags": C({"Name": svc}),
        }
        if sg is not None:
            args["security_group_ids"] = refs_list([sg])
        for k, v in ((overrides or {}).get(svc) or {}).items():
            if v is None:
                args.pop(k, None)
            else:
                args[k] = v
        out[svc] = p.add("aws_vpc_endpoint", SERVICE_LABEL[svc], existing=existing,
                         delete=svc in delete, **args)
    return out


def endpoint_sg(p, net, workload_sg=None, ingress="workload", existing=None, name="vpc_endpoints"):
    """The interface endpoints' security group. ingress: `workload` (443 from the workload's
    group), `vpc` (443 from the VPC CIDR), `http` (80 only), `none`."""
    args = {"name": C(f"orders-{name.replace('_', '-')}"), "description": C("HTTPS from the workloads to the VPC endpoints"),
            "vpc_id": ref(net["vpc"]), "tags": C({"Name": name})}
    rule = {"description": C("HTTPS"), "protocol": C("tcp"), "from_port": C(443), "to_port": C(443)}
    if ingress == "workload":
        args["ingress"] = [{**rule, "security_groups": refs_list([workload_sg])}]
    elif ingress == "vpc":
        args["ingress"] = [{**rule, "cidr_blocks": E([net["vpc"].after["cidr_block"]],
                                                     *traversal_refs(net["vpc"].rel, "cidr_block"))}]
    elif ingress == "subnets":
        # One rule, one block per workload subnet: none holds them all, together they do.
        args["ingress"] = [{**rule, "cidr_blocks": E([sn.after["cidr_block"] for sn in net["private"]],
                                                     *[x for sn in net["private"] for x in traversal_refs(sn.rel, "cidr_block")],
                                                     hcl=[Raw(f"{sn.rel}.cidr_block") for sn in net["private"]])}]
    elif ingress == "http":
        args["ingress"] = [{**rule, "description": C("HTTP"), "from_port": C(80), "to_port": C(80),
                            "security_groups": refs_list([workload_sg])}]
    elif ingress == "none":
        pass
    else:
        raise ValueError(ingress)
    return p.add("aws_security_group", name, existing=existing, **args)


def workload_sg(p, net, egress="vpc+s3", s3=None, existing=None, name="app", rules_as_resources=True):
    """The workload's security group. egress: `vpc+s3` (443 to the VPC CIDR and to the S3
    prefix list), `vpc` (443 to the VPC CIDR only), `all` (everything to 0.0.0.0/0), `none`.
    With `rules_as_resources`, the egress rules are `aws_vpc_security_group_egress_rule`s."""
    args = {"name": C(f"orders-{name}"), "description": C("orders service tasks"),
            "vpc_id": ref(net["vpc"]), "tags": C({"Name": name})}
    sg_holder = {}
    vpc_cidr = E(net["vpc"].after["cidr_block"], *traversal_refs(net["vpc"].rel, "cidr_block"))
    if not rules_as_resources:
        blocks = []
        if egress in ("vpc+s3", "vpc"):
            blocks.append({"description": C("HTTPS to the VPC endpoints"), "protocol": C("tcp"),
                           "from_port": C(443), "to_port": C(443),
                           "cidr_blocks": E([net["vpc"].after["cidr_block"]],
                                            *traversal_refs(net["vpc"].rel, "cidr_block"))})
        if egress == "vpc+s3":
            blocks.append({"description": C("HTTPS to S3 (image layers)"), "protocol": C("tcp"),
                           "from_port": C(443), "to_port": C(443),
                           "prefix_list_ids": E([s3.after["prefix_list_id"]],
                                                *traversal_refs(s3.rel, "prefix_list_id"))})
        if egress == "all":
            blocks.append({"protocol": C("-1"), "from_port": C(0), "to_port": C(0),
                           "cidr_blocks": C(["0.0.0.0/0"])})
        if blocks:
            args["egress"] = blocks
    sg = p.add("aws_security_group", name, existing=existing, **args)
    sg_holder["sg"] = sg
    if rules_as_resources:
        if egress in ("vpc+s3", "vpc"):
            p.add("aws_vpc_security_group_egress_rule", f"{name}_https_vpc", existing=existing,
                  security_group_id=ref(sg), description=C("HTTPS to the VPC endpoints"),
                  ip_protocol=C("tcp"), from_port=C(443), to_port=C(443), cidr_ipv4=vpc_cidr)
        if egress == "vpc+s3":
            p.add("aws_vpc_security_group_egress_rule", f"{name}_https_s3", existing=existing,
                  security_group_id=ref(sg), description=C("HTTPS to S3 (image layers)"),
                  ip_protocol=C("tcp"), from_port=C(443), to_port=C(443),
                  prefix_list_id=ref(s3, "prefix_list_id"))
        if egress == "all":
            p.add("aws_vpc_security_group_egress_rule", f"{name}_all", existing=existing,
                  security_group_id=ref(sg), ip_protocol=C("-1"), cidr_ipv4=C("0.0.0.0/0"))
    return sg


# ---------------------------------------------------------------------------------------------
# IAM
# ---------------------------------------------------------------------------------------------

ECS_TASKS_TRUST = policy({"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                          "Action": "sts:AssumeRole"})
EC2_TRUST = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                    "Action": "sts:AssumeRole"})
EXECUTION_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"


def execution_role(p, managed=True, inline=None, existing=None, name="orders-task-execution",
                   label="task_execution"):
    """The task execution role: the managed AmazonECSTaskExecutionRolePolicy attached with an
    `aws_iam_role_policy_attachment`, and/or an inline `aws_iam_role_policy` document."""
    role = p.add("aws_iam_role", label, existing=existing, name=C(name),
                 assume_role_policy=F(jsonencode(ECS_TASKS_TRUST)))
    if managed:
        p.add("aws_iam_role_policy_attachment", label, existing=existing, role=ref(role, "name"),
              policy_arn=C(EXECUTION_POLICY_ARN))
    if inline is not None:
        p.add("aws_iam_role_policy", f"{label}_extra", existing=existing, name=C("secrets"),
              role=ref(role), policy=F(jsonencode(inline)))
    return role


# ---------------------------------------------------------------------------------------------
# Workloads
# ---------------------------------------------------------------------------------------------


def container(name="orders-api", img=None, log=True, log_group=None, secrets=None, port=8080,
              region="us-west-2"):
    c = {"name": name, "image": img or image(), "essential": True,
         "portMappings": [{"containerPort": port, "hostPort": port, "protocol": "tcp"}]}
    if log:
        c["logConfiguration"] = {"logDriver": "awslogs", "options": {
            "awslogs-group": log_group or "/ecs/orders-api", "awslogs-region": region,
            "awslogs-stream-prefix": "orders"}}
    if secrets:
        c["secrets"] = [{"name": n, "valueFrom": v} for n, v in secrets]
    return c


def task_definition(p, role, containers, refs=None, compat="FARGATE", network_mode="awsvpc",
                    existing=None, family="orders-api", label="app"):
    """`container_definitions = jsonencode([...])`: its value is known when everything it
    references is (`refs`: the references the expression records)."""
    args = {"family": C(family),
            "requires_compatibilities": C([compat]),
            "network_mode": C(network_mode),
            "cpu": C("512"), "memory": C("1024"),
            "container_definitions": (E(jsonencode(containers), *refs) if refs else F(jsonencode(containers)))}
    if role is not None:
        args["execution_role_arn"] = ref(role, "arn")
    return p.add("aws_ecs_task_definition", label, existing=existing, **args)


def ecs_service(p, net, sg, td, cluster, subnets=None, launch_type="FARGATE", platform_version=None,
                capacity_providers=None, assign_public_ip=False, existing=None, name="orders-api",
                label="app", subnets_expr=None, td_by="arn"):
    """`td_by`: how the service names its task definition: `arn`, or `family:revision` (the
    template `"${X.family}:${X.revision}"`, known only after apply: its revision is)."""
    if td_by == "family:revision":
        refs = []
        for r in traversal_refs(td.rel, "family") + traversal_refs(td.rel, "revision"):
            if r not in refs:
                refs.append(r)
        task_def = E(UNKNOWN, *refs,
                     hcl=Raw(f'"${{{td.rel}.family}}:${{{td.rel}.revision}}"'))
    else:
        task_def = ref(td, "arn")
    args = {"name": C(name), "cluster": ref(cluster), "task_definition": task_def,
            "desired_count": C(2)}
    if launch_type is not None:
        args["launch_type"] = C(launch_type)
    if platform_version is not None:
        args["platform_version"] = C(platform_version)
    if capacity_providers:
        args["capacity_provider_strategy"] = [
            {"capacity_provider": C(cp), "weight": C(w), **({"base": C(b)} if b else {})}
            for cp, w, b in capacity_providers]
    netcfg = {"subnets": subnets_expr if subnets_expr is not None else
              refs_list(subnets if subnets is not None else net["private"]),
              "assign_public_ip": C(assign_public_ip)}
    if sg is not None:
        netcfg["security_groups"] = refs_list([sg])
    args["network_configuration"] = [netcfg]
    return p.add("aws_ecs_service", label, existing=existing, **args)


def cluster(p, existing=None, name="orders"):
    return p.add("aws_ecs_cluster", "main", existing=existing, name=C(name),
                 setting=[{"name": C("containerInsights"), "value": C("enabled")}])


def log_group(p, existing=None, name="/ecs/orders-api", label="app"):
    return p.add("aws_cloudwatch_log_group", label, existing=existing, name=C(name),
                 retention_in_days=C(30))


def fargate_service(p, net, sg, role, img=None, log=True, secrets=None, platform_version=None,
                    launch_type="FARGATE", capacity_providers=None, existing=None, subnets=None,
                    assign_public_ip=False, subnets_expr=None, image_var=True, image_expr=None,
                    td_by="arn"):
    """An ECS Fargate service with its cluster, log group and task definition. The image comes
    from `var.app_image`; the log group name from `aws_cloudwatch_log_group.app.name`."""
    cl = cluster(p, existing=existing)
    refs = []
    lg = None
    if log:
        lg = log_group(p, existing=existing)
        refs += traversal_refs(lg.rel, "name")
    img = img or image(region=p.region)
    if image_var:
        p.variable("app_image", img, description="Image of the orders API")
        refs = ["var.app_image"] + refs
    c = container(img=img, log=log, secrets=secrets, region=p.region)
    if image_expr is not None:
        # The image is known only after apply (`image_expr`: its references and how it is
        # written): so is the whole of `container_definitions`, and the plan records only the
        # references of the `jsonencode(...)`.
        refs_of_image, written = image_expr
        written_c = dict(c, image=Raw(written))
        if log:
            written_c["logConfiguration"] = {"logDriver": "awslogs", "options": {
                "awslogs-group": Raw(f"{lg.rel}.name"), "awslogs-region": p.region,
                "awslogs-stream-prefix": "orders"}}
        td_refs = list(refs_of_image) + (traversal_refs(lg.rel, "name") if log else [])
        args = {"family": C("orders-api"), "requires_compatibilities": C(["FARGATE"]),
                "network_mode": C("awsvpc"), "cpu": C("512"), "memory": C("1024"),
                "container_definitions": E(UNKNOWN, *td_refs,
                                           hcl=Call("jsonencode", [written_c]))}
        if role is not None:
            args["execution_role_arn"] = ref(role, "arn")
        td = p.add("aws_ecs_task_definition", "app", existing=existing, **args)
    else:
        td = task_definition(p, role, [c], refs=refs or None, existing=existing)
    svc = ecs_service(p, net, sg, td, cl, subnets=subnets, launch_type=launch_type,
                      platform_version=platform_version, capacity_providers=capacity_providers,
                      assign_public_ip=assign_public_ip, existing=existing, subnets_expr=subnets_expr,
                      td_by=td_by)
    return {"cluster": cl, "log_group": lg, "task_definition": td, "service": svc}


def batch_fargate(p, net, sg, role_arn_expr, img=None, existing=None, log=None, platform_version="LATEST",
                  name="reports"):
    """An AWS Batch compute environment on Fargate, its job queue, and a Fargate job
    definition (`container_properties = jsonencode({...})`; jobs log with awslogs by default)."""
    ce = p.add("aws_batch_compute_environment", "jobs", existing=existing,
               compute_environment_name=C(f"{name}-fargate"), type=C("MANAGED"),
               compute_resources=[{"type": C("FARGATE"), "max_vcpus": C(16),
                                   "subnets": refs_list(net["private"]),
                                   "security_group_ids": refs_list([sg])}])
    p.add("aws_batch_job_queue", "jobs", existing=existing, name=C(name), priority=C(1),
          state=C("ENABLED"),
          compute_environment_order=[{"order": C(1), "compute_environment": ref(ce, "arn")}])
    props = {
        "command": ["python", "-m", "reports.nightly"],
        "executionRoleArn": role_arn_expr.value,
        "fargatePlatformConfiguration": {"platformVersion": platform_version},
        "image": img or image("reports", "2024.11.3", region=p.region),
        "networkConfiguration": {"assignPublicIp": "DISABLED"},
        "resourceRequirements": [{"type": "VCPU", "value": "1"}, {"type": "MEMORY", "value": "2048"}],
    }
    if log is not None:
        props["logConfiguration"] = log
    value = UNKNOWN if role_arn_expr.value is UNKNOWN else jsonencode(props)
    jd = p.add("aws_batch_job_definition", "nightly", existing=existing, name=C(f"{name}-nightly"),
               type=C("container"), platform_capabilities=C(["FARGATE"]),
               container_properties=E(value, *role_arn_expr.refs) if role_arn_expr.refs else F(value))
    return {"compute_environment": ce, "job_definition": jd}


# ---------------------------------------------------------------------------------------------
# Container instances (ECS on EC2, ECS Managed Instances)
# ---------------------------------------------------------------------------------------------

EC2_INSTANCE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"


def base64(text):
    """Terraform's `base64encode` of text."""
    import base64 as b64
    return b64.b64encode(text.encode()).decode()


def container_instances(p, net, cl, sg, subnets=None, name="orders-ec2", label="ecs", image_id=None):
    """The container instances of cluster `cl`: an instance role with
    AmazonEC2ContainerServiceforEC2Role and its instance profile, a launch template (security
    group `sg`, the profile, user data that joins the cluster with `ECS_CLUSTER`, the AMI
    `image_id` or a literal one), an Auto Scaling group in the private subnets (or `subnets`),
    and the capacity provider `name` over it, associated with the cluster."""
    role = p.add("aws_iam_role", "ecs_instance", name=C("orders-ecs-instance"),
                 assume_role_policy=F(jsonencode(EC2_TRUST)))
    p.add("aws_iam_role_policy_attachment", "ecs_instance", role=ref(role, "name"),
          policy_arn=C(EC2_INSTANCE_POLICY_ARN))
    prof = p.add("aws_iam_instance_profile", "ecs_instance", name=C("orders-ecs-instance"),
                 role=ref(role, "name"))
    script = f"#!/bin/bash\necho ECS_CLUSTER={cl.after['name']} >> /etc/ecs/ecs.config\n"
    template = '"#!/bin/bash\\necho ECS_CLUSTER=${' + cl.rel + '.name} >> /etc/ecs/ecs.config\\n"'
    lt = p.add("aws_launch_template", label, name_prefix=C("orders-ecs-"),
               image_id=image_id if image_id is not None else C("ami-0c2b8ca1dad447f8a"),
               instance_type=C("t3.large"),
               vpc_security_group_ids=refs_list([sg]),
               iam_instance_profile=[{"arn": ref(prof, "arn")}],
               user_data=E(base64(script), *traversal_refs(cl.rel, "name"),
                           hcl=Call("base64encode", Raw(template))))
    asg = p.add("aws_autoscaling_group", label, name=C("orders-ecs"), min_size=C(1), max_size=C(4),
                vpc_zone_identifier=refs_list(subnets if subnets is not None else net["private"]),
                launch_template=[{"id": ref(lt), "version": C("$Latest")}])
    cp = p.add("aws_ecs_capacity_provider", label, name=C(name),
               auto_scaling_group_provider=[{"auto_scaling_group_arn": ref(asg, "arn")}])
    p.add("aws_ecs_cluster_capacity_providers", "main", cluster_name=ref(cl, "name"),
          capacity_providers=refs_list([cp], "name"))
    return {"role": role, "profile": prof, "launch_template": lt, "asg": asg, "capacity_provider": cp}


def managed_instances(p, net, cl, sg, name="orders-managed", label="managed"):
    """An ECS Managed Instances capacity provider of cluster `cl` in the private subnets with
    security group `sg` (its infrastructure role and its instances' profile), associated with
    the cluster."""
    infra = p.add("aws_iam_role", "ecs_infrastructure", name=C("orders-ecs-infrastructure"),
                  assume_role_policy=F(jsonencode(policy({
                      "Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"},
                      "Action": "sts:AssumeRole"}))))
    role = p.add("aws_iam_role", "ecs_managed_instance", name=C("orders-ecs-managed-instance"),
                 assume_role_policy=F(jsonencode(EC2_TRUST)))
    prof = p.add("aws_iam_instance_profile", "ecs_managed_instance", name=C("orders-ecs-managed-instance"),
                 role=ref(role, "name"))
    cp = p.add("aws_ecs_capacity_provider", label, name=C(name), cluster=ref(cl, "name"),
               managed_instances_provider=[{
                   "infrastructure_role_arn": ref(infra, "arn"),
                   "instance_launch_template": [{
                       "ec2_instance_profile_arn": ref(prof, "arn"),
                       "network_configuration": [{"subnets": refs_list(net["private"]),
                                                  "security_groups": refs_list([sg])}],
                   }],
               }])
    p.add("aws_ecs_cluster_capacity_providers", "main", cluster_name=ref(cl, "name"),
          capacity_providers=refs_list([cp], "name"))
    return {"capacity_provider": cp}
