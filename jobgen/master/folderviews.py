"""A folder's views as Jenkins shows them: from its `folderViews`, sorted, one primary.

cloudbees-folder keeps the views and the primary view's name in DefaultFolderViewHolder;
a folder without any gets one AllView named "All" (AbstractFolder.initViews). Jenkins'
ViewGroupMixIn sorts them by name (View.SORTER) and falls back to the first view when the
primary name matches none. A view's URL is its owner's when it is the primary view, else
`view/NAME/` (View.getUrl). A ListView lists the folder's items named in `jobNames`
(case-insensitive when they carry String's CaseInsensitiveComparator, as XStream reads the
TreeSet) or whose whole name matches `includeRegex`; a regex that does not
compile is dropped, as ListView.readResolve does (docs/jenkins-facts.md, features, walk16).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from jobgen.master.configxml import FolderView
from jobgen.master.model import Item

ALL_VIEW = FolderView("hudson.model.AllView", "All")


def views_of(folder: Item) -> list[FolderView]:
    """The folder's views sorted by name."""
    return sorted(folder.info.views or (ALL_VIEW,), key=lambda v: v.name)


def primary_of(folder: Item) -> FolderView:
    """The view a person opening the folder sees."""
    configured = list(folder.info.views or (ALL_VIEW,))
    named = [v for v in configured if v.name == folder.info.primary_view]
    return named[0] if named else configured[0]


def find_view(folder: Item, name: str) -> FolderView | None:
    """The folder's view called `name` (case-sensitive, as ViewGroupMixIn.getView)."""
    return next((v for v in views_of(folder) if v.name == name), None)


def view_url(folder_url: str, folder: Item, view: FolderView) -> str:
    """The owner's URL for the primary view, `view/NAME/` below it for another."""
    if view == primary_of(folder):
        return folder_url
    return f"{folder_url}view/{quote(view.name, safe='')}/"


def summary(folder_url: str, folder: Item, view: FolderView) -> dict[str, str]:
    """How a view appears in its owner's `views` and `primaryView`."""
    return {"_class": view.java_class, "name": view.name, "url": view_url(folder_url, folder, view)}


def members(folder: Item, view: FolderView) -> list[Item]:
    """The folder's items the view lists, sorted by name."""
    children = folder.sorted_children()
    if view.java_class != "hudson.model.ListView":
        return children
    fold = str.lower if view.names_ignore_case else str
    named = {fold(n) for n in view.job_names}
    pattern = _compiled(view.include_regex)
    return [
        c
        for c in children
        if fold(c.name) in named or (pattern is not None and pattern.fullmatch(c.name))
    ]


def _compiled(regex: str | None) -> re.Pattern[str] | None:
    if regex is None:
        return None
    try:
        return re.compile(regex)
    except re.error:
        return None
