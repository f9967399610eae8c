"""The calls line: which jobs a versioned job may start, written into its description.

Prune keeps the whole call closure of what can still run (docs/deploy.md). It
reads that closure from the one listing it already makes: each versioned job
names its callees' full names (below the target's root folder) on this line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CALLS_PREFIX = "[jobgen-calls]"
_LINE = re.compile(r"^\[jobgen-calls\] ?(?P<body>.*)$", re.MULTILINE)


def calls_line(full_names: Iterable[str]) -> str:
    """`[jobgen-calls] a/x-v1-abc b/y-v2-def`; a job that calls nothing says so too."""
    return " ".join([CALLS_PREFIX, *sorted(set(full_names))])


def parse_calls(description: str | None) -> tuple[str, ...] | None:
    """The callees a description names; None when it has no calls line (an older jobgen)."""
    match = _LINE.search(description or "")
    if match is None:
        return None
    return tuple(match.group("body").split())
