"""Matching recorded calls and showing mismatches."""

from pathlib import Path
from typing import Any

from jobgen.diagnostics import SourcePos
from jobgen.groovy.report import call_line, calls_diff, check, matches
from jobgen.groovy.runner import Outcome
from jobgen.groovy.scenario import Scenario


def test_mappings_match_on_the_keys_written():
    actual = {"build": {"job": "x", "parameters": [{"string": {"name": "A", "value": "1"}}]}}
    assert matches({"build": {"job": "x"}}, actual)
    assert not matches({"build": {"job": "y"}}, actual)
    assert not matches({"build": {"job": "x", "wait": False}}, actual)


def test_lists_and_scalars_match_exactly():
    assert not matches([1], [1, 2])
    assert not matches("1", 1)
    assert not matches(True, 1)
    assert matches(1, 1.0)


def test_a_call_is_one_line_of_yaml():
    assert call_line({"stage": ["it's", "{...}"]}) == "stage: [it's, '{...}']"
    assert call_line({"echo": "a\nb"}) == 'echo: "a\\nb"'


def test_the_diff_shows_only_what_differs():
    expected = [{"build": {"job": "a"}}, {"build": {"job": "b"}}]
    actual = [{"build": {"job": "a", "parameters": []}}, {"build": {"job": "c", "parameters": []}}]
    diff = calls_diff(expected, actual)
    assert "     build: {job: a}" in diff
    assert "-build: {job: b}" in diff and "+build: {job: c}" in diff


def _outcome(tree: tuple[Any, ...], calls: tuple[Any, ...]) -> Outcome:
    return Outcome("c/s", "SUCCESS", calls, (), (), None, (), tree)


def _scenario(answers: dict[str, Any]) -> Scenario:
    pos = SourcePos("s.yaml")
    return Scenario("c/s", "s", "c", Path("/nonexistent/s.yaml"), pos, "j", pos, {}, answers)


def test_a_nested_golden_file_is_compared_with_the_tree_and_diffs_indented():
    tree = ({"stage": "a", "calls": [{"echo": "x"}]},)
    calls = ({"stage": "a"}, {"echo": "x"})
    golden = [{"stage": "a", "calls": [{"echo": "y"}]}]
    (problem,) = check(_scenario({}), _outcome(tree, calls), golden)
    assert "\n     stage: a\n    -  echo: y\n    +  echo: x" in problem
    # A flat golden file from before calls nested still compares with the flat list.
    assert check(_scenario({}), _outcome(tree, calls), [{"stage": "a"}, {"echo": "x"}]) == []


def test_an_answered_step_that_is_never_called_is_reported():
    problems = check(_scenario({"biuld": {"x": "FAILURE"}}), _outcome((), ()), None)
    assert problems == ["answers: `biuld` was answered but never called; did you mean `build`?"]
