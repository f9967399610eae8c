"""Item routes: createItem, config.xml, delete, rename, enable/disable, job and folder pages."""

from __future__ import annotations

import re

from jobgen.master.configxml import (
    EMPTY_FOLDER_XML,
    FOLDER,
    KIND_CLASSES,
    ConfigError,
    parse_config,
    with_disabled,
)
from jobgen.master.http import (
    Request,
    Response,
    denied,
    failure,
    forbidden,
    not_found,
    page,
    redirect,
    require_post,
    server_error,
)
from jobgen.master.model import Item
from jobgen.master.names import name_problem
from jobgen.master.permissions import CONFIGURE, CREATE, DELETE, EXTENDED_READ, Permission
from jobgen.master.state import MasterState
from jobgen.master.views import item_url

_BLANK = {
    "hudson.model.FreeStyleProject": b"<?xml version='1.1' encoding='UTF-8'?>\n<project/>\n",
    "org.jenkinsci.plugins.workflow.job.WorkflowJob": (
        b"<?xml version='1.1' encoding='UTF-8'?>\n<flow-definition/>\n"
    ),
    KIND_CLASSES[FOLDER]: EMPTY_FOLDER_XML,
}
_TOKEN_ELEMENT = re.compile(rb"<authToken>[^<]*</authToken>")


def write_denied(req: Request, permission: Permission) -> Response | None:
    """403 without the permission; 405 for a GET on a POST-only action."""
    if not req.caller.may(permission):
        return forbidden(req.caller, permission)
    if req.method != "POST":
        return require_post()
    return None


def create_item(state: MasterState, req: Request, parent: Item) -> Response:
    """`createItem`: from an XML body, by copy, or as an empty item of a form-given mode."""
    denied = write_denied(req, CREATE)
    if denied:
        return denied
    mode, content_type = req.arg("mode"), req.headers.get("content-type", "")
    if not content_type and mode != "copy":
        return failure("No Content-Type header set")
    name = req.arg("name")
    if name is None:
        return failure("Query parameter 'name' is required")
    problem = name_problem(name)
    if problem:
        return failure(problem)
    name = name.strip()
    with state.store.lock:
        if name.lower() in parent.children:
            return failure(f"A job already exists with the name ‘{name}’")
        if mode == "copy":
            return _copy(state, req, parent, name)
        if content_type.startswith(("application/xml", "text/xml")):
            return _create_from_xml(state, req, parent, name)
        if not mode:
            return failure("No mode given")
        blank = _BLANK.get(mode)
        if blank is None:
            return failure(f"No item type ‘{mode}’ is known")
        config = state.saved(blank)
        item = state.store.create(parent, name, config, parse_config(config, persist=True))
        return redirect(item_url(req.base, item.full_name) + "configure")


def _create_from_xml(state: MasterState, req: Request, parent: Item, name: str) -> Response:
    try:
        info = parse_config(req.body, persist=True)
    except ConfigError as error:
        return server_error(str(error))
    # ItemGroupMixIn.createProjectFromXML writes the upload and loads it, without a save.
    state.store.create(parent, name, req.body, info)
    return Response(200)


def _copy(state: MasterState, req: Request, parent: Item, name: str) -> Response:
    source_name = req.arg("from")
    if not source_name:
        return failure("Specify which job to copy")
    if source_name.startswith("/"):
        source = state.store.find(source_name.strip("/").split("/"))
    else:
        source = state.store.find([*_names(parent), *source_name.split("/")])
    if source is None or source is state.store.root:
        return failure(f"No such job: {source_name}")
    refused = denied(req.caller, EXTENDED_READ)  # ItemGroupMixIn.copy reads the source
    if refused:
        return refused
    item = state.store.create(parent, name, source.config, source.info)  # Files.copy
    return redirect(item_url(req.base, item.full_name) + "configure")


def config_xml(state: MasterState, req: Request, item: Item) -> Response:
    """GET the stored config.xml, or POST a new one over it."""
    if req.method == "GET":
        refused = denied(req.caller, EXTENDED_READ)
        if refused:
            return refused
        body = item.config
        if not req.caller.may(CONFIGURE):  # ExtendedReadRedaction masks secrets
            body = _TOKEN_ELEMENT.sub(b"<authToken>********</authToken>", body)
        return Response(200, body, "application/xml")
    if req.method != "POST":
        return failure("Unexpected method " + req.method)
    refused = write_denied(req, CONFIGURE)
    if refused:
        return refused
    try:
        info = parse_config(req.body, persist=False)
    except ConfigError as error:
        return server_error(str(error))
    if info.kind != item.info.kind:
        wanted, got = KIND_CLASSES[item.info.kind], KIND_CLASSES[info.kind]
        return server_error(f"Expecting class {wanted} but got class {got} instead")
    # AbstractItem.updateByXml loads the upload, then re-serialises the item from memory.
    state.store.reconfigure(item, state.saved(req.body), info)
    return Response(200)


def delete(state: MasterState, req: Request, parent: Item, item: Item) -> Response:
    """POST doDelete (302 to the parent) or DELETE on the item (204)."""
    if req.method == "DELETE":
        if not req.caller.may(DELETE):
            return forbidden(req.caller, DELETE)
        state.store.delete(parent, item)
        return Response(204)
    denied = write_denied(req, DELETE)
    if denied:
        return denied
    state.store.delete(parent, item)
    return redirect(item_url(req.base, parent.full_name))


def rename(state: MasterState, req: Request, parent: Item, item: Item) -> Response:
    """`doRename?newName=`: 302 to the renamed item, or a Failure."""
    denied = write_denied(req, CONFIGURE)
    if denied:
        return denied
    new_name = (req.arg("newName") or "").strip()
    problem = name_problem(new_name)
    if problem:
        return failure(problem)
    if new_name == item.name:
        return failure("The new name is the same as the current name.")
    with state.store.lock:
        existing = parent.children.get(new_name.lower())
        if existing is not None and existing is not item:
            return failure(f"The name “{new_name}” is already in use.")
        if any(b.building for b in item.builds.values()):
            return failure("Unable to rename a job while it is building.")
        moved = state.store.rename(parent, item, new_name)
    return redirect(item_url(req.base, moved.full_name))


def set_enabled(state: MasterState, req: Request, item: Item, enabled: bool) -> Response:
    """POST enable / disable: the job's config.xml gets `<disabled>` and 302 to the job."""
    denied = write_denied(req, CONFIGURE)
    if denied:
        return denied
    if item.is_folder:
        return not_found()
    config = state.saved(with_disabled(item.config, not enabled))
    state.store.reconfigure(item, config, parse_config(config, persist=False))
    if not enabled:
        state.builds.cancel_job(item)
    return redirect(item_url(req.base, item.full_name))


def item_page(req: Request, item: Item) -> Response:
    """The HTML page of a job or folder (what redirects land on)."""
    if req.method not in ("GET", "HEAD"):
        return Response(405, headers={"Allow": "GET"})
    return page(item.full_name or "Dashboard [Jenkins]")


def _names(item: Item) -> list[str]:
    return [p for p in item.full_name.split("/") if p]
