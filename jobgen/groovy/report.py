"""Comparing a scenario's outcome with what it expects, and showing the mismatch as a diff.

Matching rule everywhere: a mapping you write matches when every key you wrote
matches (keys you leave out are not checked); lists match item by item and
must have the same length; anything else must be equal, type included.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import yaml

from jobgen.groovy.runner import Outcome
from jobgen.groovy.scenario import Scenario

# These stop a scenario whatever it expects: the job could not have run in Jenkins either.
ALWAYS_FAILS = ("unmocked", "rejected", "compile", "timeout", "internal")


def matches(expected: Any, actual: Any) -> bool:
    """Whether `actual` has everything `expected` says (see the module docstring)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and matches(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    return bool(type(expected) is type(actual) or _both_numbers(expected, actual)) and (
        expected == actual
    )


def _both_numbers(a: Any, b: Any) -> bool:
    return isinstance(a, int | float) and isinstance(b, int | float)


def project(expected: Any, actual: Any) -> Any:
    """`actual` cut down to the keys `expected` names, so a diff shows only what was asked."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {k: project(v, actual[k]) for k, v in expected.items() if k in actual}
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [project(e, a) for e, a in zip(expected, actual, strict=True)]
    return actual


class _OneLineDumper(yaml.SafeDumper):
    """Flow style, and strings with line breaks double-quoted so `\n` stays an escape."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if "\n" in value or "\r" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_OneLineDumper.add_representer(str, _represent_str)


def _one_line(value: Any) -> str:
    return yaml.dump(
        value,
        Dumper=_OneLineDumper,
        default_flow_style=True,
        width=1 << 30,
        allow_unicode=True,
        sort_keys=False,
    ).strip()


def flow(value: Any) -> str:
    """One-line YAML for a value (flow style), as golden files and diffs show it."""
    return _one_line({"_": value})[len("{_: ") : -1]


def call_line(call: Any) -> str:
    """A recorded call as `step: args` on one line."""
    if isinstance(call, dict) and len(call) == 1:
        return _one_line(call)[1:-1]
    return flow(call)


def check(scenario: Scenario, outcome: Outcome, golden: Sequence[Any] | None) -> list[str]:
    """Every way the outcome differs from the scenario and its golden calls; empty if none."""
    expected = scenario.expected
    problems: list[str] = []
    error = outcome.error
    if error and error.kind in ALWAYS_FAILS:
        problems.append(error.describe())
    elif outcome.result != expected.result:
        stopped = f"\n    stopped by {error.describe()}" if error else ""
        problems.append(f"result: expected {expected.result}, got {outcome.result}{stopped}")
    if expected.error is not None and (error is None or expected.error not in error.message):
        got = error.message if error else "no error"
        problems.append(f"error: expected a message containing {expected.error!r}, got {got!r}")
    if expected.calls is not None and not _same_calls(expected.calls, outcome.calls):
        problems.append("calls differ:\n" + calls_diff(expected.calls, outcome.calls))
    if expected.calls_include is not None:
        problems.extend(_include_problems(expected.calls_include, outcome.calls))
    for call in expected.calls_exclude or ():
        made = [n + 1 for n, c in enumerate(outcome.calls) if matches(call, c)]
        if made:
            problems.append(f"calls_exclude: {call_line(call)} was made (call {made[0]})")
    if expected.checks_report:
        problems.extend(_report_problems(expected.report, outcome.reports))
    if golden is not None and list(golden) != list(outcome.calls):
        diff = calls_diff(golden, outcome.calls, "golden", "actual")
        problems.append(
            f"calls differ from {scenario.golden.name} (`jobgen test --update`):\n{diff}"
        )
    return problems


def _same_calls(expected: Sequence[Any], actual: Sequence[Any]) -> bool:
    return len(expected) == len(actual) and all(
        matches(e, a) for e, a in zip(expected, actual, strict=True)
    )


def calls_diff(
    expected: Sequence[Any], actual: Sequence[Any], left: str = "expected", right: str = "actual"
) -> str:
    """A unified diff of two call lists, one call a line; partial matches show as equal."""
    want = [call_line(c) for c in expected]
    got = [
        call_line(project(expected[i], c)) if _same_step(expected, i, c) else call_line(c)
        for i, c in enumerate(actual)
    ]
    lines = difflib.unified_diff(want, got, left, right, lineterm="", n=3)
    return "\n".join("    " + line for line in lines)


def _same_step(expected: Sequence[Any], index: int, call: Any) -> bool:
    if index >= len(expected):
        return False
    want = expected[index]
    return isinstance(want, dict) and isinstance(call, dict) and want.keys() == call.keys()


def _include_problems(wanted: Sequence[Any], actual: Sequence[Any]) -> list[str]:
    position = 0
    for index, call in enumerate(wanted):
        found = next((i for i in range(position, len(actual)) if matches(call, actual[i])), None)
        if found is None:
            listing = "\n".join(f"    {n + 1:3}. {call_line(c)}" for n, c in enumerate(actual))
            after = f" after call {position}" if position else ""
            return [
                f"calls_include: call {index + 1} not found{after}: {call_line(call)}\n"
                f"  the calls were:\n{listing}"
            ]
        position = found + 1
    return []


def _report_problems(expected: Any, reports: Sequence[Any]) -> list[str]:
    if expected is None:
        if reports:
            return [f"report: expected none posted, got {flow(list(reports))}"]
        return []
    if len(reports) != 1:
        return [f"report: expected one report posted, got {len(reports)}: {flow(list(reports))}"]
    if not matches(expected, reports[0]):
        want = yaml.safe_dump(expected, allow_unicode=True, sort_keys=False).splitlines()
        shown = project(expected, reports[0])
        got = yaml.safe_dump(shown, allow_unicode=True, sort_keys=False).splitlines()
        diff = difflib.unified_diff(want, got, "expected", "posted", lineterm="")
        return ["report differs:\n" + "\n".join("    " + line for line in diff)]
    return []
