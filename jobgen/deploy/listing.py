"""What a master holds, read from one `tree=` listing request."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jobgen.render.marker import Marker, owned, parse_marker

FOLDER_CLASS = "com.cloudbees.hudson.plugins.folder.Folder"
_ITEM = "name,description,color,_class,lastBuild[number,timestamp,building],inQueue,nextBuildNumber"


def tree_query(levels: int) -> str:
    """`?tree=` asking for `levels` nested levels of items with what deploy and prune need."""
    inner = _ITEM
    for _ in range(levels - 1):
        inner = f"{_ITEM},jobs[{inner}]"
    return f"?tree=jobs[{inner}]"


@dataclass(frozen=True)
class RemoteItem:
    """One item on the master: its full name, jobgen's marker if any, and its last build."""

    full_name: str
    is_folder: bool
    marker: Marker | None
    description: str
    last_build_ms: int | None  # start of the last build, epoch milliseconds
    building: bool
    in_queue: bool
    disabled: bool = False
    last_number: int | None = None  # lastBuild.number
    next_build: int | None = None  # nextBuildNumber: with last_number, shows discarded builds


@dataclass(frozen=True)
class Listing:
    """Every item the master listed, by full name."""

    items: Mapping[str, RemoteItem]
    prefix: str = ""  # the target's root folder and a slash: what every full name starts with

    def ours(self, item: RemoteItem, owner: str) -> bool:
        """Whether jobgen may change `item`: its marker names `owner` and the item itself."""
        return owned(item.full_name.removeprefix(self.prefix), item.description, owner)

    def owned_by(self, owner: str) -> list[RemoteItem]:
        """Every item `ours`: the only ones jobgen may change."""
        return [i for i in self.items.values() if self.ours(i, owner)]


def parse_listing(data: Mapping[str, Any], prefix: str = "") -> Listing:
    """Flatten the nested `jobs` of a listing into items keyed by full name."""
    items = {item.full_name: item for item in _walk(data.get("jobs") or [], prefix)}
    return Listing(items, prefix)


def _walk(jobs: list[Mapping[str, Any]], prefix: str) -> Iterator[RemoteItem]:
    for job in jobs:
        full_name = f"{prefix}{job['name']}"
        last = job.get("lastBuild") or {}
        description = job.get("description") or ""
        is_folder = "jobs" in job or job.get("_class") == FOLDER_CLASS
        yield RemoteItem(
            full_name=full_name,
            is_folder=is_folder,
            marker=parse_marker(description),
            description=description,
            last_build_ms=last.get("timestamp"),
            building=bool(last.get("building")) or str(job.get("color", "")).endswith("_anime"),
            in_queue=bool(job.get("inQueue")),
            disabled=job.get("color") == "disabled",
            last_number=last.get("number"),
            next_build=job.get("nextBuildNumber"),
        )
        if job.get("jobs"):
            yield from _walk(job["jobs"], f"{full_name}/")
