"""The controller's own objects: the user, whoAmI, the built-in node, the plugin list."""

from __future__ import annotations

from typing import Any

from jobgen.master.configxml import BUILD_CLASSES
from jobgen.master.http import Request
from jobgen.master.state import MasterState
from jobgen.master.views import item_url


def user(req: Request) -> dict[str, Any]:
    """`me/api/json`."""
    name = req.caller.name
    return {
        "_class": "hudson.model.User",
        "absoluteUrl": f"{req.base}user/{name}",
        "description": None,
        "fullName": name,
        "id": name,
        "property": [],
    }


def who_am_i(req: Request) -> dict[str, Any]:
    """`whoAmI/api/json`: who the master thinks the caller is."""
    anonymous = req.caller.user is None
    return {
        "_class": "hudson.security.WhoAmI",
        "anonymous": anonymous,
        "authenticated": not anonymous,
        "authorities": [] if anonymous else ["authenticated"],
        "name": req.caller.name,
    }


def computers(state: MasterState, req: Request) -> dict[str, Any]:
    """`computer/api/json` (the set) or `computer/<name>/api/json`: one built-in node."""
    running = []
    with state.store.lock:
        for queued in state.builds.waiting_or_running():
            if queued.build is not None and queued.build.building:
                url = f"{item_url(req.base, queued.item.full_name)}{queued.build.number}/"
                running.append(
                    {
                        "_class": BUILD_CLASSES[queued.item.info.kind],
                        "number": queued.build.number,
                        "url": url,
                    }
                )
    executors = [
        {
            "currentExecutable": running[n] if n < len(running) else None,
            "idle": n >= len(running),
            "likelyStuck": False,
            "number": n,
            "progress": -1,
        }
        for n in range(max(2, len(running)))
    ]
    node = {
        "_class": "hudson.model.Hudson$MasterComputer",
        "displayName": "Built-In Node",
        "description": "",
        "assignedLabels": [{"name": "built-in"}],
        "idle": not running,
        "offline": False,
        "offlineCause": None,
        "temporarilyOffline": False,
        "icon": "symbol-computer",
        "executors": executors,
        "oneOffExecutors": [],
        "numExecutors": len(executors),
    }
    if req.segments[:2] != ("computer", "api"):
        return node
    return {
        "_class": "hudson.model.ComputerSet",
        "busyExecutors": len(running),
        "computer": [node],
        "displayName": "Nodes",
        "totalExecutors": len(executors),
    }
