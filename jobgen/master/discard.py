"""Build discarders: a job's LogRotator run after each build and on the hourly sweep.

Follows hudson.tasks.LogRotator.perform (docs/jenkins-facts.md, strictmaster): counts keep
the newest N builds, days delete from the oldest up to the first build young enough; the
last successful and last stable builds stay unless `removeLastBuild`, and a running build
always stays. Artifact limits delete only the archived files.
"""

from __future__ import annotations

from collections.abc import Callable

from jobgen.master.configxml import LogRotator
from jobgen.master.model import Build, Item
from jobgen.master.store import Store

DAY_MS = 24 * 3600 * 1000


def rotate(store: Store, item: Item, now_ms: int) -> None:
    """Apply the job's LogRotator, if it has one."""
    rotator = item.info.discarder
    if rotator is None or item.is_folder:
        return
    with store.lock:
        keep = _keepers(item, rotator)
        _apply(item, rotator.builds, rotator.days, now_ms, keep, lambda b: _drop(store, item, b))
        _apply(
            item,
            rotator.artifact_builds,
            rotator.artifact_days,
            now_ms,
            keep,
            lambda b: _drop_artifacts(store, item, b),
        )


def rotate_all(store: Store, item: Item, now_ms: int) -> None:
    """The periodic sweep (BackgroundGlobalBuildDiscarder, hourly) over every job."""
    for child in list(item.children.values()):
        if child.is_folder:
            rotate_all(store, child, now_ms)
        else:
            rotate(store, child, now_ms)


def _keepers(item: Item, rotator: LogRotator) -> set[int]:
    keep = {n for n, b in item.builds.items() if b.building}
    if not rotator.remove_last_build:
        for results in (("SUCCESS", "UNSTABLE"), ("SUCCESS",)):
            build = item.newest(results)
            if build is not None:
                keep.add(build.number)
    return keep


def _apply(
    item: Item, count: int, days: int, now_ms: int, keep: set[int], drop: Callable[[Build], None]
) -> None:
    if count != -1:
        for number in sorted(item.builds, reverse=True)[max(count, 0) :]:
            if number not in keep:
                drop(item.builds[number])
    if days != -1:
        cutoff = now_ms - days * DAY_MS
        for number in sorted(item.builds):
            build = item.builds.get(number)
            if build is None:
                continue
            if build.timestamp >= cutoff:
                break  # LogRotator.tooNew ends the walk at the first young build
            if number not in keep:
                drop(build)


def _drop(store: Store, item: Item, build: Build) -> None:
    store.delete_build(item, build.number)


def _drop_artifacts(store: Store, item: Item, build: Build) -> None:
    if build.artifacts:
        store.delete_artifacts(item, build)
