"""Comparing a scenario's outcome with what it expects, and showing the mismatch as a diff.

Matching rule everywhere: a mapping you write matches when every key you wrote
matches (keys you leave out are not checked); lists match item by item and
must have the same length; anything else must be equal, type included.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from jobgen.groovy.calltree import (
    CHILDREN,
    Made,
    Wanted,
    describe,
    head,
    is_within,
    nested,
    walk,
    wanted,
)
from jobgen.groovy.runner import Outcome
from jobgen.groovy.scenario import ANSWER_KEYS, Scenario
from jobgen.groovy.values import call_line, flow, matches, project
from jobgen.suggest import closest

__all__ = ["call_line", "check", "flow", "matches", "project"]

# These stop a scenario whatever it expects: the job could not have run in Jenkins either.
ALWAYS_FAILS = (
    "unmocked",
    "rejected",
    "compile",
    "timeout",
    "internal",
    "signature",
    "noncps",
    "library",
)


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
    made = list(walk(outcome.tree)) if outcome.tree else [Made(c, ()) for c in outcome.calls]
    if expected.calls_include is not None:
        problems.extend(_include_problems(expected.calls_include, made))
    for item in expected.calls_exclude or ():
        want = wanted(item)
        found = [n + 1 for n, m in enumerate(made) if _is(want, m)]
        if found:
            problems.append(f"calls_exclude: {describe(want)} was made (call {found[0]})")
    if expected.checks_report:
        problems.extend(_report_problems(expected.report, outcome.reports))
    problems.extend(_never_called(scenario, outcome))
    # A golden file written before calls nested is compared with the flat list.
    actual = list(outcome.tree) if golden is not None and nested(golden) else list(outcome.calls)
    if golden is not None and list(golden) != actual:
        diff = calls_diff(_lines_of(golden), _lines_of(actual), "golden", "actual")
        problems.append(
            f"calls differ from {scenario.golden.name} (`jobgen test --update`):\n{diff}"
        )
    return problems


def _is(want: Wanted, made: Made) -> bool:
    return matches(want.call, made.call) and is_within(want.within, made.enclosing)


def _never_called(scenario: Scenario, outcome: Outcome) -> list[str]:
    # An answer for a step the catalogue does not know, which the run never called,
    # is most likely a misspelt step name: say so rather than pass quietly.
    if outcome.error is not None and outcome.error.kind in ALWAYS_FAILS:
        return []
    called = {step for call in outcome.calls if isinstance(call, dict) for step in call}
    return [
        f"answers: `{step}` was answered but never called{_close(step)}"
        for step in scenario.answers
        if step not in ANSWER_KEYS and step not in called
    ]


def _close(step: str) -> str:
    close = closest(step, ANSWER_KEYS)
    return f"; did you mean `{close}`?" if close is not None else ""


def _lines_of(calls: Sequence[Any], indent: str = "") -> list[Any]:
    # A tree as the golden file writes it: one call a line, nested calls indented.
    lines: list[Any] = []
    for call in calls:
        if isinstance(call, dict) and CHILDREN in call and len(call) > 1:
            lines.append(_Line(indent, head(call)))
            lines.extend(_lines_of(call[CHILDREN], indent + "  "))
        else:
            lines.append(_Line(indent, call))
    return lines


@dataclass(frozen=True)
class _Line:
    """A call shown at its depth in the tree."""

    indent: str
    call: Any


def _same_calls(expected: Sequence[Any], actual: Sequence[Any]) -> bool:
    return len(expected) == len(actual) and all(
        matches(e, a) for e, a in zip(expected, actual, strict=True)
    )


def calls_diff(
    expected: Sequence[Any], actual: Sequence[Any], left: str = "expected", right: str = "actual"
) -> str:
    """A unified diff of two call lists, one call a line; partial matches show as equal."""
    want = [_shown(c) for c in expected]
    got = [
        _shown(project(expected[i], c)) if _same_step(expected, i, c) else _shown(c)
        for i, c in enumerate(actual)
    ]
    lines = difflib.unified_diff(want, got, left, right, lineterm="", n=3)
    return "\n".join("    " + line for line in lines)


def _shown(call: Any) -> str:
    if isinstance(call, _Line):
        return call.indent + call_line(call.call)
    return call_line(call)


def _same_step(expected: Sequence[Any], index: int, call: Any) -> bool:
    if index >= len(expected):
        return False
    want = expected[index]
    if isinstance(want, _Line) or isinstance(call, _Line):
        return False
    return isinstance(want, dict) and isinstance(call, dict) and want.keys() == call.keys()


def _include_problems(items: Sequence[Any], actual: Sequence[Made]) -> list[str]:
    position = 0
    for index, item in enumerate(items):
        want = wanted(item)
        hits = [i for i in range(position, len(actual)) if _is(want, actual[i])]
        count = want.times or 1
        total = sum(1 for m in actual if _is(want, m))
        if len(hits) < count or (want.times is not None and total != want.times):
            listing = "\n".join(
                f"    {n + 1:3}. {'  ' * len(m.enclosing)}{call_line(m.call)}"
                for n, m in enumerate(actual)
            )
            after = f" after call {position}" if position else ""
            what = "not found" if not hits else f"made {total} time{'s' if total != 1 else ''}"
            return [
                f"calls_include: call {index + 1} {what}{after}: {describe(want)}\n"
                f"  the calls were:\n{listing}"
            ]
        position = hits[count - 1] + 1
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
