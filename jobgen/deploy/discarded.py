"""Prune's evidence when a build discarder removed builds: which jobs it cannot judge.

Prune reads a job's last run from the listing's `lastBuild`. A LogRotator (every job
jobgen renders has one) deletes builds older than its `daysToKeep` but keeps the last
successful and last stable builds (hudson.tasks.LogRotator.perform), so after a discard
`lastBuild` may be an older build than the last run, or missing although the job ran.
`nextBuildNumber` tells: when it is not `lastBuild.number + 1`, newer builds are gone.
Such a job's last run was at least `daysToKeep` days ago, and no more is known: it is
stale only when that lower bound already reaches `keep_days`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lxml import etree

from jobgen.deploy.listing import RemoteItem

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def evidence_incomplete(item: RemoteItem) -> bool:
    """True when builds newer than the listed last build (or all of them) were removed."""
    if item.is_folder or item.next_build is None:
        return False
    newest = item.last_number or 0
    return newest < item.next_build - 1


def discard_days(config: str) -> int | None:
    """The LogRotator's `daysToKeep` of a config.xml, or None when builds are not aged out."""
    data = config.encode()
    if data.lstrip().startswith(b"<?xml"):
        data = data[data.index(b"?>") + 2 :]
    root = etree.fromstring(data, _PARSER)
    strategy = root.find("properties/jenkins.model.BuildDiscarderProperty/strategy")
    if strategy is None:
        strategy = root.find("logRotator")
    if strategy is None:
        return None
    text = strategy.findtext("daysToKeep")
    days = 0 if text is None else int(text.strip()) if text.strip().lstrip("-").isdigit() else -1
    return days if days >= 0 else None


def undecidable(
    candidates: Iterable[RemoteItem], keep_days: float, config: Callable[[str], str]
) -> set[str]:
    """Full names of jobs whose last run may be younger than `keep_days` (one config read each)."""
    unsure = set()
    for item in candidates:
        if not evidence_incomplete(item):
            continue
        days = discard_days(config(item.full_name))
        if days is None or days < keep_days:
            unsure.add(item.full_name)
    return unsure
