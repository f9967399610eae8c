"""Values as scenarios and golden files show them, and the matching rule.

Matching rule everywhere: a mapping you write matches when every key you wrote
matches (keys you leave out are not checked); lists match item by item and
must have the same length; anything else must be equal, type included.
"""

from __future__ import annotations

from typing import Any

import yaml


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
