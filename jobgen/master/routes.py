"""Request dispatch: the security gate, root-level routes, and the walk down `job/<name>/`."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

from jobgen.master import items, runs, system
from jobgen.master.apiformats import CONTENT_TYPES, to_python, to_xml
from jobgen.master.configxml import FolderView
from jobgen.master.folderviews import ALL_VIEW, find_view
from jobgen.master.http import (
    Request,
    Response,
    denied,
    forbidden,
    json_response,
    not_found,
    page,
    redirect,
    server_error,
)
from jobgen.master.jsonapi import Exported, Tree, TreeError, export, parse_tree
from jobgen.master.listviews import (
    ROOT_VIEW,
    AllView,
    PluginManagerView,
    view_config,
)
from jobgen.master.model import Item
from jobgen.master.permissions import ITEM_READ, MANAGE, READ, SYSTEM_READ
from jobgen.master.security import CRUMB_FIELD
from jobgen.master.state import MasterState
from jobgen.master.views import BuildView, ItemView, RootView

# Paths anonymous callers may reach without Overall/Read: whoAmI and build-token-root are
# UnprotectedRootActions, `login` is in Jenkins.ALWAYS_READABLE_PATHS. `GET /` is not.
_UNPROTECTED = (("whoAmI",), ("buildByToken",), ("login",))


def dispatch(state: MasterState, req: Request) -> Response:
    """Answer one authenticated request (credentials were already checked)."""
    segments = list(req.segments)
    if req.method == "POST" and segments[:1] != ["buildByToken"] and not _crumb_ok(state, req):
        return Response(403, b"No valid crumb was included in the request")
    if not req.caller.may(READ) and tuple(segments[:1]) not in _UNPROTECTED:
        return forbidden(req.caller, READ)
    if segments[:2] == ["view", ROOT_VIEW]:  # Jenkins' one view holds every top-level item
        segments = segments[2:]
        if segments[:1] == ["api"]:
            return api(state, req, lambda: AllView(req.base, state.store.root, state.builds))
        if segments == ["config.xml"]:
            return view_config(req, ROOT_VIEW)
    if segments and segments[0] == "job":
        return _item_route(state, req, segments)
    return _root_route(state, req, segments)


def _crumb_ok(state: MasterState, req: Request) -> bool:
    """The crumb may come as a header or as a request parameter, as CrumbFilter reads it."""
    sent = req.headers.get(CRUMB_FIELD.lower()) or req.arg(CRUMB_FIELD)
    return state.security.crumb_ok(req.caller, sent)


def _root_route(state: MasterState, req: Request, segments: list[str]) -> Response:
    head, rest = (segments[0], segments[1:]) if segments else ("", [])
    simple: dict[str, Callable[[], Response]] = {
        "": lambda: page("Dashboard [Jenkins]"),
        "api": lambda: api(state, req, lambda: _root_view(state, req)),
        "crumbIssuer": lambda: _crumb(state, req),
        "me": lambda: json_response(system.user(req)),
        "whoAmI": lambda: json_response(system.who_am_i(req)),
        "createItem": lambda: items.create_item(state, req, state.store.root),
        "queue": lambda: runs.queue_route(state, req, rest),
        "computer": lambda: json_response(system.computers(state, req)),
        "pluginManager": lambda: _plugin_manager(state, req, rest),
        "buildByToken": lambda: runs.build_by_token(state, req, rest[0] if rest else ""),
        "quietDown": lambda: _quiet_down(state, req, True),
        "cancelQuietDown": lambda: _quiet_down(state, req, False),
    }
    if head not in simple or not _json_path_ok(head, rest):
        return not_found()
    return simple[head]()


def _json_path_ok(head: str, rest: list[str]) -> bool:
    if head == "api":
        return len(rest) == 1
    if head in ("crumbIssuer", "me", "whoAmI"):
        return rest == ["api", "json"]
    if head == "computer":
        return rest[-2:] == ["api", "json"] and len(rest) <= 3
    return True


def _item_route(state: MasterState, req: Request, segments: list[str]) -> Response:
    names: list[str] = []
    view: FolderView | None = None  # the path went through a folder's view: `job/F/view/All/...`
    while len(segments) >= 2 and segments[0] in ("job", "view"):
        if segments[0] == "view":
            folder = state.store.find(names) if names else None
            view = find_view(folder, segments[1]) if folder and folder.is_folder else None
            if view is None:
                return not_found()
        else:
            names.append(segments[1])
            view = None
        segments = segments[2:]
    parent = state.store.find(names[:-1])
    item = state.store.find(names)
    if item is None or parent is None or not req.caller.may(ITEM_READ):
        return not_found()  # Jenkins hides items a caller may not read
    if view is not None:
        return _folder_view(state, req, item, view, segments)
    return _item_action(state, req, parent, item, segments)


def _folder_view(
    state: MasterState, req: Request, folder: Item, view: FolderView, rest: list[str]
) -> Response:
    if rest[:1] == ["api"]:
        return api(state, req, lambda: AllView(req.base, folder, state.builds, view))
    if rest == ["createItem"]:
        return items.create_item(state, req, folder)
    if rest == ["config.xml"] and view.java_class == ALL_VIEW.java_class:
        return view_config(req, view.name)
    return page(f"{folder.full_name} » {view.name}") if not rest else not_found()


def _plugin_manager(state: MasterState, req: Request, rest: list[str]) -> Response:
    refused = denied(req.caller, SYSTEM_READ)  # PluginManager.getTarget and getApi
    if refused:
        return refused
    if rest[:1] != ["api"]:
        return not_found()
    return api(state, req, lambda: PluginManagerView(state.plugins))


def _item_action(
    state: MasterState, req: Request, parent: Item, item: Item, rest: list[str]
) -> Response:
    head = rest[0] if rest else ""
    if head == "" and req.method == "DELETE":
        return items.delete(state, req, parent, item)
    actions: dict[str, Callable[[], Response]] = {
        "": lambda: items.item_page(req, item),
        "configure": lambda: items.item_page(req, item),
        "api": lambda: api(state, req, lambda: ItemView(req.base, item, state.builds)),
        "config.xml": lambda: items.config_xml(state, req, item),
        "doDelete": lambda: items.delete(state, req, parent, item),
        "doRename": lambda: items.rename(state, req, parent, item),
        "confirmRename": lambda: items.rename(state, req, parent, item),
        "enable": lambda: items.set_enabled(state, req, item, True),
        "disable": lambda: items.set_enabled(state, req, item, False),
        "build": lambda: runs.trigger(state, req, item, with_parameters=False),
        "buildWithParameters": lambda: runs.trigger(state, req, item, with_parameters=True),
    }
    if head == "createItem" and item.is_folder:
        return items.create_item(state, req, item)
    if head in actions:
        return actions[head]()
    build = runs.find_build(item, head) if not item.is_folder else None
    if build is None:
        return not_found()
    if rest[1:2] == ["api"]:
        return api(state, req, lambda: BuildView(req.base, item, build))
    return runs.build_action(state, req, item, build, rest[1:])


def api(state: MasterState, req: Request, view: Callable[[], Exported]) -> Response:
    """`api/json|xml|python` with `tree=`/`depth=`; answers are cached per state generation."""
    flavor = req.segments[-1] if req.segments[-2:-1] == ("api",) else ""
    if flavor not in CONTENT_TYPES:
        return not_found()
    tree_text, depth_text = req.arg("tree"), req.arg("depth") or "0"
    gzipped = "gzip" in req.headers.get("accept-encoding", "")
    key = ("/".join(req.segments), str(tree_text), depth_text, req.base, str(gzipped))
    cached = state.cached(key)
    if cached is not None:
        return _api_answer(cached, flavor, gzipped)
    # Stapler's ResponseImpl.serveExposedBean turns both errors into a ServletException: 500.
    try:
        tree = parse_tree(tree_text) if tree_text is not None else None
    except TreeError as error:
        return server_error(
            f"Malformed tree expression: java.lang.IllegalArgumentException: {error}"
        )
    try:
        depth = int(depth_text)
    except ValueError:
        return server_error("Depth parameter must be a number")
    # One thread builds an answer while concurrent askers wait for it: without this, 50
    # clients missing the cache together would each serialise the same 5 MB listing.
    with state.export_lock:
        body = state.cached(key)
        if body is None:
            generation, body = _serialise(state, view, tree, depth, flavor, gzipped)
            state.remember(key, generation, body)
    return _api_answer(body, flavor, gzipped)


def _serialise(
    state: MasterState,
    view: Callable[[], Exported],
    tree: Tree | None,
    depth: int,
    flavor: str,
    gzipped: bool,
) -> tuple[int, bytes]:
    with state.store.lock:
        generation = state.store.generation
        data = export(view(), tree, depth)
    if flavor == "xml":
        body = to_xml(data)
    elif flavor == "python":
        body = to_python(data)
    else:
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    if gzipped:
        # Stapler compresses exported JSON for clients that accept gzip; so does this master.
        body = gzip.compress(body, compresslevel=5, mtime=0)
    return generation, body


def _api_answer(body: bytes, flavor: str, gzipped: bool) -> Response:
    answer = Response(200, body, CONTENT_TYPES[flavor])
    if gzipped:
        answer.headers["Content-Encoding"] = "gzip"
    return answer


def _quiet_down(state: MasterState, req: Request, quiet: bool) -> Response:
    denied = items.write_denied(req, MANAGE)
    if denied:
        return denied
    state.quieting_down = quiet
    state.store.generation += 1  # the root answer changed
    return redirect(req.base)


def _root_view(state: MasterState, req: Request) -> RootView:
    return RootView(req.base, state.store.root, state.builds, state.quieting_down)


def _crumb(state: MasterState, req: Request) -> Response:
    crumb = state.security.crumb_for(req.caller)
    return json_response(
        {
            "_class": "hudson.security.csrf.DefaultCrumbIssuer",
            "crumb": crumb,
            "crumbRequestField": CRUMB_FIELD,
        }
    )
