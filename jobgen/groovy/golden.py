"""Golden call files: `<scenario file stem>.calls.yaml`, written by `jobgen test --update`.

A single-scenario file's golden file is the tree of calls (a block's calls
indented under it, `calls:`); a list file's is a
mapping from scenario name to its calls. One call a line, so diffs review well.
Job names are common names and builds are numbered from 1 per job, so the
content is the same on every machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from jobgen.groovy.calltree import CHILDREN, head
from jobgen.groovy.report import call_line, flow
from jobgen.groovy.scenario import Scenario

HEADER = "# Calls recorded by `jobgen test --update`; `jobgen test` compares against them.\n"


def read_golden(scenario: Scenario) -> list[Any] | None:
    """The golden calls of a scenario, or None when it has none yet."""
    if not scenario.golden.exists():
        return None
    data = yaml.safe_load(scenario.golden.read_text(encoding="utf-8"))
    if scenario.in_list:
        found = data.get(scenario.name) if isinstance(data, dict) else None
        return list(found) if isinstance(found, list) else None
    return list(data) if isinstance(data, list) else None


def write_golden(scenario: Scenario, calls: Sequence[Any]) -> bool:
    """Write (or merge, for a list file) the scenario's calls; True if the file changed."""
    path = scenario.golden
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if scenario.in_list:
        data = yaml.safe_load(old) if old else None
        table: dict[str, Any] = dict(data) if isinstance(data, dict) else {}
        table[scenario.name] = list(calls)
        text = HEADER + "".join(
            f"{flow(name)}:\n{_lines(table[name], '  ')}" for name in sorted(table)
        )
    else:
        text = HEADER + _lines(calls, "")
    if text == old:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _lines(calls: Sequence[Any], indent: str) -> str:
    if not calls:
        return f"{indent}[]\n"
    out = []
    for call in calls:
        if isinstance(call, dict) and CHILDREN in call and len(call) > 1:
            # A block and the calls made inside it, one more level in.
            out.append(f"{indent}- {call_line(head(call))}\n{indent}  {CHILDREN}:\n")
            out.append(_lines(call[CHILDREN], indent + "  "))
        else:
            out.append(f"{indent}- {call_line(call)}\n")
    return "".join(out)
