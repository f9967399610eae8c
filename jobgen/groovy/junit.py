"""`jobgen test --junit-xml FILE`: the verdicts as a JUnit XML report, which CI servers read.

One `<testcase>` per scenario: `classname` is the component (or the scenario
file for an invalid one), `name` the rest of the id; a failed scenario has one
`<failure>` whose `message` is the first mismatch and whose text holds them all.
The format is the one Ant's JUnit task writes, read by Jenkins' junit step,
GitLab, GitHub Actions reporters and others.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# XML 1.0 cannot hold these characters, even escaped; a report must stay readable.
_INVALID = {c: None for c in range(0x20) if c not in (0x9, 0xA, 0xD)}


@dataclass(frozen=True)
class Verdict:
    """One scenario's verdict: its id and the mismatches (none when it passed)."""

    id: str
    problems: tuple[str, ...] = ()
    classname: str | None = None  # defaults to the id's first part (the component)


def _clean(text: str) -> str:
    return text.translate(_INVALID)


def junit_xml(verdicts: Sequence[Verdict], suite: str = "jobgen test") -> bytes:
    """The report as bytes (UTF-8, with the XML declaration)."""
    failures = sum(1 for v in verdicts if v.problems)
    root = ET.Element(
        "testsuites", name=suite, tests=str(len(verdicts)), failures=str(failures), errors="0"
    )
    node = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(verdicts)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for verdict in verdicts:
        first, _, rest = verdict.id.partition("/")
        case = ET.SubElement(
            node,
            "testcase",
            classname=_clean(verdict.classname or first),
            name=_clean(verdict.id if verdict.classname else (rest or first)),
        )
        if verdict.problems:
            failure = ET.SubElement(
                case,
                "failure",
                message=_clean(verdict.problems[0].splitlines()[0]),
                type="mismatch",
            )
            failure.text = _clean("\n".join(verdict.problems))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_junit_xml(path: Path, verdicts: Sequence[Verdict]) -> None:
    """Write the report, creating the folder it goes in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(junit_xml(verdicts))
