"""Typed parameters: a default must suit its type, and the fields must agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.commands.validate import format_text
from jobgen.load.loader import load

HEAD = "component: ops\njobs:\n  diagnose:\n    groovy: ops/d.groovy\n    parameters:\n"


def _validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, params: str) -> str:
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n", "utf-8")
    (tmp_path / "components" / "ops").mkdir(parents=True)
    (tmp_path / "components" / "ops" / "d.groovy").write_text("echo 'x'\n", "utf-8")
    (tmp_path / "components" / "ops.yaml").write_text(HEAD + params, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = load([Path("components")])
    return format_text(result.diagnostics, len(result.files))


@pytest.mark.parametrize(
    ("param", "message"),
    [
        (
            "DRY: {type: boolean, default: 'yes please'}",
            "6:37: error: parameter DRY: a boolean's default is true or false",
        ),
        ("X: {default: true}", "6:20: error: parameter X: a string default cannot be true/false"),
        (
            "D: {type: choice, choices: [a, b], default: c}",
            "6:51: error: parameter D: default 'c' is not one of the choices",
        ),
        ("D: {type: choice}", "6:7: error: parameter D: type choice needs `choices: [...]`"),
        ("D: {choices: [a]}", "6:11: error: parameter D: `choices:` needs `type: choice`"),
        (
            "F: {type: boolean, required: true}",
            "6:26: error: parameter F: a boolean parameter always has a value",
        ),
        (
            "K: {type: credentials, default: hunter2 is my key}",
            "6:39: error: parameter K: a credentials default is a credential id",
        ),
        ("T: {type: integer}", "6:17: error: jobs.diagnose.parameters.T.type"),
    ],
)
def test_a_bad_typed_parameter_is_reported_where_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, param: str, message: str
) -> None:
    text = _validate(tmp_path, monkeypatch, f"      {param}\n")
    assert f"components/ops.yaml:{message}" in text, text


def test_good_typed_parameters_load_with_their_types(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = (
        "      B: {type: boolean, default: false}\n"
        "      C: {type: choice, choices: [1.10, '2.0'], default: '2.0'}\n"
        "      N: {type: node}\n"
    )
    assert _validate(tmp_path, monkeypatch, params).startswith("0 errors")
    (component,) = load([Path("components")]).repo.components
    b, c, n = component.jobs[0].parameters
    assert (b.type, b.default) == ("boolean", "false")
    assert (c.type, c.choices, c.default) == ("choice", ("1.10", "2.0"), "2.0")
    assert n.type == "node"
