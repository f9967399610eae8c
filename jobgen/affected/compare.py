"""Which jobs a range of commits affects: those whose deployed names differ."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jobgen.render.model import Artifacts


@dataclass(frozen=True)
class Changed:
    """A job whose deployed name is not what it was ('' when it did not exist on that side)."""

    name: str
    component: str
    before: str
    after: str


def deployed_names(artifacts: Artifacts) -> dict[str, tuple[str, str]]:
    """Common name -> (component, deployed name), folders left out (they are not versioned)."""
    return {
        job.job.name: (job.job.component, job.deployed_name)
        for job in artifacts.jobs
        if job.job.kind != "folder"
    }


def changed_jobs(
    before: Mapping[str, tuple[str, str]], after: Mapping[str, tuple[str, str]]
) -> list[Changed]:
    """Jobs added, removed or renamed between two compiles, sorted by common name."""
    changed = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is not None and new is not None and old[1] == new[1]:
            continue
        component = (new or old or ("", ""))[0]
        changed.append(Changed(name, component, old[1] if old else "", new[1] if new else ""))
    return changed
