"""Exported objects beyond items and runs: the `All` views and the plugin manager."""

from __future__ import annotations

from dataclasses import dataclass

from jobgen.master.builds import Builds
from jobgen.master.http import Request, Response, require_post
from jobgen.master.jsonapi import ALWAYS, DEFAULT, Props
from jobgen.master.model import Item
from jobgen.master.state import Plugin
from jobgen.master.views import ItemView, item_url

# Jenkins' own AllView is called "all" (AllView.DEFAULT_VIEW_NAME); a folder's is "All"
# (cloudbees-folder AbstractFolder.initViews).
ROOT_VIEW, FOLDER_VIEW = "all", "All"


def view_name(item: Item) -> str:
    """The name of the one view an item group has."""
    return FOLDER_VIEW if item.full_name else ROOT_VIEW


@dataclass(frozen=True)
class AllView:
    """`view/all/` of Jenkins or `job/F/view/All/` of a folder: every child item."""

    base: str
    owner: Item
    builds: Builds

    java_class = "hudson.model.AllView"

    def props(self) -> Props:
        """Exported View properties (the primary view's url is its owner's)."""
        owner = self.owner
        return {
            "description": (DEFAULT, lambda: None),
            "jobs": (
                DEFAULT,
                lambda: [ItemView(self.base, c, self.builds) for c in owner.sorted_children()],
            ),
            "name": (ALWAYS, lambda: view_name(owner)),
            "property": (DEFAULT, lambda: []),
            "url": (ALWAYS, lambda: item_url(self.base, owner.full_name)),
        }


@dataclass(frozen=True)
class PluginView:
    """One installed plugin (PluginWrapper)."""

    plugin: Plugin

    java_class = "hudson.PluginWrapper"

    def props(self) -> Props:
        """Exported PluginWrapper properties: every field python-jenkins and jobgen read."""
        p = self.plugin
        return {
            "active": (DEFAULT, lambda: p.active),
            "backupVersion": (DEFAULT, lambda: None),
            "bundled": (DEFAULT, lambda: False),
            "deleted": (DEFAULT, lambda: False),
            "dependencies": (DEFAULT, lambda: []),
            "detached": (DEFAULT, lambda: False),
            "downgradable": (DEFAULT, lambda: False),
            "enabled": (DEFAULT, lambda: p.enabled),
            "hasUpdate": (DEFAULT, lambda: False),
            "longName": (DEFAULT, lambda: p.long_name or p.short_name),
            "pinned": (DEFAULT, lambda: False),
            "requiredCoreVersion": (DEFAULT, lambda: "2.440.3"),
            "shortName": (DEFAULT, lambda: p.short_name),
            "supportsDynamicLoad": (DEFAULT, lambda: "MAYBE"),
            "url": (DEFAULT, lambda: f"https://plugins.jenkins.io/{p.short_name}"),
            "version": (DEFAULT, lambda: p.version),
        }


@dataclass(frozen=True)
class PluginManagerView:
    """`pluginManager`: the installed plugins, pruned by depth and tree like any bean."""

    plugins: tuple[Plugin, ...]

    java_class = "hudson.LocalPluginManager"

    def props(self) -> Props:
        """Exported PluginManager properties."""
        return {"plugins": (DEFAULT, lambda: [PluginView(p) for p in self.plugins])}


def view_config(req: Request, name: str) -> Response:
    """`view/<name>/config.xml`: an AllView has nothing to configure; Jenkins refuses a POST
    to it (View.updateByXml on the AllView; docs/master.md)."""
    if req.method == "POST":
        return Response(400, b"Cannot change the configuration of the All view")
    if req.method != "GET":
        return require_post()
    body = (
        "<?xml version='1.1' encoding='UTF-8'?>\n<hudson.model.AllView>\n"
        f"  <name>{name}</name>\n  <filterExecutors>false</filterExecutors>\n"
        "  <filterQueue>false</filterQueue>\n"
        '  <properties class="hudson.model.View$PropertyList"/>\n</hudson.model.AllView>'
    )
    return Response(200, body.encode(), "application/xml")
