//! How HCL inputs are named on the command line: a directory, `--recursive`, `.tf` files from a
//! pre-commit hook; one failing module does not stop the others.

use pullpath::input::{read_all, ReadOptions};
use pullpath::model::InputKind;

fn paths(m: &pullpath::model::Model) -> Vec<&str> {
    m.inputs.iter().map(|i| i.path.as_str()).collect()
}

#[test]
fn recursive_reads_every_root_module_and_reports_the_broken_one() {
    let opts = ReadOptions {
        recursive: true,
        ..ReadOptions::default()
    };
    let (m, errors) = read_all(&["testdata/hcl/recursive".to_string()], &opts);
    // modules/network is called by both live stacks: not a root. `.terraform` is skipped.
    assert_eq!(
        paths(&m),
        vec![
            "testdata/hcl/recursive/live/prod",
            "testdata/hcl/recursive/live/staging"
        ]
    );
    assert!(m.inputs.iter().all(|i| i.kind == InputKind::Hcl));
    assert!(m
        .resources
        .iter()
        .all(|r| r.address == "module.network.aws_vpc.this"));
    let prod = m.lookup(0, "module.network.aws_vpc.this").unwrap();
    assert_eq!(
        prod.get("cidr_block").and_then(|v| v.as_str()),
        Some("10.1.0.0/16")
    );
    assert_eq!(prod.region.as_deref(), Some("us-east-1"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "testdata/hcl/recursive/broken");
    let msg = format!("{:#}", errors[0].error);
    assert!(
        msg.starts_with("testdata/hcl/recursive/broken/main.tf:2:16: syntax error"),
        "{msg}"
    );
}

#[test]
fn tf_files_are_grouped_by_directory() {
    let inputs: Vec<String> = [
        "testdata/hcl/flat/ecs.tf",
        "testdata/hcl/modules/main.tf",
        "testdata/hcl/flat/network.tf",
        "testdata/hcl/flat/terraform.tfvars",
        "testdata/hcl/registry/.terraform/modules/vpc/main.tf",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (m, errors) = read_all(&inputs, &ReadOptions::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(paths(&m), vec!["testdata/hcl/flat", "testdata/hcl/modules"]);
    // Each input's resources are its own.
    assert!(m.lookup(0, "aws_ecs_service.app").is_some());
    assert!(m.lookup(1, "aws_ecs_service.api").is_some());
}

#[test]
fn one_failing_module_does_not_stop_the_others() {
    let inputs = vec![
        "testdata/hcl/modules".to_string(),
        "testdata/hcl/syntax_error".to_string(),
        "testdata/hcl/tofu".to_string(),
    ];
    let (m, errors) = read_all(&inputs, &ReadOptions::default());
    assert_eq!(paths(&m), vec!["testdata/hcl/modules", "testdata/hcl/tofu"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "testdata/hcl/syntax_error");
}

#[test]
fn a_directory_without_configuration_suggests_recursive() {
    let (m, errors) = read_all(&["testdata/hcl".to_string()], &ReadOptions::default());
    assert!(m.inputs.is_empty());
    let msg = format!("{:#}", errors[0].error);
    assert!(msg.contains("add --recursive"), "{msg}");
}

#[test]
fn command_line_variables_reach_the_reader() {
    let opts = ReadOptions {
        vars: vec!["image_tag=2.0.0".into()],
        ..ReadOptions::default()
    };
    let (m, errors) = read_all(&["testdata/hcl/flat".to_string()], &opts);
    assert!(errors.is_empty());
    let td = m.lookup(0, "aws_ecs_task_definition.app").unwrap();
    assert!(td
        .get("container_definitions")
        .and_then(|v| v.as_str())
        .is_some_and(|s| s.contains("orders:2.0.0")));
}

#[test]
fn region_option_fills_data_sources_without_a_provider_region() {
    let opts = ReadOptions {
        region: Some("eu-west-2".into()),
        ..ReadOptions::default()
    };
    let (m, _) = read_all(&["testdata/hcl/no_region".to_string()], &opts);
    let e = m.lookup(0, "aws_vpc_endpoint.ecr").unwrap();
    assert_eq!(
        e.get("service_name").and_then(|v| v.as_str()),
        Some("com.amazonaws.eu-west-2.ecr.dkr")
    );
    assert_eq!(m.inputs[0].region, None);
    let (m, _) = read_all(
        &["testdata/hcl/no_region".to_string()],
        &ReadOptions::default(),
    );
    let e = m.lookup(0, "aws_vpc_endpoint.ecr").unwrap();
    assert!(e
        .get("service_name")
        .and_then(|v| v.undecided_reason())
        .is_some_and(|r| r.contains("region is not set in the configuration (give --region)")));
}
