"""Request dispatch: the security gate, root-level routes, and the walk down `job/<name>/`."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

from jobgen.master import items, runs, system
from jobgen.master.http import (
    Request,
    Response,
    forbidden,
    json_bytes,
    json_response,
    not_found,
    page,
    redirect,
)
from jobgen.master.jsonapi import Exported, Tree, TreeError, export, parse_tree
from jobgen.master.model import Item
from jobgen.master.security import CRUMB_FIELD
from jobgen.master.state import MasterState
from jobgen.master.views import BuildView, ItemView, RootView

# Paths anonymous callers may reach: the root page (python-jenkins' get_version goes out
# unauthenticated), whoAmI, and build-token-root's UnprotectedRootAction.
_UNPROTECTED = (("",), ("whoAmI",), ("buildByToken",))


def dispatch(state: MasterState, req: Request) -> Response:
    """Answer one authenticated request (credentials were already checked)."""
    segments = list(req.segments)
    if req.method == "POST" and segments[:1] != ["buildByToken"] and not _crumb_ok(state, req):
        return Response(403, b"No valid crumb was included in the request")
    if req.caller.user is None and tuple(segments[:1] or [""]) not in _UNPROTECTED:
        return forbidden(req.caller, "Overall/Read")
    if segments and segments[0] == "job":
        return _item_route(state, req, segments)
    if segments[:2] == ["view", "all"]:
        segments = segments[2:]
    return _root_route(state, req, segments)


def _crumb_ok(state: MasterState, req: Request) -> bool:
    """The crumb may come as a header or as a request parameter, as CrumbFilter reads it."""
    sent = req.headers.get(CRUMB_FIELD.lower()) or req.arg(CRUMB_FIELD)
    return state.security.crumb_ok(req.caller, sent)


def _root_route(state: MasterState, req: Request, segments: list[str]) -> Response:
    head, rest = (segments[0], segments[1:]) if segments else ("", [])
    simple: dict[str, Callable[[], Response]] = {
        "": lambda: page("Dashboard [Jenkins]"),
        "api": lambda: api_json(state, req, lambda: _root_view(state, req)),
        "crumbIssuer": lambda: _crumb(state, req),
        "me": lambda: json_response(system.user(req)),
        "whoAmI": lambda: json_response(system.who_am_i(req)),
        "createItem": lambda: items.create_item(state, req, state.store.root),
        "queue": lambda: runs.queue_route(state, req, rest),
        "computer": lambda: json_response(system.computers(state, req)),
        "pluginManager": lambda: json_response(system.plugins(state)),
        "buildByToken": lambda: runs.build_by_token(state, req, rest[0] if rest else ""),
        "quietDown": lambda: _quiet_down(state, req, True),
        "cancelQuietDown": lambda: _quiet_down(state, req, False),
    }
    if head not in simple or not _json_path_ok(head, rest):
        return not_found()
    return simple[head]()


def _json_path_ok(head: str, rest: list[str]) -> bool:
    if head == "api":
        return rest == ["json"]
    if head in ("crumbIssuer", "me", "whoAmI", "pluginManager"):
        return rest == ["api", "json"]
    if head == "computer":
        return rest[-2:] == ["api", "json"] and len(rest) <= 3
    return True


def _item_route(state: MasterState, req: Request, segments: list[str]) -> Response:
    names: list[str] = []
    while len(segments) >= 2 and segments[0] == "job":
        names.append(segments[1])
        segments = segments[2:]
    parent = state.store.find(names[:-1])
    item = state.store.find(names)
    if item is None or parent is None:
        return not_found()
    return _item_action(state, req, parent, item, segments)


def _item_action(
    state: MasterState, req: Request, parent: Item, item: Item, rest: list[str]
) -> Response:
    head = rest[0] if rest else ""
    if head == "" and req.method == "DELETE":
        return items.delete(state, req, parent, item)
    actions: dict[str, Callable[[], Response]] = {
        "": lambda: items.item_page(req, item),
        "configure": lambda: items.item_page(req, item),
        "api": lambda: api_json(state, req, lambda: ItemView(req.base, item, state.builds)),
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
    if rest[1:] == ["api", "json"]:
        return api_json(state, req, lambda: BuildView(req.base, item, build))
    return runs.build_action(state, req, item, build, rest[1:])


def api_json(state: MasterState, req: Request, view: Callable[[], Exported]) -> Response:
    """Export an object with `tree=`/`depth=`; answers are cached per state generation."""
    if req.segments[-2:] != ("api", "json"):
        return not_found()
    tree_text, depth_text = req.arg("tree"), req.arg("depth") or "0"
    gzipped = "gzip" in req.headers.get("accept-encoding", "")
    key = ("/".join(req.segments), tree_text or "", depth_text, req.base, str(gzipped))
    cached = state.cached(key)
    if cached is not None:
        return _json_answer(cached, gzipped)
    try:
        tree = parse_tree(tree_text) if tree_text else None
        depth = int(depth_text)
    except (TreeError, ValueError) as error:
        return Response(400, str(error).encode())
    # One thread builds an answer while concurrent askers wait for it: without this, 50
    # clients missing the cache together would each serialise the same 5 MB listing.
    with state.export_lock:
        body = state.cached(key)
        if body is None:
            generation, body = _serialise(state, view, tree, depth, gzipped)
            state.remember(key, generation, body)
    return _json_answer(body, gzipped)


def _serialise(
    state: MasterState, view: Callable[[], Exported], tree: Tree | None, depth: int, gzipped: bool
) -> tuple[int, bytes]:
    with state.store.lock:
        generation = state.store.generation
        data = export(view(), tree, depth)
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    if gzipped:
        # Stapler compresses exported JSON for clients that accept gzip; so does this master.
        body = gzip.compress(body, compresslevel=5, mtime=0)
    return generation, body


def _json_answer(body: bytes, gzipped: bool) -> Response:
    answer = json_bytes(body)
    if gzipped:
        answer.headers["Content-Encoding"] = "gzip"
    return answer


def _quiet_down(state: MasterState, req: Request, quiet: bool) -> Response:
    denied = items.write_denied(req, "Overall/Manage")
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
