"""Cross-file checks on model objects built by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.diagnostics import SourcePos
from jobgen.load.checks import dependency_cycles, jenkins_name_problem, run_checks
from jobgen.load.model import Component, Name, Repo


def _component(name: str, *deps: str) -> Component:
    pos = SourcePos(f"{name}.yaml", 1, 12)
    names = tuple(Name(d, SourcePos(f"{name}.yaml", 2, 16 + 3 * i)) for i, d in enumerate(deps))
    return Component(name=name, file=Path(f"{name}.yaml"), pos=pos, dependencies=names)


def _repo(*components: Component) -> Repo:
    return Repo(root=Path("/nonexistent"), components=components)


def test_each_cycle_is_reported_once_with_its_path() -> None:
    repo = _repo(
        _component("a", "b"),
        _component("b", "c"),
        _component("c", "a"),
        _component("d", "d"),
        _component("e", "a"),  # leads into the cycle but is not part of it
    )
    messages = [d.message for d in dependency_cycles(repo)]
    assert messages == ["dependency cycle: a -> b -> c -> a", "dependency cycle: d -> d"]


def test_an_acyclic_diamond_is_fine() -> None:
    repo = _repo(
        _component("top", "left", "right"),
        _component("left", "base"),
        _component("right", "base"),
        _component("base"),
    )
    assert run_checks(repo) == []


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("process_model", ""),
        ("qa (eu) +1, ~x", ""),
        ("naïve", ""),
        ("", "no name is specified"),
        ("  ", "no name is specified"),
        ("..", "“..” is not an allowed name"),
        ("a/b", "‘/’ is an unsafe character"),
        ("why?", "‘?’ is an unsafe character"),
        ("a;b", "‘;’ is an unsafe character"),
        ("end.", "a name cannot end with ‘.’"),
        ("tab\there", "no control code is allowed (U+0009)"),
    ],
)
def test_jenkins_name_rules(name: str, problem: str) -> None:
    assert jenkins_name_problem(name) == problem


def test_an_unused_component_variable_is_a_warning_at_its_name(tmp_path: Path) -> None:
    from jobgen.load.loader import load

    (tmp_path / "x.yaml").write_text(
        "component: x\nrepo: r\nvariables: {USED: 1, TYPO: 2}\nsteps:\n  build: echo $USED\n"
    )
    found = [d for d in load([tmp_path]).diagnostics if d.code == "unused-variable"]
    assert [(d.pos.line, d.pos.col, d.severity, d.message) for d in found] == [
        (3, 22, "warning", "variable `TYPO` of x is not used by any step")
    ]


def test_a_variable_named_like_a_parameter_jobgen_passes_is_an_error_at_its_name(
    tmp_path: Path,
) -> None:
    # The generated parameter won and the user's value was silently dropped.
    from jobgen.load.loader import load

    (tmp_path / "x.yaml").write_text(
        "component: x\nrepo: r\n"
        "variables: {GIT_HASH: abc, BUILD_BUILD_NUMBER: '7', JOBGEN_PREVIOUS_RESULT: x}\n"
        "steps:\n  build: {sh: echo $GIT_HASH $BUILD_BUILD_NUMBER, produces: [o]}\n"
        "  test: {sh: echo, uses: [build]}\n"
        "environments:\n  qa: {variables: {TEST_BUILD_NUMBER: '1', FINE: x}}\n"
    )
    found = [d for d in load([tmp_path]).diagnostics if d.code == "reserved-variable"]
    assert [(d.pos.line, d.pos.col, d.severity) for d in found] == [
        (3, 13, "error"),
        (3, 28, "error"),
        (3, 53, "error"),
        (8, 20, "error"),
    ]
    assert found[0].message == "variable `GIT_HASH` of x is a parameter jobgen passes itself"
    assert "rename it" in found[0].hint
