#!/usr/bin/env python3
"""Writes the IAM push-permission fixtures (PP405, PP406) as `terraform show -json` plans.

Each plan changes existing infrastructure (known ids and ARNs, a prior_state), the way a CI role
is usually edited. Run from this directory: `python3 generate_iam.py`. The outputs are committed;
`cargo test` only reads them.
"""
import json

ACCOUNT = "123456789012"
REGION = "us-east-1"


def role(name, address=None):
    address = address or f"aws_iam_role.{name}"
    return address, "aws_iam_role", {
        "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}", "id": name, "name": name, "path": "/",
        "assume_role_policy": json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        "inline_policy": [], "managed_policy_arns": [], "max_session_duration": 3600, "tags": {}, "tags_all": {},
    }


def user(name):
    return f"aws_iam_user.{name}", "aws_iam_user", {"arn": f"arn:aws:iam::{ACCOUNT}:user/{name}", "id": name, "name": name, "path": "/", "tags": {}, "tags_all": {}}


def group(name):
    return f"aws_iam_group.{name}", "aws_iam_group", {"arn": f"arn:aws:iam::{ACCOUNT}:group/{name}", "id": name, "name": name, "path": "/"}


def role_policy(label, role_name, statements):
    return f"aws_iam_role_policy.{label}", "aws_iam_role_policy", {
        "id": f"{role_name}:{label}", "name": label, "role": role_name,
        "policy": json.dumps({"Version": "2012-10-17", "Statement": statements}),
    }


def user_policy(label, user_name, statements):
    return f"aws_iam_user_policy.{label}", "aws_iam_user_policy", {
        "id": f"{user_name}:{label}", "name": label, "user": user_name,
        "policy": json.dumps({"Version": "2012-10-17", "Statement": statements}),
    }


def group_policy(label, group_name, statements):
    return f"aws_iam_group_policy.{label}", "aws_iam_group_policy", {
        "id": f"{group_name}:{label}", "name": label, "group": group_name,
        "policy": json.dumps({"Version": "2012-10-17", "Statement": statements}),
    }


def attachment(label, role_name, arn):
    return f"aws_iam_role_policy_attachment.{label}", "aws_iam_role_policy_attachment", {"id": f"{role_name}-{label}", "role": role_name, "policy_arn": arn}


def membership(label, group_name, users):
    return f"aws_iam_group_membership.{label}", "aws_iam_group_membership", {"id": label, "name": label, "group": group_name, "users": users}


def repo(name):
    return f"aws_ecr_repository.{name}", "aws_ecr_repository", {
        "arn": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{name}", "id": name, "name": name, "registry_id": ACCOUNT,
        "repository_url": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}", "image_tag_mutability": "MUTABLE", "tags": {}, "tags_all": {},
    }


def public_repo(name):
    return f"aws_ecrpublic_repository.{name}", "aws_ecrpublic_repository", {
        "arn": f"arn:aws:ecr-public::{ACCOUNT}:repository/{name}", "id": name, "repository_name": name, "registry_id": ACCOUNT,
        "repository_uri": f"public.ecr.aws/x1y2z3/{name}", "tags": {}, "tags_all": {},
    }


def repo_policy(label, repo_name, statements):
    return f"aws_ecr_repository_policy.{label}", "aws_ecr_repository_policy", {
        "id": repo_name, "repository": repo_name, "registry_id": ACCOUNT,
        "policy": json.dumps({"Version": "2012-10-17", "Statement": statements}),
    }


def plan(resources, changed=()):
    """A plan against existing infrastructure: every resource exists (prior_state); the ones in
    `changed` are updated in place, the others are no-ops."""
    values = []
    changes = []
    for address, rtype, attrs in resources:
        name = address.split(".")[-1]
        values.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                       "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                       "values": attrs, "sensitive_values": {}})
        changes.append({"address": address, "mode": "managed", "type": rtype, "name": name,
                        "provider_name": "registry.terraform.io/hashicorp/aws",
                        "change": {"actions": ["update"] if address in changed else ["no-op"], "before": attrs, "after": attrs,
                                   "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}})
    return {
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": values}},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": values}}},
        "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                                                       "expressions": {"region": {"constant_value": REGION}}}},
                          "root_module": {"resources": []}},
        "timestamp": "2026-11-25T12:00:00Z", "applyable": True, "complete": True, "errored": False,
    }


APP = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/app"
TOOL = f"arn:aws:ecr-public::{ACCOUNT}:repository/tool"
PRIVATE_PUSH = ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"]
PUBLIC_PUSH = [a.replace("ecr:", "ecr-public:") for a in PRIVATE_PUSH]
TOKEN = {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
PUBLIC_TOKEN = {"Effect": "Allow", "Action": ["ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"], "Resource": "*"}

FIXTURES = {
    # PP405 passes: the complete private set (AWS's own example, BatchGetImage included).
    "ecr-push-permissions-incomplete/pass-private-complete.json": plan([repo("app"), role("ci"), role_policy("push", "ci", [
        {"Effect": "Allow", "Action": PRIVATE_PUSH + ["ecr:BatchGetImage"], "Resource": APP}, TOKEN])]),
    # PP405 passes: the complete public set.
    "ecr-push-permissions-incomplete/pass-public-complete.json": plan([public_repo("tool"), user("publisher"), user_policy("publish", "publisher", [
        {"Effect": "Allow", "Action": PUBLIC_PUSH, "Resource": TOOL}, PUBLIC_TOKEN])]),
    # PP405 fails: PutImage only.
    "ecr-push-permissions-incomplete/fail-putimage-only.json": plan([repo("app"), role("ci"), role_policy("push", "ci", [
        {"Effect": "Allow", "Action": "ecr:PutImage", "Resource": APP}])], changed={"aws_iam_role_policy.push"}),
    # PP405 fails: ecr:* on the repository, but GetAuthorizationToken is never allowed on "*".
    "ecr-push-permissions-incomplete/fail-no-token.json": plan([repo("app"), role("ci"), role_policy("push", "ci", [
        {"Effect": "Allow", "Action": "ecr:*", "Resource": APP}])]),
    # PP405 fails: ECR Public actions without sts:GetServiceBearerToken.
    "ecr-push-permissions-incomplete/fail-public-without-sts.json": plan([public_repo("tool"), user("publisher"), user_policy("publish", "publisher", [
        {"Effect": "Allow", "Action": PUBLIC_PUSH, "Resource": TOOL},
        {"Effect": "Allow", "Action": "ecr-public:GetAuthorizationToken", "Resource": "*"}])]),
    # PP405 passes: a narrow push policy completed by the AWS managed power-user policy.
    "ecr-push-permissions-incomplete/pass-power-user-attached.json": plan([repo("app"), role("ci"),
        role_policy("push", "ci", [{"Effect": "Allow", "Action": "ecr:PutImage", "Resource": APP}]),
        attachment("power", "ci", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser")]),
    # PP405 unknown: a customer managed policy that is not in the input may grant the rest.
    "ecr-push-permissions-incomplete/unknown-customer-managed.json": plan([repo("app"), role("ci"),
        role_policy("push", "ci", [{"Effect": "Allow", "Action": "ecr:PutImage", "Resource": APP}]),
        attachment("shared", "ci", f"arn:aws:iam::{ACCOUNT}:policy/shared-ci")]),
    # PP405 passes: the user's group grants the layer actions, the user the token.
    "ecr-push-permissions-incomplete/pass-through-group.json": plan([repo("app"), user("bot"), group("pushers"), membership("pushers", "pushers", ["bot"]),
        group_policy("layers", "pushers", [{"Effect": "Allow", "Action": PRIVATE_PUSH, "Resource": APP}]),
        user_policy("token", "bot", [TOKEN])]),
    # PP405 fails: the repository policy denies the CI role what its IAM policy allows.
    "ecr-push-permissions-incomplete/fail-repository-policy-denies.json": plan([repo("app"), role("ci"),
        role_policy("push", "ci", [{"Effect": "Allow", "Action": PRIVATE_PUSH, "Resource": APP}, TOKEN]),
        repo_policy("app", "app", [{"Sid": "NoCiWrites", "Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/ci"},
                                     "Action": ["ecr:PutImage", "ecr:InitiateLayerUpload"]}])]),
    # PP406 fails: ecr: actions on an ECR Public repository (token statements right, so PP405 is quiet).
    "ecr-public-private-prefix-mixup/fail-ecr-actions-on-public.json": plan([public_repo("tool"), role("ci"), role_policy("publish", "ci", [
        {"Sid": "Publish", "Effect": "Allow", "Action": ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability"], "Resource": TOOL},
        TOKEN])]),
    # PP406 fails: ecr-public: actions on a private repository.
    "ecr-public-private-prefix-mixup/fail-public-actions-on-private.json": plan([repo("app"), role("ci"), role_policy("push", "ci", [
        {"Effect": "Allow", "Action": PUBLIC_PUSH, "Resource": APP}, PUBLIC_TOKEN])]),
    # PP406 fails: a private repository's policy written with ecr-public: actions.
    "ecr-public-private-prefix-mixup/fail-repository-policy-prefix.json": plan([repo("app"), repo_policy("app", "app", [
        {"Sid": "AllowPull", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": ["ecr-public:BatchCheckLayerAvailability"]}])]),
    # PP406 passes: each kind's actions on its own kind of repository.
    "ecr-public-private-prefix-mixup/pass-prefixes-match.json": plan([repo("app"), public_repo("tool"), role("ci"), role_policy("push", "ci", [
        {"Effect": "Allow", "Action": PRIVATE_PUSH, "Resource": APP}, TOKEN,
        {"Effect": "Allow", "Action": PUBLIC_PUSH, "Resource": TOOL}, PUBLIC_TOKEN])]),
}

for name, doc in FIXTURES.items():
    with open(name, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write("\n")
print(f"wrote {len(FIXTURES)} fixtures")
