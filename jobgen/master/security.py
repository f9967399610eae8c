"""Users, API tokens, passwords and CSRF crumbs, checked as Jenkins checks them.

Basic auth with an API token is exempt from crumbs (Jenkins' ApiCrumbExclusion); basic
auth with a password acts like a browser session and must send the crumb on POST.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass

from jobgen.master.permissions import ROLES, Permission, grants

CRUMB_FIELD = "Jenkins-Crumb"


@dataclass(frozen=True)
class User:
    """An account: its id, API tokens, optional password, and the permissions it holds."""

    id: str
    tokens: tuple[str, ...]
    password: str | None = None
    permissions: frozenset[Permission] = ROLES["admin"]


@dataclass(frozen=True)
class Caller:
    """Who sent a request: anonymous (user None), by token, or by password (a session)."""

    user: User | None
    by_token: bool = False

    @property
    def name(self) -> str:
        """The user id, or `anonymous`."""
        return self.user.id if self.user else "anonymous"

    def may(self, permission: Permission) -> bool:
        """Whether the caller holds `permission` (anonymous holds none: anonymous read is off)."""
        return self.user is not None and grants(self.user.permissions, permission)


class BadCredentials(Exception):
    """An Authorization header that names no user or a wrong secret (Jenkins answers 401)."""


class Security:
    """The user database and the crumb issuer of one master."""

    def __init__(self, salt: bytes | None = None) -> None:
        self._users: dict[str, User] = {}
        self._salt = salt or secrets.token_bytes(32)
        self._lock = threading.Lock()

    def add_user(
        self,
        user_id: str,
        token: str | None,
        password: str | None = None,
        permissions: frozenset[Permission] = ROLES["admin"],
    ) -> User:
        """Create or replace a user; returns it."""
        user = User(user_id, (token,) if token else (), password, permissions)
        with self._lock:
            self._users[user_id] = user
        return user

    def authenticate(self, authorization: str | None) -> Caller:
        """The caller behind an Authorization header; BadCredentials when it does not check out."""
        if not authorization:
            return Caller(None)
        scheme, _, encoded = authorization.partition(" ")
        if scheme.lower() != "basic":
            raise BadCredentials("unsupported authorization scheme")
        try:
            user_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        except (ValueError, UnicodeDecodeError) as error:
            raise BadCredentials("malformed basic credentials") from error
        user = self._users.get(user_id)
        if user is None:
            raise BadCredentials("unknown user")
        if any(hmac.compare_digest(secret, t) for t in user.tokens):
            return Caller(user, by_token=True)
        if user.password is not None and hmac.compare_digest(secret, user.password):
            return Caller(user, by_token=False)
        raise BadCredentials("wrong secret")

    def crumb_for(self, caller: Caller) -> str:
        """The crumb this caller must echo: SHA-256 hex, tied to the caller as Jenkins ties it."""
        return hmac.new(self._salt, caller.name.encode(), hashlib.sha256).hexdigest()

    def crumb_ok(self, caller: Caller, sent: str | None) -> bool:
        """Whether a POST passes the crumb filter."""
        if caller.by_token:
            return True
        return sent is not None and hmac.compare_digest(sent, self.crumb_for(caller))
