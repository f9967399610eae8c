"""The master's side of copyArtifacts: the archived files of one build of a job.

copyartifact's SpecificBuildSelector reads a build number, or a permalink
(`lastSuccessfulBuild`, `lastStableBuild`, `lastCompletedBuild`); the project
is named from the copying job's folder, as a `build` step's job is.
"""

from __future__ import annotations

from typing import Any

from jobgen.master.model import Build, Item
from jobgen.master.state import MasterState

_PERMALINKS = {
    "lastSuccessfulBuild": ("SUCCESS", "UNSTABLE"),  # Jenkins: at least UNSTABLE
    "lastStableBuild": ("SUCCESS",),
    "lastCompletedBuild": ("SUCCESS", "UNSTABLE", "FAILURE", "NOT_BUILT", "ABORTED"),
}


def copy_artifacts(state: MasterState, full_name: str, args: dict[str, Any]) -> dict[str, Any]:
    """{full_name, number (None: no such build), artifacts: {path: text}}, or {error}.

    `full_name` is the project resolved from the caller's folder."""
    project, number = str(args["project"]), str(args.get("number") or "lastSuccessfulBuild")
    store = state.store
    with store.lock:
        item = store.find(full_name.split("/"))
        if item is None or item.is_folder:
            return {
                "error": f"Unable to find project for artifact copy: {project}\n"
                "This may be due to incorrect project name or permission settings; "
                "see help for project name in job configuration."
            }
        build = _select(item, number)
        if build is None:  # the step words it, or only logs it when `optional`
            return {"full_name": item.full_name, "number": None, "artifacts": {}}
        paths = {name: store.artifact_path(item, build.number, name) for name in build.artifacts}
    files = {name: path.read_text("utf-8") for name, path in paths.items() if path.is_file()}
    return {"full_name": item.full_name, "number": build.number, "artifacts": files}


def _select(item: Item, number: str) -> Build | None:
    if number.isdigit():
        build = item.builds.get(int(number))
        return build if build is not None and build.result is not None else None
    results = _PERMALINKS.get(number, ())
    chosen = [b for b in item.builds.values() if b.result in results]
    return max(chosen, key=lambda b: b.number) if chosen else None
