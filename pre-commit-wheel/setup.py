# The hook repository of pullpath's pre-commit hooks that install the wheel (no Rust, no
# compile), as ruff-pre-commit does for ruff: pre-commit's `language: python` pip-installs the
# hook repository, and this placeholder package only depends on the pullpath wheel of the
# release, whose `pullpath` executable the hooks run. The release workflow publishes this
# directory as its own repository (README: "pre-commit"); tests/action.rs checks that the pinned
# version is the one of Cargo.toml.
from setuptools import setup

setup(
    name="pre_commit_placeholder_package",
    version="0.0.0",
    install_requires=["pullpath==0.1.0"],
)
