"""`jobgen validate --explain COMPONENT`: the merged component, each value with its file:line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SETTINGS = """\
jobgen: 0.1.0
defaults:
  requirements: {labels: [linux]}
"""
TEMPLATE = """\
steps:
  build: make
  test: "make test PORT={{ port }}"
"""
COMPONENT = """\
component: api
extends: service
with: {port: 8080}
repo: https://example.com/api.git
"""


def _explain(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobgen", "validate", "--explain", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _repo(root: Path) -> None:
    (root / "jobgen.yaml").write_text(SETTINGS, "utf-8")
    (root / "components" / "_templates").mkdir(parents=True)
    (root / "components" / "_templates" / "service.yaml").write_text(TEMPLATE, "utf-8")
    (root / "components" / "api.yaml").write_text(COMPONENT, "utf-8")


def test_explain_prints_each_value_with_where_it_came_from(tmp_path: Path) -> None:
    _repo(tmp_path)
    done = _explain(tmp_path, "api")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "# merged from, nearest last: jobgen.yaml (defaults:), components/_templates/service.yaml,"
        " components/api.yaml\n"
        "component: api  # components/api.yaml:1\n"
        "repo: 'https://example.com/api.git'  # components/api.yaml:4\n"
        "steps:  # components/_templates/service.yaml:1\n"
        "  build: make  # components/_templates/service.yaml:2\n"
        "  test: make test PORT=8080  # components/_templates/service.yaml:3\n"
        "requirements:  # jobgen.yaml:3\n"
        "  labels:  # jobgen.yaml:3\n"
        "    - linux  # jobgen.yaml:3\n"
    )
    by_file = _explain(tmp_path, "components/api.yaml")
    assert by_file.stdout == done.stdout


def test_explain_an_unknown_component_is_a_usage_error(tmp_path: Path) -> None:
    _repo(tmp_path)
    done = _explain(tmp_path, "apj")
    assert done.returncode == 2
    assert "no component 'apj' (components: api)" in done.stderr


def test_explain_masks_a_secret(tmp_path: Path) -> None:
    _repo(tmp_path)
    (tmp_path / "components" / "_templates" / "service.yaml").write_text(
        TEMPLATE + "environments:\n  qa: {variables: {API_TOKEN: hunter2hunter2}}\n", "utf-8"
    )
    done = _explain(tmp_path, "api")
    assert "API_TOKEN: ****  # components/_templates/service.yaml:5" in done.stdout
    assert "hunter2" not in done.stdout + done.stderr
