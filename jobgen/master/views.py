"""The objects api/json exports: root, items, builds, queue items, users, nodes, plugins."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jobgen.master.builds import Builds, QueueItem
from jobgen.master.configxml import BUILD_CLASSES, KIND_CLASSES, Parameter
from jobgen.master.folderviews import primary_of, summary, views_of
from jobgen.master.jsonapi import ALWAYS, DEFAULT, Props
from jobgen.master.model import Build, Item

COLORS = {"SUCCESS": "blue", "UNSTABLE": "yellow", "FAILURE": "red", "ABORTED": "aborted"}
HEALTH = {"SUCCESS": 100, "UNSTABLE": 60, "FAILURE": 0, "ABORTED": 0, "NOT_BUILT": 0}


def item_url(base: str, full_name: str) -> str:
    """Absolute URL of an item: `<base>job/a/job/b/`."""
    return base + "".join(f"job/{quote(p)}/" for p in full_name.split("/") if p)


def color(item: Item) -> str:
    """Jenkins' ball colour for a job."""
    if item.info.disabled:
        return "disabled"
    last = item.last_build()
    if last is None:
        return "notbuilt"
    done = item.newest(None)
    base = COLORS.get(done.result or "", "grey") if done else "notbuilt"
    return f"{base}_anime" if last.building else base


@dataclass(frozen=True)
class BuildView:
    """A Run."""

    base: str
    item: Item
    build: Build

    @property
    def java_class(self) -> str:
        """FreeStyleBuild or WorkflowRun."""
        return BUILD_CLASSES[self.item.info.kind]

    def props(self) -> Props:
        """Exported Run properties."""
        b, url = self.build, f"{item_url(self.base, self.item.full_name)}{self.build.number}/"
        return {
            "number": (ALWAYS, lambda: b.number),
            "url": (ALWAYS, lambda: url),
            "actions": (DEFAULT, lambda: self._actions()),
            "artifacts": (DEFAULT, lambda: [_artifact(a) for a in b.artifacts]),
            "building": (DEFAULT, lambda: b.building),
            "inProgress": (DEFAULT, lambda: b.building),
            "description": (DEFAULT, lambda: None),
            "displayName": (DEFAULT, lambda: f"#{b.number}"),
            "duration": (DEFAULT, lambda: b.duration),
            "estimatedDuration": (DEFAULT, lambda: b.duration or 1),
            "executor": (DEFAULT, lambda: None),
            "fullDisplayName": (DEFAULT, lambda: f"{self.item.full_name} #{b.number}"),
            "id": (DEFAULT, lambda: str(b.number)),
            "keepLog": (DEFAULT, lambda: False),
            "nextBuild": (DEFAULT, lambda: self._neighbour(1)),
            "previousBuild": (DEFAULT, lambda: self._neighbour(-1)),
            "queueId": (DEFAULT, lambda: b.queue_id),
            "result": (DEFAULT, lambda: b.result),
            "timestamp": (DEFAULT, lambda: b.timestamp),
        }

    def _neighbour(self, step: int) -> BuildView | None:
        """Run.getNextBuild / getPreviousBuild: the closest kept build that way."""
        numbers = sorted(self.item.builds, reverse=step < 0)
        later = [n for n in numbers if (n - self.build.number) * step > 0]
        return BuildView(self.base, self.item, self.item.builds[later[0]]) if later else None

    def _actions(self) -> list[dict[str, Any]]:
        actions: list[dict[str, Any]] = [_cause_action(self.build.cause)]
        if self.build.parameters:
            values = [
                {"_class": "hudson.model.StringParameterValue", "name": k, "value": v}
                for k, v in self.build.parameters.items()
            ]
            actions.append({"_class": "hudson.model.ParametersAction", "parameters": values})
        return actions


@dataclass(frozen=True)
class ItemView:
    """A job or a folder."""

    base: str
    item: Item
    builds: Builds

    @property
    def java_class(self) -> str:
        """FreeStyleProject, WorkflowJob or Folder."""
        return KIND_CLASSES[self.item.info.kind]

    def props(self) -> Props:
        """Exported AbstractItem (+ Job or Folder) properties."""
        i = self.item
        common: Props = {
            "name": (ALWAYS, lambda: i.name),
            "url": (ALWAYS, lambda: item_url(self.base, i.full_name)),
            "actions": (DEFAULT, lambda: [{}]),
            "description": (DEFAULT, lambda: i.info.description),
            "displayName": (DEFAULT, lambda: i.name),
            "displayNameOrNull": (DEFAULT, lambda: None),
            "fullDisplayName": (DEFAULT, lambda: i.full_name.replace("/", " » ")),
            "fullName": (DEFAULT, lambda: i.full_name),
            "healthReport": (DEFAULT, lambda: []),
        }
        if i.is_folder:
            url = item_url(self.base, i.full_name)
            return common | {
                "jobs": (
                    DEFAULT,
                    lambda: [ItemView(self.base, c, self.builds) for c in i.sorted_children()],
                ),
                "primaryView": (DEFAULT, lambda: summary(url, i, primary_of(i))),
                "views": (DEFAULT, lambda: [summary(url, i, v) for v in views_of(i)]),
            }
        return common | self._job_props()

    def _job_props(self) -> Props:
        i = self.item

        def run(build: Build | None) -> BuildView | None:
            return BuildView(self.base, i, build) if build else None

        newest = sorted(i.builds, reverse=True)
        return {
            "color": (2, lambda: color(i)),
            "buildable": (DEFAULT, lambda: not i.info.disabled),
            "builds": (DEFAULT, lambda: [run(i.builds[n]) for n in newest[:100]]),
            "allBuilds": (-2, lambda: [run(i.builds[n]) for n in newest]),
            "firstBuild": (DEFAULT, lambda: run(i.builds[newest[-1]]) if newest else None),
            "lastBuild": (DEFAULT, lambda: run(i.last_build())),
            "lastCompletedBuild": (DEFAULT, lambda: run(i.newest(None))),
            "lastFailedBuild": (DEFAULT, lambda: run(i.newest(("FAILURE",)))),
            "lastStableBuild": (DEFAULT, lambda: run(i.newest(("SUCCESS",)))),
            "lastSuccessfulBuild": (DEFAULT, lambda: run(i.newest(("SUCCESS", "UNSTABLE")))),
            "lastUnstableBuild": (DEFAULT, lambda: run(i.newest(("UNSTABLE",)))),
            "lastUnsuccessfulBuild": (
                DEFAULT,
                lambda: run(i.newest(("UNSTABLE", "FAILURE", "ABORTED", "NOT_BUILT"))),
            ),
            "inQueue": (DEFAULT, lambda: self.builds.in_queue(i)),
            "queueItem": (DEFAULT, lambda: None),
            "keepDependencies": (DEFAULT, lambda: False),
            "nextBuildNumber": (DEFAULT, lambda: i.next_build),
            "property": (DEFAULT, lambda: _properties(i.info.parameters)),
            "concurrentBuild": (DEFAULT, lambda: False),
            "disabled": (DEFAULT, lambda: i.info.disabled),
            "downstreamProjects": (DEFAULT, lambda: []),
            "upstreamProjects": (DEFAULT, lambda: []),
        }


@dataclass(frozen=True)
class RootView:
    """The Jenkins object at `/api/json`."""

    base: str
    item: Item
    builds: Builds
    quieting_down: bool

    java_class = "hudson.model.Hudson"

    def props(self) -> Props:
        """Exported Jenkins properties."""
        return {
            "assignedLabels": (DEFAULT, lambda: [{"name": "built-in"}]),
            "mode": (DEFAULT, lambda: "NORMAL"),
            "nodeDescription": (DEFAULT, lambda: "the Jenkins controller's built-in node"),
            "nodeName": (DEFAULT, lambda: ""),
            "numExecutors": (DEFAULT, lambda: 2),
            "description": (DEFAULT, lambda: None),
            "jobs": (
                DEFAULT,
                lambda: [ItemView(self.base, c, self.builds) for c in self.item.sorted_children()],
            ),
            "overallLoad": (DEFAULT, lambda: {}),
            "primaryView": (DEFAULT, lambda: _view(self.base)),
            "quietDownReason": (DEFAULT, lambda: None),
            "quietingDown": (DEFAULT, lambda: self.quieting_down),
            "slaveAgentPort": (DEFAULT, lambda: -1),
            "unlabeledLoad": (DEFAULT, lambda: {"_class": "jenkins.model.UnlabeledLoadStatistics"}),
            "url": (DEFAULT, lambda: self.base),
            "useCrumbs": (DEFAULT, lambda: True),
            "useSecurity": (DEFAULT, lambda: True),
            "views": (DEFAULT, lambda: [_view(self.base)]),
        }


def queue_item_json(base: str, queued: QueueItem) -> dict[str, Any]:
    """A queue item as `queue/item/<id>/api/json` shows it (nothing pruned: visibility 999)."""
    out: dict[str, Any] = {
        "_class": "hudson.model.Queue$WaitingItem",
        "actions": [_cause_action(queued.cause)],
        "blocked": False,
        "buildable": False,
        "id": queued.id,
        "inQueueSince": queued.since,
        "params": "".join(f"\n{k}={v}" for k, v in queued.parameters.items()),
        "stuck": False,
        "task": {
            "_class": KIND_CLASSES[queued.item.info.kind],
            "color": color(queued.item),
            "name": queued.item.name,
            "url": item_url(base, queued.item.full_name),
        },
        "url": f"queue/item/{queued.id}/",
        "why": f"In the quiet period. Expires in {_time_span(queued.due - time.monotonic())}",
    }
    if queued.left_at is None:
        out["timestamp"] = queued.since + int(max(0.0, queued.due - time.monotonic()) * 1000)
        return out
    executable = None
    if queued.build is not None:
        url = f"{item_url(base, queued.item.full_name)}{queued.build.number}/"
        kind_class = BUILD_CLASSES[queued.item.info.kind]
        executable = {"_class": kind_class, "number": queued.build.number, "url": url}
    return out | {
        "_class": "hudson.model.Queue$LeftItem",
        "cancelled": queued.cancelled,
        "executable": executable,
        "why": None,
    }


def _time_span(seconds: float) -> str:
    """Util.getTimeSpanString's short forms: `4.9 sec`, `120 ms`."""
    seconds = max(0.0, seconds)
    return f"{seconds:.1f} sec" if seconds >= 1 else f"{int(seconds * 1000)} ms"


def _cause_action(cause: str) -> dict[str, Any]:
    if cause.startswith("user:"):
        user = cause[5:]
        detail = {
            "_class": "hudson.model.Cause$UserIdCause",
            "shortDescription": f"Started by user {user}",
            "userId": user,
            "userName": user,
        }
    else:
        detail = {
            "_class": "hudson.model.Cause$RemoteCause",
            "shortDescription": f"Started by remote host {cause[7:]}",
        }
    return {"_class": "hudson.model.CauseAction", "causes": [detail]}


def _artifact(relative: str) -> dict[str, str]:
    return {
        "displayPath": relative.rsplit("/", 1)[-1],
        "fileName": relative.rsplit("/", 1)[-1],
        "relativePath": relative,
    }


def _view(url: str) -> dict[str, str]:
    return {"_class": "hudson.model.AllView", "name": "all", "url": url}


def _properties(parameters: tuple[Parameter, ...]) -> list[dict[str, Any]]:
    if not parameters:
        return []
    definitions = []
    for p in parameters:
        definition: dict[str, Any] = {
            "_class": f"hudson.model.{p.type}",
            "defaultParameterValue": {
                "_class": "hudson.model.StringParameterValue",
                "name": p.name,
                "value": p.default,
            },
            "description": "",
            "name": p.name,
            "type": p.type,
        }
        if p.choices:
            definition["choices"] = list(p.choices)
        definitions.append(definition)
    return [
        {"_class": "hudson.model.ParametersDefinitionProperty", "parameterDefinitions": definitions}
    ]
