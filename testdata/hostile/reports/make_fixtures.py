#!/usr/bin/env python3
"""Makes the hostile report fixtures (tests/hostile/reports.rs) from honest plans: every
occurrence of a value the reports quote (an image, a container name, a VPC id, a policy Sid) is
replaced by text that tries to inject into a report. JSON strings that hold JSON (container
definitions, policies) are rewritten inside, so that the plans stay valid."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")

# What a pull request can put into a plan to attack a report or a CI log.
HOSTILE = (
    "x\n::error::pwned\r\n::add-mask::x ##[warning]legacy \u001b[31mred\u001b[0m \u202eevil\u202c"
    " \u2066iso\u2069 \u0085c1 \u007fdel <!-- hidden </details><img src=x> `tick``` ``` | pipe |"
    " @org/team ![x](http://tracker.example/x.png) [link](http://evil.example)\n# heading\n> quote"
    "\n::warning::at-line-start \\` \t%0A%25"
)


def rewrite(v, old, new):
    if isinstance(v, dict):
        return {k: rewrite(x, old, new) for k, x in v.items()}
    if isinstance(v, list):
        return [rewrite(x, old, new) for x in v]
    if isinstance(v, str):
        try:
            inner = json.loads(v)
        except ValueError:
            inner = None
        if isinstance(inner, (dict, list)):
            return json.dumps(rewrite(inner, old, new))
        return v.replace(old, new)
    return v


def make(src, out, replacements):
    with open(os.path.join(ROOT, src)) as f:
        plan = json.load(f)
    for old, new in replacements:
        plan = rewrite(plan, old, new)
    with open(os.path.join(HERE, out), "w") as f:
        json.dump(plan, f, indent=1, ensure_ascii=False)
        f.write("\n")


make(
    "testdata/plans/image-unreachable/fail-docker-hub.json",
    "image.json",
    [
        ("nginx:1.27", "nginx:1.27 " + HOSTILE),
        ("orders-api", "orders " + HOSTILE),
    ],
)
make(
    "testdata/plans/s3-policy-blocks-layer-bucket/fail-app-bucket-only.json",
    "policy-sid.json",
    [("AppBucketOnly", "App " + HOSTILE)],
)
