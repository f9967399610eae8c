"""Exported objects beyond items and runs: the `All` views and the plugin manager."""

from __future__ import annotations

from dataclasses import dataclass

from jobgen.master.builds import Builds
from jobgen.master.configxml import FolderView
from jobgen.master.folderviews import ALL_VIEW, members, primary_of, view_url
from jobgen.master.http import Request, Response, require_post
from jobgen.master.jsonapi import ALWAYS, DEFAULT, Props
from jobgen.master.model import Item
from jobgen.master.state import Plugin
from jobgen.master.views import ItemView, item_url

# Jenkins' own AllView is called "all" (AllView.DEFAULT_VIEW_NAME); a folder's is "All"
# (cloudbees-folder AbstractFolder.initViews).
ROOT_VIEW = "all"


@dataclass(frozen=True)
class AllView:
    """`view/all/` of Jenkins, or `job/F/view/NAME/` of a folder: one of its views
    (an AllView with every child item, or a ListView with those it selects)."""

    base: str
    owner: Item
    builds: Builds
    view: FolderView | None = None  # None: Jenkins' own view, or the folder's primary one

    @property
    def java_class(self) -> str:
        """AllView or ListView."""
        return self._view().java_class

    def _view(self) -> FolderView:
        if self.view is not None:
            return self.view
        return primary_of(self.owner) if self.owner.full_name else ALL_VIEW

    def props(self) -> Props:
        """Exported View properties (the primary view's url is its owner's)."""
        owner, view = self.owner, self._view()
        url = item_url(self.base, owner.full_name)
        return {
            "description": (DEFAULT, lambda: view.description),
            "jobs": (
                DEFAULT,
                lambda: [ItemView(self.base, c, self.builds) for c in members(owner, view)],
            ),
            "name": (ALWAYS, lambda: view.name if owner.full_name else ROOT_VIEW),
            "property": (DEFAULT, lambda: []),
            "url": (ALWAYS, lambda: view_url(url, owner, view) if owner.full_name else url),
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
