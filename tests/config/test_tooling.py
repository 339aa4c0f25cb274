"""The pre-commit hooks run the tool versions that requirements-dev.txt pins for make lint."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hooks_use_the_versions_pinned_for_make_lint():
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    pinned = dict(line.split("==") for line in lines if "==" in line)
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    deps = [dep for hook in hooks for dep in hook.get("additional_dependencies", [])]
    used = [tuple(dep.split("==")) for dep in deps]
    assert used
    assert [(name, pinned.get(name)) for name, _version in used] == used
