//! Synthetic inputs for the scale benchmark: `terraform show -json` plans of N private Fargate
//! VPCs in the real shape (a module per VPC instantiated with `for_each`, a nested endpoints
//! module, every id unknown and joined only through `configuration` references), and trees of
//! HCL root modules. A third of the VPCs carry the seed incident, a fifth lack `ecr.api`, a
//! seventh have a workload group without egress to S3, so that findings are produced.

use std::io::{self, Write};

use serde_json::{json, Value};

const REGION: &str = "us-west-2";

fn key(i: usize) -> String {
    format!("stack-{i:05}")
}

/// The attributes of one resource instance: known values, unknown ones, and the
/// configuration's expressions (per module, written once).
struct Res {
    module: String,
    rtype: &'static str,
    name: &'static str,
    index: Option<String>,
    after: Value,
    unknown: Value,
}

impl Res {
    fn address(&self) -> String {
        let idx = self
            .index
            .as_ref()
            .map(|k| format!("[\"{k}\"]"))
            .unwrap_or_default();
        format!("{}.{}.{}{}", self.module, self.rtype, self.name, idx)
    }
}

fn tags(name: &str) -> Value {
    json!({"Name": name, "Environment": "bench", "Team": "platform", "CostCenter": "cc-1234", "ManagedBy": "terraform"})
}

fn stack(i: usize) -> Vec<Res> {
    let k = key(i);
    let m = format!("module.stack[\"{k}\"]");
    let me = format!("{m}.module.endpoints");
    let cidr = format!("10.{}.{}.0/22", (i / 64) % 256, (i % 64) * 4);
    let third = (i / 64) % 256;
    let base = (i % 64) * 4;
    let app_bucket_only = i % 3 == 1;
    let no_ecr_api = i % 5 == 2;
    let egress_vpc_only = i % 7 == 3;
    let mut out = Vec::new();
    let r = |rtype, name, index: Option<&str>, after: Value, unknown: Value, module: &str| Res {
        module: module.to_string(),
        rtype,
        name,
        index: index.map(str::to_string),
        after,
        unknown,
    };
    out.push(r("aws_vpc", "this", None, json!({
        "assign_generated_ipv6_cidr_block": null, "cidr_block": cidr, "enable_dns_hostnames": true, "enable_dns_support": true,
        "enable_network_address_usage_metrics": false, "instance_tenancy": "default", "ipv4_ipam_pool_id": null, "ipv4_netmask_length": null,
        "ipv6_ipam_pool_id": null, "ipv6_netmask_length": null, "region": REGION, "tags": tags(&k), "tags_all": tags(&k)
    }), json!({"arn": true, "default_network_acl_id": true, "default_route_table_id": true, "default_security_group_id": true,
        "dhcp_options_id": true, "id": true, "ipv6_association_id": true, "ipv6_cidr_block": true, "ipv6_cidr_block_network_border_group": true,
        "main_route_table_id": true, "owner_id": true, "tags": {}, "tags_all": {}}), &m));
    for (n, az) in [("a", "us-west-2a"), ("b", "us-west-2b")] {
        let sub = if n == "a" { base } else { base + 1 };
        out.push(r("aws_subnet", "private", Some(n), json!({
            "assign_ipv6_address_on_creation": false, "availability_zone": az, "cidr_block": format!("10.{third}.{sub}.0/24"),
            "customer_owned_ipv4_pool": null, "enable_dns64": false, "enable_lni_at_device_index": null,
            "enable_resource_name_dns_a_record_on_launch": false, "enable_resource_name_dns_aaaa_record_on_launch": false,
            "ipv6_cidr_block": null, "ipv6_native": false, "map_customer_owned_ip_on_launch": null, "map_public_ip_on_launch": false,
            "outpost_arn": null, "region": REGION, "tags": tags(&format!("{k}-private-{n}")), "tags_all": tags(&format!("{k}-private-{n}")), "timeouts": null
        }), json!({"arn": true, "availability_zone_id": true, "id": true, "ipv6_cidr_block_association_id": true, "owner_id": true,
            "private_dns_hostname_type_on_launch": true, "tags": {}, "tags_all": {}, "vpc_id": true}), &m));
        out.push(r(
            "aws_route_table_association",
            "private",
            Some(n),
            json!({"gateway_id": null, "region": REGION, "timeouts": null}),
            json!({"id": true, "route_table_id": true, "subnet_id": true}),
            &m,
        ));
    }
    out.push(r("aws_route_table", "private", None, json!({"region": REGION, "tags": tags(&format!("{k}-private")), "tags_all": tags(&format!("{k}-private")), "timeouts": null}),
        json!({"arn": true, "id": true, "owner_id": true, "propagating_vgws": true, "route": true, "tags": {}, "tags_all": {}, "vpc_id": true}), &m));
    let s3_policy = if app_bucket_only {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*",
            "Resource": [format!("arn:aws:s3:::{k}-app"), format!("arn:aws:s3:::{k}-app/*")]}]})
    } else {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": [format!("arn:aws:s3:::{k}-app"), format!("arn:aws:s3:::{k}-app/*")]},
            {"Sid": "EcrLayers", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::prod-{REGION}-starport-layer-bucket/*")}]})
    };
    out.push(r("aws_vpc_endpoint", "s3", None, json!({
        "auto_accept": null, "ip_address_type": "ipv4", "policy": s3_policy.to_string(), "private_dns_enabled": false, "region": REGION,
        "service_name": format!("com.amazonaws.{REGION}.s3"), "tags": tags(&format!("{k}-s3")), "tags_all": tags(&format!("{k}-s3")),
        "timeouts": null, "vpc_endpoint_type": "Gateway"
    }), json!({"arn": true, "cidr_blocks": true, "dns_entry": true, "dns_options": true, "id": true, "network_interface_ids": true,
        "owner_id": true, "prefix_list_id": true, "requester_managed": true, "route_table_ids": true, "security_group_ids": true,
        "service_network_arn": true, "state": true, "subnet_configuration": true, "subnet_ids": true, "tags": {}, "tags_all": {}, "vpc_id": true}), &m));
    let services: Vec<&str> = if no_ecr_api {
        vec!["ecr.dkr", "logs"]
    } else {
        vec!["ecr.api", "ecr.dkr", "logs"]
    };
    for s in services {
        out.push(Res { module: me.clone(), rtype: "aws_vpc_endpoint", name: "this", index: Some(s.to_string()), after: json!({
            "auto_accept": null, "ip_address_type": "ipv4", "private_dns_enabled": true, "region": REGION,
            "service_name": format!("com.amazonaws.{REGION}.{s}"), "tags": tags(&format!("{k}-{s}")), "tags_all": tags(&format!("{k}-{s}")),
            "timeouts": null, "vpc_endpoint_type": "Interface"
        }), unknown: json!({"arn": true, "cidr_blocks": true, "dns_entry": true, "dns_options": true, "id": true, "network_interface_ids": true,
            "owner_id": true, "policy": true, "prefix_list_id": true, "requester_managed": true, "route_table_ids": true, "security_group_ids": true,
            "service_network_arn": true, "state": true, "subnet_configuration": true, "subnet_ids": true, "tags": {}, "tags_all": {}, "vpc_id": true}) });
    }
    for (name, desc) in [("endpoints", "interface endpoints"), ("app", "the app")] {
        out.push(r("aws_security_group", name, None, json!({
            "description": format!("{desc} of {k}"), "name": format!("{k}-{name}"), "region": REGION, "revoke_rules_on_delete": false,
            "tags": tags(&format!("{k}-{name}")), "tags_all": tags(&format!("{k}-{name}")), "timeouts": null
        }), json!({"arn": true, "egress": true, "id": true, "ingress": true, "name_prefix": true, "owner_id": true, "tags": {}, "tags_all": {}, "vpc_id": true}), &m));
    }
    out.push(r("aws_vpc_security_group_ingress_rule", "endpoints_https", None, json!({
        "cidr_ipv4": null, "cidr_ipv6": null, "description": "HTTPS from the app", "from_port": 443, "ip_protocol": "tcp", "prefix_list_id": null,
        "region": REGION, "tags": null, "to_port": 443
    }), json!({"arn": true, "id": true, "referenced_security_group_id": true, "security_group_id": true, "security_group_rule_id": true, "tags_all": true}), &m));
    if egress_vpc_only {
        out.push(r("aws_vpc_security_group_egress_rule", "app_https", None, json!({
            "cidr_ipv4": cidr, "cidr_ipv6": null, "description": "HTTPS in the VPC", "from_port": 443, "ip_protocol": "tcp",
            "prefix_list_id": null, "referenced_security_group_id": null, "region": REGION, "tags": null, "to_port": 443
        }), json!({"arn": true, "id": true, "security_group_id": true, "security_group_rule_id": true, "tags_all": true}), &m));
    } else {
        out.push(r("aws_vpc_security_group_egress_rule", "app_https", None, json!({
            "cidr_ipv4": "0.0.0.0/0", "cidr_ipv6": null, "description": "HTTPS out", "from_port": 443, "ip_protocol": "tcp",
            "prefix_list_id": null, "referenced_security_group_id": null, "region": REGION, "tags": null, "to_port": 443
        }), json!({"arn": true, "id": true, "security_group_id": true, "security_group_rule_id": true, "tags_all": true}), &m));
    }
    out.push(r("aws_ecs_cluster", "this", None, json!({"configuration": [], "name": k, "region": REGION, "service_connect_defaults": [],
        "setting": [{"name": "containerInsights", "value": "enabled"}], "tags": tags(&k), "tags_all": tags(&k)}),
        json!({"arn": true, "configuration": [], "id": true, "service_connect_defaults": [], "setting": [{}], "tags": {}, "tags_all": {}}), &m));
    let containers = json!([{
        "name": "app", "image": format!("123456789012.dkr.ecr.{REGION}.amazonaws.com/{k}/app:1.0.{i}"), "essential": true,
        "cpu": 256, "memory": 512, "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": "STACK", "value": k}, {"name": "LOG_LEVEL", "value": "info"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": format!("/ecs/{k}"), "awslogs-region": REGION, "awslogs-stream-prefix": "app"}}
    }]);
    out.push(r("aws_ecs_task_definition", "app", None, json!({
        "container_definitions": containers.to_string(), "cpu": "256", "enable_fault_injection": false, "ephemeral_storage": [], "family": format!("{k}-app"),
        "inference_accelerator": [], "ipc_mode": null, "memory": "512", "network_mode": "awsvpc", "pid_mode": null, "placement_constraints": [],
        "proxy_configuration": [], "region": REGION, "requires_compatibilities": ["FARGATE"], "runtime_platform": [], "skip_destroy": false,
        "tags": tags(&k), "tags_all": tags(&k), "task_role_arn": null, "track_latest": false, "volume": []
    }), json!({"arn": true, "arn_without_revision": true, "ephemeral_storage": [], "execution_role_arn": true, "id": true, "inference_accelerator": [],
        "placement_constraints": [], "proxy_configuration": [], "requires_compatibilities": [false], "revision": true, "runtime_platform": [], "tags": {}, "tags_all": {}, "volume": []}), &m));
    out.push(r("aws_ecs_service", "app", None, json!({
        "alarms": [], "availability_zone_rebalancing": "DISABLED", "capacity_provider_strategy": [], "deployment_circuit_breaker": [],
        "deployment_controller": [], "deployment_maximum_percent": 200, "deployment_minimum_healthy_percent": 100, "desired_count": 2,
        "enable_ecs_managed_tags": false, "enable_execute_command": false, "force_delete": null, "force_new_deployment": null,
        "health_check_grace_period_seconds": null, "launch_type": "FARGATE", "load_balancer": [], "name": format!("{k}-app"),
        "network_configuration": [{"assign_public_ip": false}], "ordered_placement_strategy": [], "placement_constraints": [],
        "propagate_tags": null, "region": REGION, "scheduling_strategy": "REPLICA", "service_connect_configuration": [], "service_registries": [],
        "tags": tags(&k), "tags_all": tags(&k), "timeouts": null, "volume_configuration": [], "vpc_lattice_configurations": [],
        "wait_for_steady_state": false
    }), json!({"alarms": [], "capacity_provider_strategy": [], "cluster": true, "deployment_circuit_breaker": [], "deployment_controller": [],
        "iam_role": true, "id": true, "load_balancer": [], "network_configuration": [{"security_groups": true, "subnets": true}],
        "ordered_placement_strategy": [], "placement_constraints": [], "platform_version": true, "service_connect_configuration": [],
        "service_registries": [], "tags": {}, "tags_all": {}, "task_definition": true, "triggers": true, "volume_configuration": [],
        "vpc_lattice_configurations": []}), &m));
    let assume = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    out.push(r("aws_iam_role", "execution", None, json!({
        "assume_role_policy": assume.to_string(), "description": null, "force_detach_policies": false, "max_session_duration": 3600,
        "name": format!("{k}-execution"), "path": "/", "permissions_boundary": null, "tags": tags(&k), "tags_all": tags(&k)
    }), json!({"arn": true, "create_date": true, "id": true, "inline_policy": true, "managed_policy_arns": true, "name_prefix": true, "tags": {}, "tags_all": {}, "unique_id": true}), &m));
    out.push(r("aws_iam_role_policy_attachment", "execution", None, json!({
        "policy_arn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", "role": format!("{k}-execution")
    }), json!({"id": true}), &m));
    out
}

/// The configuration section: the stack module (with the nested endpoints module), once.
fn configuration(n: usize) -> Value {
    let refs = |r: &[&str]| json!({"references": r});
    let stack_module = stack_module_config();
    let _ = n;
    json!({
        "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "version_constraint": "~> 6.0",
            "expressions": {"region": refs(&["var.region"])}}},
        "root_module": {"module_calls": {"stack": {"source": "./modules/stack", "for_each_expression": refs(&["local.stacks"]),
            "expressions": {"name": refs(&["each.key"]), "cidr": refs(&["each.value.cidr", "each.value"]), "region": refs(&["var.region"]),
                "services": refs(&["each.value.services", "each.value"]), "egress_cidr": refs(&["each.value.egress", "each.value"])},
            "module": stack_module}},
            "variables": {"region": {"default": REGION}}}
    })
}

/// The stack module's configuration (resources, the nested endpoints module call).
fn stack_module_config() -> Value {
    let refs = |r: &[&str]| json!({"references": r});
    let c = |v: Value| json!({"constant_value": v});
    let res = |address: &str, rtype: &str, name: &str, exprs: Value| {
        json!({"address": address, "mode": "managed", "type": rtype, "name": name,
        "provider_config_key": "aws", "expressions": exprs, "schema_version": 0})
    };
    let endpoints_module = endpoints_module_config();
    let mut subnets = res(
        "aws_subnet.private",
        "aws_subnet",
        "private",
        json!({"availability_zone": refs(&["each.value.az", "each.value"]),
        "cidr_block": refs(&["each.value.cidr", "each.value"]), "vpc_id": refs(&["aws_vpc.this.id", "aws_vpc.this"]), "tags": refs(&["var.name", "each.key"])}),
    );
    subnets["for_each_expression"] = refs(&["local.subnets"]);
    let mut assoc = res(
        "aws_route_table_association.private",
        "aws_route_table_association",
        "private",
        json!({"route_table_id": refs(&["aws_route_table.private.id", "aws_route_table.private"]), "subnet_id": refs(&["aws_subnet.private", "each.key"])}),
    );
    assoc["for_each_expression"] = refs(&["aws_subnet.private"]);
    json!({
        "resources": [
            res("aws_vpc.this", "aws_vpc", "this", json!({"cidr_block": refs(&["var.cidr"]), "enable_dns_hostnames": c(json!(true)), "enable_dns_support": c(json!(true)), "tags": refs(&["var.name"])})),
            subnets,
            res("aws_route_table.private", "aws_route_table", "private", json!({"vpc_id": refs(&["aws_vpc.this.id", "aws_vpc.this"]), "tags": refs(&["var.name"])})),
            assoc,
            res("aws_vpc_endpoint.s3", "aws_vpc_endpoint", "s3", json!({"policy": refs(&["local.s3_policy"]), "route_table_ids": refs(&["aws_route_table.private.id", "aws_route_table.private"]),
                "service_name": refs(&["var.region"]), "vpc_endpoint_type": c(json!("Gateway")), "vpc_id": refs(&["aws_vpc.this.id", "aws_vpc.this"])})),
            res("aws_security_group.endpoints", "aws_security_group", "endpoints", json!({"name": refs(&["var.name"]), "vpc_id": refs(&["aws_vpc.this.id", "aws_vpc.this"])})),
            res("aws_security_group.app", "aws_security_group", "app", json!({"name": refs(&["var.name"]), "vpc_id": refs(&["aws_vpc.this.id", "aws_vpc.this"])})),
            res("aws_vpc_security_group_ingress_rule.endpoints_https", "aws_vpc_security_group_ingress_rule", "endpoints_https", json!({"from_port": c(json!(443)), "ip_protocol": c(json!("tcp")), "to_port": c(json!(443)),
                "referenced_security_group_id": refs(&["aws_security_group.app.id", "aws_security_group.app"]), "security_group_id": refs(&["aws_security_group.endpoints.id", "aws_security_group.endpoints"])})),
            res("aws_vpc_security_group_egress_rule.app_https", "aws_vpc_security_group_egress_rule", "app_https", json!({"cidr_ipv4": refs(&["var.egress_cidr"]), "from_port": c(json!(443)), "ip_protocol": c(json!("tcp")), "to_port": c(json!(443)),
                "security_group_id": refs(&["aws_security_group.app.id", "aws_security_group.app"])})),
            res("aws_ecs_cluster.this", "aws_ecs_cluster", "this", json!({"name": refs(&["var.name"])})),
            res("aws_ecs_task_definition.app", "aws_ecs_task_definition", "app", json!({"container_definitions": refs(&["var.name", "var.region"]), "cpu": c(json!("256")), "memory": c(json!("512")),
                "execution_role_arn": refs(&["aws_iam_role.execution.arn", "aws_iam_role.execution"]), "family": refs(&["var.name"]), "network_mode": c(json!("awsvpc")), "requires_compatibilities": c(json!(["FARGATE"]))})),
            res("aws_ecs_service.app", "aws_ecs_service", "app", json!({"cluster": refs(&["aws_ecs_cluster.this.id", "aws_ecs_cluster.this"]), "desired_count": c(json!(2)), "launch_type": c(json!("FARGATE")), "name": refs(&["var.name"]),
                "network_configuration": [{"assign_public_ip": c(json!(false)), "security_groups": refs(&["aws_security_group.app.id", "aws_security_group.app"]), "subnets": refs(&["aws_subnet.private"])}],
                "task_definition": refs(&["aws_ecs_task_definition.app.arn", "aws_ecs_task_definition.app"])})),
            res("aws_iam_role.execution", "aws_iam_role", "execution", json!({"assume_role_policy": c(json!("{}")), "name": refs(&["var.name"])})),
            res("aws_iam_role_policy_attachment.execution", "aws_iam_role_policy_attachment", "execution", json!({"policy_arn": c(json!("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")), "role": refs(&["aws_iam_role.execution.name", "aws_iam_role.execution"])})),
        ],
        "module_calls": {"endpoints": {"source": "./modules/endpoints", "module": endpoints_module, "expressions": {
            "vpc_id": refs(&["aws_vpc.this.id", "aws_vpc.this"]), "subnet_ids": refs(&["aws_subnet.private"]),
            "security_group_ids": refs(&["aws_security_group.endpoints.id", "aws_security_group.endpoints"]), "services": refs(&["var.services"]),
            "region": refs(&["var.region"]), "name": refs(&["var.name"])}}},
        "variables": {"name": {}, "cidr": {}, "region": {}, "services": {}, "egress_cidr": {}},
        "outputs": {"vpc_id": {"expression": refs(&["aws_vpc.this.id", "aws_vpc.this"])}}
    })
}

/// The nested endpoints module's configuration.
fn endpoints_module_config() -> Value {
    let refs = |r: &[&str]| json!({"references": r});
    let c = |v: Value| json!({"constant_value": v});
    let res = |address: &str, rtype: &str, name: &str, exprs: Value| {
        json!({"address": address, "mode": "managed", "type": rtype, "name": name,
        "provider_config_key": "aws", "expressions": exprs, "schema_version": 0})
    };
    let mut ep = res(
        "aws_vpc_endpoint.this",
        "aws_vpc_endpoint",
        "this",
        json!({
        "private_dns_enabled": c(json!(true)), "security_group_ids": refs(&["var.security_group_ids"]), "service_name": refs(&["var.region", "each.key"]),
        "subnet_ids": refs(&["var.subnet_ids"]), "vpc_endpoint_type": c(json!("Interface")), "vpc_id": refs(&["var.vpc_id"]), "tags": refs(&["var.name", "each.key"])}),
    );
    ep["for_each_expression"] = refs(&["var.services"]);
    let endpoints_module = json!({"resources": [ep], "variables": {"vpc_id": {}, "subnet_ids": {}, "security_group_ids": {}, "services": {}, "region": {}, "name": {}},
        "outputs": {"ids": {"expression": refs(&["aws_vpc_endpoint.this"])}}});
    endpoints_module
}

/// Writes a plan of `n` VPCs to `w`, streaming (the plan is never held in memory).
pub fn write_plan(n: usize, w: &mut impl Write) -> io::Result<()> {
    write!(w, "{{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.8\",\"variables\":{{\"region\":{{\"value\":\"{REGION}\"}}}},")?;
    // planned_values: known attributes only, grouped by module instance.
    write!(
        w,
        "\"planned_values\":{{\"root_module\":{{\"child_modules\":["
    )?;
    for i in 0..n {
        if i > 0 {
            w.write_all(b",")?;
        }
        let rs = stack(i);
        let m = format!("module.stack[\"{}\"]", key(i));
        let (inner, nested): (Vec<&Res>, Vec<&Res>) = rs.iter().partition(|r| r.module == m);
        let list = |rs: &[&Res]| -> Value {
            Value::Array(rs.iter().map(|r| json!({"address": r.address(), "mode": "managed", "type": r.rtype, "name": r.name, "index": r.index,
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": r.after, "sensitive_values": {}})).collect())
        };
        let module = json!({"resources": list(&inner), "address": m, "child_modules": [{"resources": list(&nested), "address": format!("{m}.module.endpoints")}]});
        serde_json::to_writer(&mut *w, &module)?;
    }
    write!(w, "]}}}},\"resource_changes\":[")?;
    let mut first = true;
    for i in 0..n {
        for r in stack(i) {
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            let rc = json!({"address": r.address(), "module_address": r.module, "mode": "managed", "type": r.rtype, "name": r.name, "index": r.index,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null, "after": r.after, "after_unknown": r.unknown, "before_sensitive": false, "after_sensitive": {}}});
            serde_json::to_writer(&mut *w, &rc)?;
        }
    }
    w.write_all(b"],\"configuration\":")?;
    serde_json::to_writer(&mut *w, &configuration(n))?;
    w.write_all(b",\"timestamp\":\"2026-11-25T12:00:00Z\",\"applyable\":true,\"complete\":true,\"errored\":false}\n")?;
    Ok(())
}

/// The flat name of a stack resource: `this` of VPC 12 is `this_00012`.
fn flat_name(name: &str, i: usize) -> String {
    format!("{name}_{i:05}")
}

/// The address of a stack resource in the flat plan (no module: the VPC's number is in the name).
fn flat_address(r: &Res, i: usize) -> String {
    let idx = r
        .index
        .as_ref()
        .map(|k| format!("[\"{k}\"]"))
        .unwrap_or_default();
    format!("{}.{}{}", r.rtype, flat_name(r.name, i), idx)
}

/// The configuration resources of VPC `i` in the flat plan: the stack module's resources and the
/// endpoints module's one, renamed, their references pointing at the renamed resources.
fn flat_config_resources(template: &str, i: usize) -> String {
    let mut s = template.to_string();
    for (t, n) in [
        ("aws_vpc", "this"),
        ("aws_subnet", "private"),
        ("aws_route_table", "private"),
        ("aws_route_table_association", "private"),
        ("aws_vpc_endpoint", "s3"),
        ("aws_vpc_endpoint", "this"),
        ("aws_security_group", "endpoints"),
        ("aws_security_group", "app"),
        ("aws_vpc_security_group_ingress_rule", "endpoints_https"),
        ("aws_vpc_security_group_egress_rule", "app_https"),
        ("aws_ecs_cluster", "this"),
        ("aws_ecs_task_definition", "app"),
        ("aws_ecs_service", "app"),
        ("aws_iam_role", "execution"),
        ("aws_iam_role_policy_attachment", "execution"),
    ] {
        let to = flat_name(n, i);
        for end in ["\"", ".", "["] {
            s = s.replace(&format!("\"{t}.{n}{end}"), &format!("\"{t}.{to}{end}"));
        }
        s = s.replace(
            &format!("\"type\":\"{t}\",\"name\":\"{n}\""),
            &format!("\"type\":\"{t}\",\"name\":\"{to}\""),
        );
    }
    s
}

/// Writes a flat plan of `n` VPCs (no modules: every resource in the root module, as most real
/// root modules are), with a full `configuration` that lists every resource block.
pub fn write_flat_plan(n: usize, w: &mut impl Write) -> io::Result<()> {
    let refs = |r: &[&str]| json!({"references": r});
    let module = stack_module_config();
    let mut resources: Vec<Value> = module["resources"].as_array().cloned().unwrap_or_default();
    // The endpoints module's resource, its variables replaced by what the call passes.
    let mut ep = endpoints_module_config()["resources"][0].clone();
    ep["expressions"]["vpc_id"] = refs(&["aws_vpc.this.id", "aws_vpc.this"]);
    ep["expressions"]["subnet_ids"] = refs(&["aws_subnet.private"]);
    ep["expressions"]["security_group_ids"] = refs(&[
        "aws_security_group.endpoints.id",
        "aws_security_group.endpoints",
    ]);
    ep["for_each_expression"] = refs(&["local.services"]);
    resources.push(ep);
    // Real root modules set literal attributes too, recorded as `constant_value`s: tags here.
    for r in &mut resources {
        if let Some(e) = r["expressions"].as_object_mut() {
            e.insert("tags".into(), json!({"constant_value": tags("bench")}));
            e.insert(
                "lifecycle_note".into(),
                json!({"constant_value": "generated by the pullpath scale benchmark"}),
            );
        }
    }
    let mut template = String::new();
    for (j, r) in resources.iter().enumerate() {
        if j > 0 {
            template.push(',');
        }
        template.push_str(&r.to_string());
    }
    write!(w, "{{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.8\",\"variables\":{{\"region\":{{\"value\":\"{REGION}\"}},\"name\":{{\"value\":\"bench\"}}}},")?;
    write!(w, "\"planned_values\":{{\"root_module\":{{\"resources\":[")?;
    let mut first = true;
    for i in 0..n {
        for r in stack(i) {
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            let v = json!({"address": flat_address(&r, i), "mode": "managed", "type": r.rtype, "name": flat_name(r.name, i), "index": r.index,
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": r.after, "sensitive_values": {}});
            serde_json::to_writer(&mut *w, &v)?;
        }
    }
    write!(w, "]}}}},\"resource_changes\":[")?;
    let mut first = true;
    for i in 0..n {
        for r in stack(i) {
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            let rc = json!({"address": flat_address(&r, i), "mode": "managed", "type": r.rtype, "name": flat_name(r.name, i), "index": r.index,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null, "after": r.after, "after_unknown": r.unknown, "before_sensitive": false, "after_sensitive": {}}});
            serde_json::to_writer(&mut *w, &rc)?;
        }
    }
    w.write_all(b"],\"configuration\":{\"provider_config\":{\"aws\":{\"name\":\"aws\",\"full_name\":\"registry.terraform.io/hashicorp/aws\",\"version_constraint\":\"~> 6.0\",\"expressions\":{\"region\":{\"references\":[\"var.region\"]}}}},\"root_module\":{\"resources\":[")?;
    for i in 0..n {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(flat_config_resources(&template, i).as_bytes())?;
    }
    w.write_all(b"],\"variables\":{\"region\":{\"default\":\"us-west-2\"},\"name\":{}}}}")?;
    w.write_all(b",\"timestamp\":\"2026-11-25T12:00:00Z\",\"applyable\":true,\"complete\":true,\"errored\":false}\n")?;
    Ok(())
}

/// Writes a plan of `n` tiny resources (a few attributes each; half of types pullpath reads,
/// security group rules and routes, half of types it skips), only in `resource_changes`.
pub fn write_tiny_plan(n: usize, w: &mut impl Write) -> io::Result<()> {
    write!(
        w,
        "{{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.8\",\"resource_changes\":["
    )?;
    for i in 0..n {
        if i > 0 {
            w.write_all(b",")?;
        }
        match i % 4 {
            0 => write!(w, "{{\"address\":\"aws_security_group_rule.r{i}\",\"mode\":\"managed\",\"type\":\"aws_security_group_rule\",\"name\":\"r{i}\",\"change\":{{\"actions\":[\"create\"],\"before\":null,\"after\":{{\"type\":\"ingress\",\"from_port\":443,\"to_port\":443,\"protocol\":\"tcp\"}},\"after_unknown\":{{\"id\":true}}}}}}")?,
            1 => write!(w, "{{\"address\":\"aws_route.r{i}\",\"mode\":\"managed\",\"type\":\"aws_route\",\"name\":\"r{i}\",\"change\":{{\"actions\":[\"create\"],\"before\":null,\"after\":{{\"destination_cidr_block\":\"10.0.0.0/16\"}},\"after_unknown\":{{\"id\":true,\"route_table_id\":true}}}}}}")?,
            2 => write!(w, "{{\"address\":\"null_resource.r{i}\",\"mode\":\"managed\",\"type\":\"null_resource\",\"name\":\"r{i}\",\"change\":{{\"actions\":[\"create\"],\"before\":null,\"after\":{{\"triggers\":{{\"k\":\"v{i}\"}}}},\"after_unknown\":{{\"id\":true}}}}}}")?,
            _ => write!(w, "{{\"address\":\"random_id.r{i}\",\"mode\":\"managed\",\"type\":\"random_id\",\"name\":\"r{i}\",\"change\":{{\"actions\":[\"create\"],\"before\":null,\"after\":{{\"byte_length\":8,\"prefix\":null}},\"after_unknown\":{{\"b64_std\":true,\"hex\":true,\"id\":true}}}}}}")?,
        }
    }
    w.write_all(b"],\"timestamp\":\"2026-11-25T12:00:00Z\",\"applyable\":true,\"complete\":true,\"errored\":false}\n")?;
    Ok(())
}

/// Writes a tree of `n` HCL root modules of `files` files each under `dir`.
pub fn write_hcl_tree(dir: &std::path::Path, n: usize, files: usize) -> io::Result<()> {
    for i in 0..n {
        let k = key(i);
        let root = dir.join(&k);
        std::fs::create_dir_all(&root)?;
        let third = (i / 64) % 256;
        let base = (i % 64) * 4;
        let mut parts: Vec<String> = vec![
            format!("provider \"aws\" {{\n  region = var.region\n}}\n\nvariable \"region\" {{\n  default = \"{REGION}\"\n}}\n\nlocals {{\n  name = \"{k}\"\n}}\n"),
            format!("resource \"aws_vpc\" \"this\" {{\n  cidr_block           = \"10.{third}.{base}.0/22\"\n  enable_dns_support   = true\n  enable_dns_hostnames = true\n  tags                 = {{ Name = local.name }}\n}}\n"),
            format!("resource \"aws_subnet\" \"private\" {{\n  for_each          = {{ a = \"us-west-2a\", b = \"us-west-2b\" }}\n  vpc_id            = aws_vpc.this.id\n  availability_zone = each.value\n  cidr_block        = each.key == \"a\" ? \"10.{third}.{base}.0/24\" : \"10.{third}.{}.0/24\"\n}}\n\nresource \"aws_route_table\" \"private\" {{\n  vpc_id = aws_vpc.this.id\n}}\n\nresource \"aws_route_table_association\" \"private\" {{\n  for_each       = aws_subnet.private\n  subnet_id      = each.value.id\n  route_table_id = aws_route_table.private.id\n}}\n", base + 1),
            format!("resource \"aws_vpc_endpoint\" \"s3\" {{\n  vpc_id            = aws_vpc.this.id\n  service_name      = \"com.amazonaws.${{var.region}}.s3\"\n  vpc_endpoint_type = \"Gateway\"\n  route_table_ids   = [aws_route_table.private.id]\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Principal = \"*\", Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::prod-${{var.region}}-starport-layer-bucket/*\" }}]\n  }})\n}}\n"),
            "resource \"aws_vpc_endpoint\" \"interface\" {\n  for_each            = toset([\"ecr.api\", \"ecr.dkr\", \"logs\"])\n  vpc_id              = aws_vpc.this.id\n  service_name        = \"com.amazonaws.${var.region}.${each.key}\"\n  vpc_endpoint_type   = \"Interface\"\n  private_dns_enabled = true\n  subnet_ids          = [for s in aws_subnet.private : s.id]\n  security_group_ids  = [aws_security_group.endpoints.id]\n}\n".to_string(),
            "resource \"aws_security_group\" \"endpoints\" {\n  name   = \"endpoints\"\n  vpc_id = aws_vpc.this.id\n  ingress {\n    from_port       = 443\n    to_port         = 443\n    protocol        = \"tcp\"\n    security_groups = [aws_security_group.app.id]\n  }\n}\n".to_string(),
            "resource \"aws_security_group\" \"app\" {\n  name   = \"app\"\n  vpc_id = aws_vpc.this.id\n  egress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n".to_string(),
            "resource \"aws_ecs_cluster\" \"this\" {\n  name = local.name\n}\n\nresource \"aws_iam_role\" \"execution\" {\n  name = \"${local.name}-execution\"\n  assume_role_policy = jsonencode({\n    Version   = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Principal = { Service = \"ecs-tasks.amazonaws.com\" }, Action = \"sts:AssumeRole\" }]\n  })\n}\n\nresource \"aws_iam_role_policy_attachment\" \"execution\" {\n  role       = aws_iam_role.execution.name\n  policy_arn = \"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"\n}\n".to_string(),
            format!("resource \"aws_ecs_task_definition\" \"app\" {{\n  family                   = local.name\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode             = \"awsvpc\"\n  cpu                      = 256\n  memory                   = 512\n  execution_role_arn       = aws_iam_role.execution.arn\n  container_definitions = jsonencode([{{\n    name  = \"app\"\n    image = \"123456789012.dkr.ecr.${{var.region}}.amazonaws.com/{k}/app:1\"\n    logConfiguration = {{\n      logDriver = \"awslogs\"\n      options   = {{ awslogs-group = \"/ecs/{k}\", awslogs-region = var.region, awslogs-stream-prefix = \"app\" }}\n    }}\n  }}])\n}}\n"),
            "resource \"aws_ecs_service\" \"app\" {\n  name            = local.name\n  cluster         = aws_ecs_cluster.this.id\n  task_definition = aws_ecs_task_definition.app.arn\n  launch_type     = \"FARGATE\"\n  desired_count   = 2\n  network_configuration {\n    subnets          = [for s in aws_subnet.private : s.id]\n    security_groups  = [aws_security_group.app.id]\n    assign_public_ip = false\n  }\n}\n".to_string(),
        ];
        while parts.len() < files {
            parts.push(format!(
                "# padding file {}\nlocals {{\n  extra_{} = \"{k}\"\n}}\n",
                parts.len(),
                parts.len()
            ));
        }
        for (j, text) in parts.iter().take(files.max(1)).enumerate() {
            std::fs::write(root.join(format!("{j:02}.tf")), text)?;
        }
    }
    Ok(())
}

/// Writes the configuration the flat plan of `n` VPCs was made from into `dir`: one `.tf` file
/// per VPC declaring its resource blocks under the flat plan's names, and the root variables.
pub fn write_flat_source(dir: &std::path::Path, n: usize) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join("main.tf"),
        format!("provider \"aws\" {{\n  region = var.region\n}}\n\nvariable \"region\" {{\n  default = \"{REGION}\"\n}}\n\nvariable \"name\" {{}}\n"),
    )?;
    for i in 0..n {
        let k = key(i);
        let s = format!("{i:05}");
        let text = format!(
            r#"locals {{
  subnets_{s}  = {{ a = {{ az = "us-west-2a", cidr = "10.0.0.0/24" }}, b = {{ az = "us-west-2b", cidr = "10.0.1.0/24" }} }}
  services_{s} = toset(["ecr.api", "ecr.dkr", "logs"])
}}

resource "aws_vpc" "this_{s}" {{
  cidr_block           = "10.0.0.0/22"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = {{ Name = var.name }}
}}

resource "aws_subnet" "private_{s}" {{
  for_each          = local.subnets_{s}
  vpc_id            = aws_vpc.this_{s}.id
  availability_zone = each.value.az
  cidr_block        = each.value.cidr
  tags              = {{ Name = "${{var.name}}-${{each.key}}" }}
}}

resource "aws_route_table" "private_{s}" {{
  vpc_id = aws_vpc.this_{s}.id
  tags   = {{ Name = var.name }}
}}

resource "aws_route_table_association" "private_{s}" {{
  for_each       = aws_subnet.private_{s}
  subnet_id      = aws_subnet.private_{s}[each.key].id
  route_table_id = aws_route_table.private_{s}.id
}}

resource "aws_vpc_endpoint" "s3_{s}" {{
  vpc_id            = aws_vpc.this_{s}.id
  service_name      = "com.amazonaws.${{var.region}}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private_{s}.id]
}}

resource "aws_vpc_endpoint" "this_{s}" {{
  for_each            = local.services_{s}
  vpc_id              = aws_vpc.this_{s}.id
  service_name        = "com.amazonaws.${{var.region}}.${{each.key}}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for s in aws_subnet.private_{s} : s.id]
  security_group_ids  = [aws_security_group.endpoints_{s}.id]
  tags                = {{ Name = "${{var.name}}-${{each.key}}" }}
}}

resource "aws_security_group" "endpoints_{s}" {{
  name   = "{k}-endpoints"
  vpc_id = aws_vpc.this_{s}.id
}}

resource "aws_security_group" "app_{s}" {{
  name   = "{k}-app"
  vpc_id = aws_vpc.this_{s}.id
}}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https_{s}" {{
  security_group_id            = aws_security_group.endpoints_{s}.id
  referenced_security_group_id = aws_security_group.app_{s}.id
  from_port                    = 443
  to_port                      = 443
  ip_protocol                  = "tcp"
}}

resource "aws_vpc_security_group_egress_rule" "app_https_{s}" {{
  security_group_id = aws_security_group.app_{s}.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}}

resource "aws_ecs_cluster" "this_{s}" {{
  name = var.name
}}

resource "aws_iam_role" "execution_{s}" {{
  name               = "{k}-execution"
  assume_role_policy = "{{}}"
}}

resource "aws_iam_role_policy_attachment" "execution_{s}" {{
  role       = aws_iam_role.execution_{s}.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}}

resource "aws_ecs_task_definition" "app_{s}" {{
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution_{s}.arn
  container_definitions    = jsonencode([{{ name = "app", image = "123456789012.dkr.ecr.${{var.region}}.amazonaws.com/{k}/app:1" }}])
}}

resource "aws_ecs_service" "app_{s}" {{
  name            = var.name
  cluster         = aws_ecs_cluster.this_{s}.id
  task_definition = aws_ecs_task_definition.app_{s}.arn
  launch_type     = "FARGATE"
  desired_count   = 2
  network_configuration {{
    subnets          = [for s in aws_subnet.private_{s} : s.id]
    security_groups  = [aws_security_group.app_{s}.id]
    assign_public_ip = false
  }}
}}
"#
        );
        std::fs::write(dir.join(format!("vpc-{s}.tf")), text)?;
    }
    Ok(())
}
