use super::analysis::{Reach, Scope, ScopeKind};
use super::{declare_rule, Finding, Hop};

declare_rule! {
    /// ## What it does
    /// Reports a workload whose subnets or VPC cannot be determined from the input, so that its
    /// pull path could not be checked.
    ///
    /// ## Why is this bad?
    /// A gate must not look green because it could not see: a workload pullpath cannot place
    /// is a workload nobody checked. Common causes: subnets passed through `local` values (a
    /// plan does not record them), subnets from another stack known only by id (give that
    /// stack's state as a second input), a module that `terraform init` has not installed
    /// (HCL input), or an ECS service on EC2 whose container instances (Auto Scaling group,
    /// launch template, capacity provider) are defined in another stack: on EC2 the instances
    /// pull, so their network is what counts, never the task's `network_configuration`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "app" {
    ///   name            = "app"
    ///   launch_type     = "FARGATE"
    ///   task_definition = aws_ecs_task_definition.app.arn
    ///   network_configuration {
    ///     subnets = data.terraform_remote_state.network.outputs.private_subnets
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give pullpath the missing part: the network stack's state or plan as another input
    /// (`pullpath check services.json network.json`), `--var` values for the variables, or run
    /// `terraform init` so modules are installed. Or declare the workload:
    /// `--workload vpc-0123456789abcdef0=fargate`.
    ///
    /// ## References
    /// - pullpath README: "Inputs" (several stacks in one run)
    pub static RULE = {
        code: "PP901",
        name: "workload-network-unresolved",
        severity: Warning,
        summary: "a workload's subnets or VPC cannot be determined from the input",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    if scope.kind == ScopeKind::Global {
        return;
    }
    for f in &scope.workloads {
        let w = scope.workload(f);
        let why = match (&w.vpc, &w.subnets_unknown, &f.reach) {
            (crate::graph::Fact::Unknown(why), _, _) => {
                format!("the VPC of {} cannot be determined: {why}", w.node.name())
            }
            (_, Some(why), _) => format!(
                "the subnets of {} are only partly known: {why}",
                w.node.name()
            ),
            (_, None, Reach::Unknown(_))
                if w.subnets
                    .iter()
                    .any(|&s| scope.net.subnets[s].node.is_external()) =>
            {
                format!("some subnets of {} are not in the input, so whether they reach the internet is not known", w.node.name())
            }
            _ => continue,
        };
        out.push(
            Finding::fail(&RULE, w.node.name(), why)
                .with_workload(Some(w.node.name()))
                .with_path(vec![Hop::Workload(w.node.name())])
                .with_fix("give pullpath the stack that defines the network as another input (its state or plan; a network read through terraform_remote_state is known in a plan of this stack, not in its source), set the variables (--var, --var-file), run `terraform init` for HCL input, or declare the workload with --workload VPC=PLATFORM")
                .at(w.node.location.clone(), w.node.input),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    fn pp901_messages(src: &str) -> Vec<String> {
        check_hcl(&[("main.tf", src)])
            .into_iter()
            .filter(|f| f.rule.code == "PP901")
            .map(|f| f.message)
            .collect()
    }

    /// ECS on EC2 whose container instances are not in the input (issue 18): their network is
    /// unknown, never taken from the tasks' `network_configuration`.
    #[test]
    fn ecs_on_ec2_without_its_instances() {
        let m = pp901_messages(&ecs_on_ec2(ALL_ENDPOINTS));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("the container instances of cluster main are not in the input"),
            "{m:?}"
        );
    }

    /// ECS on EC2 with all endpoints and its instances, the service launched with
    /// `launch_type = "EC2"` and the cluster's capacity providers moved to another cluster:
    /// only the instances' user data can tie them to the cluster.
    fn launched_on_ec2_without_capacity_providers() -> String {
        ecs_on_ec2(&[ALL_ENDPOINTS.concat().as_str(), ECS_AGENT, EC2_INSTANCES])
            .replace(
                "  capacity_provider_strategy {\n    capacity_provider = \"ec2\"\n    weight            = 1\n  }\n",
                "  launch_type     = \"EC2\"\n",
            )
            .replace(
                "resource \"aws_ecs_cluster_capacity_providers\" \"main\"",
                "resource \"aws_ecs_cluster_capacity_providers\" \"other\"",
            )
            .replace(
                "  cluster_name       = aws_ecs_cluster.main.name\n",
                "  cluster_name       = \"other\"\n",
            )
    }

    /// `launch_type = "EC2"` without capacity providers: the instances are those whose user
    /// data joins the cluster (`ECS_CLUSTER=main`), here an Auto Scaling group's launch template.
    #[test]
    fn user_data_joins_the_cluster() {
        let src = launched_on_ec2_without_capacity_providers();
        assert!(src.contains("launch_type     = \"EC2\""));
        assert_eq!(verdicts(&check_hcl(&[("main.tf", &src)])), []);
        // A script whose first line is the whole script (a literal `\n` in the shebang line, as
        // in ecosystem row 25) runs nothing: the instances do not join this cluster.
        let broken = src.replace(
            "    #!/bin/bash\n    echo ECS_CLUSTER=",
            "    #!/bin/bash\\necho ECS_CLUSTER=",
        );
        assert_ne!(broken, src);
        let m = pp901_messages(&broken);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].contains("the container instances of cluster main are not in the input"),
            "{m:?}"
        );
    }

    /// The user data may come from `base64encode(templatefile(...))`: decoded where it is
    /// known, it joins the cluster the same way.
    #[test]
    fn user_data_from_a_template_file_joins_the_cluster() {
        let src = launched_on_ec2_without_capacity_providers();
        let start = src.find("  user_data = base64encode(<<-EOT").unwrap();
        let end = start + src[start..].find("  EOT\n  )\n").unwrap() + "  EOT\n  )\n".len();
        let src = format!(
            "{}  user_data = base64encode(templatefile(\"${{path.module}}/user-data.sh\", {{ cluster = aws_ecs_cluster.main.name }}))\n{}",
            &src[..start],
            &src[end..]
        );
        let script =
            "#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\nECS_CLUSTER=${cluster}\nEOF\n";
        let f = check_hcl(&[("main.tf", &src), ("user-data.sh", script)]);
        assert_eq!(verdicts(&f), []);
        // Another cluster's instances do not serve this one.
        let other = script.replace("${cluster}", "batch");
        let m: Vec<String> = check_hcl(&[("main.tf", &src), ("user-data.sh", &other)])
            .into_iter()
            .filter(|f| f.rule.code == "PP901")
            .map(|f| f.message)
            .collect();
        assert_eq!(m.len(), 1, "{m:?}");
    }
}
