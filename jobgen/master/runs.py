"""Build routes: triggering (build, buildWithParameters, buildByToken), queue items, runs."""

from __future__ import annotations

import hmac
from html import escape

from jobgen.master.http import (
    Request,
    Response,
    failure,
    forbidden,
    json_response,
    not_found,
    page,
    redirect,
    require_post,
    server_error,
)
from jobgen.master.inputs import may_settle
from jobgen.master.model import Build, Item
from jobgen.master.permissions import ADMINISTER, BUILD, CANCEL, RUN_DELETE
from jobgen.master.state import MasterState
from jobgen.master.views import item_url, queue_item_json

ALIASES = {
    "lastBuild": None,
    "lastCompletedBuild": (),
    "lastSuccessfulBuild": ("SUCCESS", "UNSTABLE"),
    "lastStableBuild": ("SUCCESS",),
    "lastFailedBuild": ("FAILURE",),
    "lastUnstableBuild": ("UNSTABLE",),
}


def trigger(state: MasterState, req: Request, item: Item, with_parameters: bool) -> Response:
    """`job/N/build` and `job/N/buildWithParameters`: 201 + Location of the queue item."""
    if item.is_folder:
        return not_found()
    token = req.arg("token")
    if token is not None:
        if not _token_matches(item, token):
            return forbidden_token()
    elif not req.caller.may(BUILD):
        return forbidden(req.caller, BUILD)
    elif req.method != "POST":
        return require_post()
    if item.info.disabled:
        return Response(409, f"{item.full_name} is not buildable".encode())
    if with_parameters and not item.info.parameters:
        return failure(f"{item.full_name} is not parameterized")
    if not with_parameters and item.info.parameters and req.arg("json") is None:
        # Stapler's form-submission error; the exact status is unconfirmed (reference §8).
        return failure("This page expects a form submission")
    cause = f"remote:{req.remote}" if token is not None else f"user:{req.caller.name}"
    return _queue(state, req, item, cause, with_parameters, "queue/item/")


def build_by_token(state: MasterState, req: Request, action: str) -> Response:
    """`/buildByToken/build|buildWithParameters?job=full/name&token=T` (build-token-root)."""
    full_name = (req.arg("job") or "").strip("/")
    item = state.store.find(full_name.split("/")) if full_name else None
    if item is None or item is state.store.root or item.is_folder or not item.info.auth_token:
        return not_found()
    if not _token_matches(item, req.arg("token") or ""):
        return forbidden_token()
    parameterized = bool(item.info.parameters)
    if action == "build" and parameterized:
        return failure(
            "Use /buildByToken/buildWithParameters for this job since it takes parameters"
        )
    if action == "buildWithParameters" and not parameterized:
        return failure("Use /buildByToken/build for this job since it takes no parameters")
    if item.info.disabled:
        return failure(f"{item.full_name} is not buildable")
    return _queue(state, req, item, f"remote:{req.remote}", parameterized, "/queue/item/")


def forbidden_token() -> Response:
    """403 for a wrong build token."""
    return Response(403, b"<html><body>Invalid token provided.</body></html>")


def _token_matches(item: Item, token: str) -> bool:
    expected = item.info.auth_token
    return expected is not None and hmac.compare_digest(expected, token)


def _queue(
    state: MasterState, req: Request, item: Item, cause: str, with_parameters: bool, prefix: str
) -> Response:
    parameters = {}
    if with_parameters:
        for definition in item.info.parameters:
            name, values = definition.name, req.query.get(definition.name)
            # SimpleParameterDefinition.createValue and ChoiceParameterDefinition.checkValue
            # throw IllegalArgumentException, which reaches the client as a 500.
            if values is not None and len(values) != 1:
                return _illegal(f"Illegal number of parameter values for {name}: {len(values)}")
            value = definition.default if values is None else values[0]
            choice = definition.type == "ChoiceParameterDefinition"
            if choice and values is not None and value not in definition.choices:
                return _illegal(f"Illegal choice for parameter {name}: {value}")
            parameters[name] = value
    queued, new = state.builds.schedule(item, parameters, cause, _job_quiet_period(item))
    location = (req.base if prefix.startswith("queue") else "") + f"{prefix}{queued.id}/"
    if not new and with_parameters:
        return Response(303, headers={"Location": location})
    return Response(201, headers={"Location": location})


def _illegal(message: str) -> Response:
    return server_error(f"java.lang.IllegalArgumentException: {message}")


def _job_quiet_period(item: Item) -> float | None:
    """The job's own `<quietPeriod>` (seconds), which wins over the master's."""
    text = (item.info.quiet_period or "").strip()
    return float(text) if text.isdigit() else None


def queue_route(state: MasterState, req: Request, rest: list[str]) -> Response:
    """`queue/api/json`, `queue/item/<id>/[api/json]`, `queue/cancelItem?id=`."""
    if rest == ["api", "json"]:
        items = [queue_item_json(req.base, q) for q in state.builds.waiting()]
        return json_response(
            {"_class": "hudson.model.Queue", "discoverableItems": [], "items": items}
        )
    if rest == ["cancelItem"]:
        return _cancel(state, req)
    if len(rest) >= 2 and rest[0] == "item" and rest[1].isdigit():
        queued = state.builds.find(int(rest[1]))
        if queued is None:
            return not_found()
        if rest[2:] == ["api", "json"]:
            with state.store.lock:
                return json_response(queue_item_json(req.base, queued))
        if not rest[2:]:
            return page(f"Queue item {queued.id}")
    return not_found()


def _cancel(state: MasterState, req: Request) -> Response:
    if not req.caller.may(CANCEL):
        return forbidden(req.caller, CANCEL)
    if req.method != "POST":
        return require_post()
    raw = req.arg("id") or ""
    done = state.builds.cancel(int(raw)) if raw.isdigit() else None
    if done is None:
        return Response(404, f"Provided id ({raw}) not found".encode())
    return Response(204) if done else Response(422)


def _progressive(req: Request, build: Build, html: bool) -> Response:
    """stapler LargeText.doProgressText: the log from byte `start` on, its size in
    X-Text-Size, and X-More-Data while the build runs (a start past the end reads from 0)."""
    data = build.log.encode()
    raw = req.arg("start") or "0"
    if not raw.isdigit():
        return server_error(f'java.lang.NumberFormatException: For input string: "{raw}"')
    start = int(raw) if int(raw) <= len(data) else 0
    chunk = data[start:]
    headers = {"X-Text-Size": str(len(data))}
    if build.building:
        headers["X-More-Data"] = "true"
    if html:
        return Response(200, escape(chunk.decode()).encode(), "text/html;charset=UTF-8", headers)
    return Response(200, chunk, "text/plain;charset=UTF-8", headers)


def find_build(item: Item, ref: str) -> Build | None:
    """A build by number or by permalink (`lastBuild`, `lastSuccessfulBuild`, ...)."""
    if ref.isdigit():
        return item.builds.get(int(ref))
    if ref not in ALIASES:
        return None
    results = ALIASES[ref]
    if results is None:
        return item.last_build()
    return item.newest(results or None)


def build_action(
    state: MasterState, req: Request, item: Item, build: Build, rest: list[str]
) -> Response:
    """Everything under `job/N/<n>/` except api/json: console, artifacts, stop, delete."""
    if rest == ["consoleText"]:
        text = build.log or f"Started (embedded master)\nBuild #{build.number} is running\n"
        return Response(200, text.encode(), "text/plain;charset=UTF-8")
    if rest[:1] == ["logText"] and rest[1:] in (["progressiveText"], ["progressiveHtml"]):
        return _progressive(req, build, html=rest[1] == "progressiveHtml")
    if rest and rest[0] == "artifact":
        relative = "/".join(rest[1:])
        path = state.store.artifact_path(item, build.number, relative)
        if relative not in build.artifacts or not path.is_file():
            return not_found()
        return Response(200, path.read_bytes(), "application/octet-stream")
    if rest in (["stop"], ["doDelete"]):
        wanted = RUN_DELETE if rest == ["doDelete"] else CANCEL
        if not req.caller.may(wanted):
            return forbidden(req.caller, wanted)
        if req.method != "POST":
            return require_post()
        if rest == ["doDelete"]:
            state.store.delete_build(item, build.number)
        return redirect(item_url(req.base, item.full_name))
    if len(rest) == 3 and rest[0] == "input" and rest[2] in ("proceedEmpty", "abort"):
        return _settle_input(state, req, item, build, rest[1], rest[2])
    if not rest:
        return page(f"{item.full_name} #{build.number}")
    return not_found()


def _settle_input(
    state: MasterState, req: Request, item: Item, build: Build, input_id: str, action: str
) -> Response:
    """pipeline-input-step's doProceedEmpty / doAbort (both @RequirePOST)."""
    if req.method != "POST":
        return require_post()
    pending = state.inputs.find((item.full_name, build.number), input_id)
    if pending is None:
        return not_found()
    user = req.caller.user
    admin, may_build = req.caller.may(ADMINISTER), req.caller.may(BUILD)
    settles = user is not None and may_settle(pending, user.id, admin, may_build)
    # doAbort: preAbortCheck also lets Job/Cancel abort (InputStepExecution.java:318-328).
    if user is None or not (settles or (action == "abort" and req.caller.may(CANCEL))):
        return forbidden(req.caller, BUILD)
    pending.outcome, pending.by = ("proceed" if action == "proceedEmpty" else "abort"), user.id
    pending.settled.set()
    return Response(200, b"", "text/plain;charset=UTF-8")
