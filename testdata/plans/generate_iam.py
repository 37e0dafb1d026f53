#!/usr/bin/env python3
"""Writes the IAM push-permission fixtures (PP405, PP406) as `terraform show -json` plans.

Each plan changes existing infrastructure (known ids and ARNs, a prior_state), the way a CI role
is usually edited. Run from this directory: `python3 generate_iam.py` (`--check`: exit 1 if a
committed output is stale). It also writes each plan's HCL twin, `../hcl/twins/<rule>/<name>/`
(see `hcl_twin`). The outputs are committed; `cargo test` only reads them.
"""
import json
import sys

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
    # PP405 fails: a layer upload action and PutImage, not the rest of the set.
    "ecr-push-permissions-incomplete/fail-partial-layer-upload.json": plan([repo("app"), role("ci"), role_policy("push", "ci", [
        {"Effect": "Allow", "Action": ["ecr:InitiateLayerUpload", "ecr:PutImage"], "Resource": APP}])], changed={"aws_iam_role_policy.push"}),
    # PP405 passes: PutImage with BatchGetImage is a retag through the API, not a push policy.
    "ecr-push-permissions-incomplete/pass-putimage-retag.json": plan([repo("app"), role("retag"), role_policy("retag", "retag", [
        {"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:PutImage"], "Resource": APP}])], changed={"aws_iam_role_policy.retag"}),
    # PP405 fails: ecr:* on the repository, but GetAuthorizationToken is never allowed on "*".
    "ecr-push-permissions-incomplete/fail-no-token.json": plan([repo("app"), role("ci"), role_policy("push", "ci", [
        {"Effect": "Allow", "Action": "ecr:*", "Resource": APP}])]),
    # PP405 fails: ECR Public actions without sts:GetServiceBearerToken.
    "ecr-push-permissions-incomplete/fail-public-without-sts.json": plan([public_repo("tool"), user("publisher"), user_policy("publish", "publisher", [
        {"Effect": "Allow", "Action": PUBLIC_PUSH, "Resource": TOOL},
        {"Effect": "Allow", "Action": "ecr-public:GetAuthorizationToken", "Resource": "*"}])]),
    # PP405 passes: a narrow push policy completed by the AWS managed power-user policy.
    "ecr-push-permissions-incomplete/pass-power-user-attached.json": plan([repo("app"), role("ci"),
        role_policy("push", "ci", [{"Effect": "Allow", "Action": ["ecr:InitiateLayerUpload", "ecr:PutImage"], "Resource": APP}]),
        attachment("power", "ci", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser")]),
    # PP405 unknown: a customer managed policy that is not in the input may grant the rest.
    "ecr-push-permissions-incomplete/unknown-customer-managed.json": plan([repo("app"), role("ci"),
        role_policy("push", "ci", [{"Effect": "Allow", "Action": ["ecr:InitiateLayerUpload", "ecr:PutImage"], "Resource": APP}]),
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

# ---------------------------------------------------------------------------------------------
# HCL twins: the configuration of each plan, written as people write it, in
# ../hcl/twins/<rule>/<name>/, and where its policies name an ARN of the input, a variant that
# writes those ARNs as references, in ../hcl/twins/<rule>/<name>-arn-references/.
# ---------------------------------------------------------------------------------------------

# The arguments a configuration sets, per resource type (the rest is computed).
ARGUMENTS = {
    "aws_iam_role": ("name", "assume_role_policy"),
    "aws_iam_user": ("name",),
    "aws_iam_group": ("name",),
    "aws_iam_role_policy": ("name", "role", "policy"),
    "aws_iam_user_policy": ("name", "user", "policy"),
    "aws_iam_group_policy": ("name", "group", "policy"),
    "aws_iam_role_policy_attachment": ("role", "policy_arn"),
    "aws_iam_group_membership": ("name", "group", "users"),
    "aws_ecr_repository": ("name", "image_tag_mutability"),
    "aws_ecrpublic_repository": ("repository_name",),
    "aws_ecr_repository_policy": ("repository", "policy"),
}
# Which attribute of another resource an argument names: (argument, type named) -> attribute.
NAMES = {
    ("role", "aws_iam_role"): "id", ("user", "aws_iam_user"): "name", ("group", "aws_iam_group"): "name",
    ("users", "aws_iam_user"): "name", ("repository", "aws_ecr_repository"): "name",
}
DOCS = {
    "ecr-push-permissions-incomplete/pass-private-complete.json": "PP405 passes: the complete private set (AWS's own example, BatchGetImage included).",
    "ecr-push-permissions-incomplete/pass-public-complete.json": "PP405 passes: the complete public set.",
    "ecr-push-permissions-incomplete/fail-partial-layer-upload.json": "PP405 fails: a layer upload action and PutImage, not the rest of the set.",
    "ecr-push-permissions-incomplete/pass-putimage-retag.json": "PP405 passes: PutImage with BatchGetImage is a retag through the API, not a push policy.",
    "ecr-push-permissions-incomplete/fail-no-token.json": "PP405 fails: ecr:* on the repository, but GetAuthorizationToken is never allowed on \"*\".",
    "ecr-push-permissions-incomplete/fail-public-without-sts.json": "PP405 fails: ECR Public actions without sts:GetServiceBearerToken.",
    "ecr-push-permissions-incomplete/pass-power-user-attached.json": "PP405 passes: a narrow push policy completed by the AWS managed power-user policy.",
    "ecr-push-permissions-incomplete/unknown-customer-managed.json": "PP405 unknown: a customer managed policy that is not in the input may grant the rest.",
    "ecr-push-permissions-incomplete/pass-through-group.json": "PP405 passes: the user's group grants the layer actions, the user the token.",
    "ecr-push-permissions-incomplete/fail-repository-policy-denies.json": "PP405 fails: the repository policy denies the CI role what its IAM policy allows.",
    "ecr-public-private-prefix-mixup/fail-ecr-actions-on-public.json": "PP406 fails: ecr: actions on an ECR Public repository (token statements right, so PP405 is quiet).",
    "ecr-public-private-prefix-mixup/fail-public-actions-on-private.json": "PP406 fails: ecr-public: actions on a private repository.",
    "ecr-public-private-prefix-mixup/fail-repository-policy-prefix.json": "PP406 fails: a private repository's policy written with ecr-public: actions.",
    "ecr-public-private-prefix-mixup/pass-prefixes-match.json": "PP406 passes: each kind's actions on its own kind of repository.",
}


def hcl_twin(name, doc, references):
    """{file name: text} of the configuration behind plan `doc`, and whether a policy names an
    ARN of the input. Roles, users, groups and repositories are named by reference (`role =
    aws_iam_role.ci.id`); the ARNs in policy documents are literal, as the plan has them, or with
    `references` written as references to the input's resources (`Resource =
    aws_ecr_repository.app.arn`)."""
    sys.dont_write_bytecode = True
    import tfhcl
    from tfplan import Raw
    resources = doc["prior_state"]["values"]["root_module"]["resources"]
    # Strings that are another resource's ARN, written as a reference to it.
    arns = {f"{r['address']}.arn": r["values"]["arn"] for r in resources if "arn" in r["values"]}
    used = set()

    def argument(rtype, arg, v):
        if arg in ("policy", "assume_role_policy"):
            return tfhcl.Call("jsonencode", tfhcl.substitute(json.loads(v), arns, used) if references else json.loads(v))
        for r in resources:
            attr = NAMES.get((arg, r["type"]))
            if attr and isinstance(v, list):
                v = [Raw(f"{r['address']}.{attr}") if x == r["values"]["name"] else x for x in v]
            elif attr and v == r["values"]["name"]:
                return Raw(f"{r['address']}.{attr}")
        return v

    files = {"main.tf": "", "iam.tf": ""}
    for r in resources:
        t = r["type"]
        pairs = [(a, tfhcl.value(argument(t, a, r["values"][a]), "  ")) for a in ARGUMENTS[t]]
        block = f'resource "{t}" "{r["name"]}" {{\n' + "".join(tfhcl.attributes(pairs, "  ")) + "}\n"
        f = "iam.tf" if t.startswith("aws_iam_") else "main.tf"
        files[f] += ("\n" if files[f] else "") + block
    header = [f"# HCL twin of testdata/plans/{name}:", f"# {DOCS[name]}",
              *(["# The ARNs of the input's repositories and roles are written as references."] if references else []),
              f"# {tfhcl.GENERATED.replace('generate.py', 'generate_iam.py')}", ""]
    files["main.tf"] = "\n".join(header) + (
        '\nprovider "aws" {\n  region = "%s"\n}\n\n' % REGION) + files["main.tf"]
    return {k: v for k, v in files.items() if v}, bool(used)


def main(argv):
    import os
    import sys as _sys
    check = "--check" in argv
    stale = []
    outputs = {}
    for name, doc in FIXTURES.items():
        outputs[name] = json.dumps(doc, indent=2, sort_keys=False) + "\n"
        twin, _ = hcl_twin(name, doc, references=False)
        for f, text in twin.items():
            outputs[os.path.join("..", "hcl", "twins", name[: -len(".json")], f)] = text
        # The same with references, where the policies name an ARN of the input.
        variant, named = hcl_twin(name, doc, references=True)
        for f, text in variant.items() if named else ():
            outputs[os.path.join("..", "hcl", "twins", name[: -len(".json")] + "-arn-references", f)] = text
    for path, text in outputs.items():
        old = open(path).read() if os.path.exists(path) else None
        if old == text:
            continue
        if check:
            stale.append(path)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    if stale:
        print("stale (run python3 generate_iam.py):\n  " + "\n  ".join(stale), file=_sys.stderr)
        return 1
    print(f"{'checked' if check else 'wrote'} {len(FIXTURES)} fixtures and their HCL twins")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
