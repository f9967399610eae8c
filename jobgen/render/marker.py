"""The jobgen marker: the first line of a job's description, saying who made it and as what.

Deploy, diff and prune read it from a single listing request, so a master can
be compared and pruned without fetching every config.xml. The sha256 is the
job's content hash: sha256 of its config.xml rendered with an empty sha256 in
this marker, so the hash never depends on itself.

Ownership is decided by `owned` alone. Only the description's first line
counts, in exactly the format `format_marker` writes, and it names the item's
own full name: a copy made on the master (`createItem?mode=copy`) carries the
original's line under another name and is foreign, and a marker-like line
anywhere else in a description is plain text. Values are percent-encoded, so
an owner taken from a folder name with spaces fits in one field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

PREFIX = "[jobgen]"
_FIELD = r"[A-Za-z0-9._~%/-]"
_LINE = re.compile(
    rf"\[jobgen\] owner=(?P<owner>{_FIELD}+) item=(?P<item>{_FIELD}+) name=(?P<name>{_FIELD}+)"
    rf" component=(?P<component>{_FIELD}*) sha256=(?P<sha256>[0-9a-f]{{64}}|)"
)


@dataclass(frozen=True)
class Marker:
    """Who owns a job (the jobs repository), its full name below the target's root folder,
    its common name, component and content hash."""

    owner: str
    item: str
    name: str
    component: str
    sha256: str = ""


def format_marker(marker: Marker) -> str:
    """The marker line: `[jobgen] owner=… item=… name=… component=… sha256=…`."""
    owner, item, name, component = marker.owner, marker.item, marker.name, marker.component
    # Most markers have nothing to encode: one look at all four fields (the set of
    # characters is one class, so the four match together or some field needs quote()).
    if not _UNQUOTED.fullmatch(f"{owner}{item}{name}{component}"):
        owner, item, name, component = map(_encode, (owner, item, name, component))
    return (
        f"{PREFIX} owner={owner} item={item} name={name} component={component}"
        f" sha256={marker.sha256}"
    )


def parse_marker(description: str | None) -> Marker | None:
    """The marker on the first line of a description, or None for a job jobgen did not create."""
    first = (description or "").split("\n", 1)[0].rstrip("\r")
    match = _LINE.fullmatch(first)
    if match is None:
        return None
    fields = {key: unquote(value) for key, value in match.groupdict().items()}
    marker = Marker(**fields)
    # Exactly what format_marker writes, byte for byte: no second spelling of one marker.
    return marker if format_marker(marker) == first else None


def owned(full_name: str, description: str | None, owner: str) -> bool:
    """True only for an item whose marker names `owner` and this very item.

    `full_name` is the item's full name below the target's root folder. Prune,
    deploy and rollback change nothing for which this is False.
    """
    marker = parse_marker(description)
    return marker is not None and marker.owner == owner and marker.item == full_name


_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")  # what `quote(value, safe="/")` leaves alone


def _encode(value: str) -> str:
    if _UNQUOTED.fullmatch(value):  # a field with nothing to encode beside one with some
        return value
    return quote(value, safe="/")
