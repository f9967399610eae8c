"""Requests and responses as the route functions see them, and Jenkins' stock answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from typing import Any

from jobgen.master.permissions import Permission
from jobgen.master.security import Caller

JENKINS_VERSION = "2.479.1"


@dataclass(frozen=True)
class Request:
    """One parsed HTTP request: path segments percent-decoded, query values as lists."""

    method: str
    segments: tuple[str, ...]
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    caller: Caller
    base: str  # absolute root URL ending in `/`
    remote: str

    def arg(self, name: str) -> str | None:
        """The first value of a query (or form) parameter."""
        values = self.query.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Response:
    """What to send back."""

    status: int
    body: bytes = b""
    content_type: str = "text/html;charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(data: Any) -> Response:
    """200 with compact JSON, as Stapler sends it."""
    return json_bytes(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())


def json_bytes(body: bytes) -> Response:
    """200 with an already serialised JSON body."""
    return Response(200, body, "application/json;charset=utf-8")


def page(title: str) -> Response:
    """200 with a small HTML page (job pages, folder pages, the root page)."""
    return Response(200, f"<html><head><title>{escape(title)}</title></head></html>".encode())


def failure(message: str, status: int = 400) -> Response:
    """Jenkins' `Failure`: 400 with the message in `X-Error` and in an HTML body."""
    body = f"<html><body><h1>Error</h1><p>{escape(message)}</p></body></html>".encode()
    return Response(status, body, headers={"X-Error": _header_safe(message)})


def server_error(message: str) -> Response:
    """500, as Jenkins answers an IOException from a write."""
    return Response(
        500, f"<html><body><h2>HTTP ERROR 500 {escape(message)}</h2></body></html>".encode()
    )


def not_found() -> Response:
    """404, as Stapler answers an unknown path."""
    return Response(404, b"<html><body><h2>HTTP ERROR 404 Not Found</h2></body></html>")


def redirect(location: str) -> Response:
    """302 to an absolute URL (requests follows it with a GET)."""
    return Response(302, b"", headers={"Location": location})


def require_post() -> Response:
    """405 for a GET on an action that needs POST."""
    return Response(
        405, b"<html><body>This URL requires POST</body></html>", headers={"Allow": "POST"}
    )


def denied(caller: Caller, permission: Permission) -> Response | None:
    """None when the caller holds `permission`, else Jenkins' 403 (AccessDeniedException3)."""
    return None if caller.may(permission) else forbidden(caller, permission)


def forbidden(caller: Caller, permission: Permission) -> Response:
    """403 for a caller without the permission (anonymous: the login-required page)."""
    if caller.user is None:
        body = b"<html><head><meta http-equiv='refresh' content='1;url=/login'/></head></html>"
        return Response(403, body, headers={"X-Hudson": "1.395"})
    message = f"{caller.name} is missing the {permission.title} permission"
    headers = {"X-You-Are-Authenticated-As": caller.name, "X-Required-Permission": permission.id}
    if permission.implied_by is not None:
        # Jenkins adds one header per implier; the first is the one that matters here.
        headers["X-Permission-Implied-By"] = permission.implied_by.id
    return Response(403, f"<html><body>{escape(message)}</body></html>".encode(), headers=headers)


def _header_safe(text: str) -> str:
    # http.server encodes headers as latin-1; Jenkins' ‘’ quotes must not break the response.
    return text.encode("latin-1", "replace").decode("latin-1")
