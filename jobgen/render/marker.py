"""The jobgen marker: one line in a job's description that says who made it.

Deploy, diff and prune read it from a single listing request, so a master can
be compared and pruned without fetching every config.xml. The sha256 is the
job's content hash: sha256 of its config.xml rendered with an empty sha256 in
this marker, so the hash never depends on itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "[jobgen]"
_FIELDS = ("owner", "name", "component", "sha256")
_LINE = re.compile(r"^\[jobgen\] (?P<body>.*)$", re.MULTILINE)
_PAIR = re.compile(r"(\w+)=(\S*)")


@dataclass(frozen=True)
class Marker:
    """Who owns a job (the jobs repository), its common name, component and content hash."""

    owner: str
    name: str
    component: str
    sha256: str = ""


def format_marker(marker: Marker) -> str:
    """The marker line: `[jobgen] owner=… name=… component=… sha256=…`."""
    values = (marker.owner, marker.name, marker.component, marker.sha256)
    return PREFIX + "".join(f" {key}={value}" for key, value in zip(_FIELDS, values, strict=True))


def parse_marker(description: str | None) -> Marker | None:
    """The marker found in a job description, or None for a job jobgen did not create."""
    if not description:
        return None
    match = _LINE.search(description)
    if match is None:
        return None
    pairs = dict(_PAIR.findall(match.group("body")))
    if not all(key in pairs for key in ("owner", "name", "component")):
        return None
    return Marker(pairs["owner"], pairs["name"], pairs["component"], pairs.get("sha256", ""))
