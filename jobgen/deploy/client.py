"""A master, spoken to through the unmodified python-jenkins client, with retries.

Transient failures (connection errors, timeouts, 500, 502, 503, 504) are
retried with exponential backoff; anything else is raised at once as a
MasterError naming the item and what the master said.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import jenkins
import requests

from jobgen.deploy.listing import Listing, parse_listing, tree_query
from jobgen.deploy.targets import Target, missing_credentials

T = TypeVar("T")
TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
XML_HEADERS = {"Content-Type": "text/xml; charset=utf-8"}


class MasterError(Exception):
    """The master refused a request, or kept failing after every retry."""


class AlreadyExists(MasterError):
    """createItem found an item of that name (Jenkins' 400)."""


class NotFound(MasterError):
    """The item (or its folder) does not exist (Jenkins' 404)."""


class PluginListForbidden(MasterError):
    """pluginManager/api/json answered 403: the account lacks Overall/SystemRead."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently transient failures are retried."""

    attempts: int = 6
    first_delay: float = 0.05
    max_delay: float = 2.0


class MasterClient:
    """Reads and writes a master's items by full name (`folder/job`)."""

    def __init__(self, target: Target, retry: RetryPolicy | None = None) -> None:
        self.target = target
        self.retry = retry or RetryPolicy()
        self._local = threading.local()
        self.writes = 0  # write requests that reached the master, for reports and tests
        self._lock = threading.Lock()

    @property
    def prefix(self) -> str:
        """What full names start with on this master: the target's root folder and a slash."""
        return f"{self.target.folder}/" if self.target.folder else ""

    def listing(self, levels: int = 4) -> Listing:
        """Every item down to `levels` of folders, from one request."""
        prefix = self.prefix
        item = _folder_path(self.target.folder) if self.target.folder else ""
        try:
            data = self._call(lambda j: j.get_info(item=item.rstrip("/"), query=tree_query(levels)))
        except NotFound:
            return Listing({})  # the root folder does not exist yet: nothing deployed
        return parse_listing(data, prefix)

    def plugins(self) -> dict[str, str]:
        """Installed, enabled plugins: short name -> version."""
        try:
            data = self._call(lambda j: j.get_plugins(depth=2))
        except MasterError as error:
            # Jenkins' PluginManager.getApi() checks Overall/SystemRead: an account that may
            # create and configure jobs without it gets 403 here, and only here.
            if error.__cause__ is None or _status(error.__cause__) != 403:
                raise
            user = self.target.user or "anonymous"
            raise PluginListForbidden(
                f"the master answered 403 to pluginManager/api/json: reading the plugin list "
                f"needs Overall/SystemRead, which {user} lacks (nothing was changed)\n"
                f"    grant {user} Overall/SystemRead (or Administer), or deploy with "
                f"--skip-plugin-check and make sure the master has the plugins in "
                f"build/manifest.json"
            ) from error
        return {
            key[0] if isinstance(key, tuple) else key: str(info.get("version", ""))
            for key, info in data.items()
            if info.get("enabled", True) and info.get("active", True)
        }

    def create(self, full_name: str, config: bytes) -> None:
        """POST createItem in the item's folder: one request, the bytes as compiled."""
        folder, _, name = full_name.rpartition("/")
        path = f"{_folder_path(folder)}createItem?name={quote(name)}"
        self._write(lambda j: self._post(j, path, config), full_name)

    def reconfigure(self, full_name: str, config: bytes) -> None:
        """POST a new config.xml over an existing item."""
        path = f"{_folder_path(full_name)}config.xml"
        self._write(lambda j: self._post(j, path, config), full_name)

    def delete(self, full_name: str) -> None:
        """Delete an item (and, for a folder, everything in it)."""
        self._write(lambda j: j.delete_job(full_name), full_name)

    def disable(self, full_name: str) -> None:
        """Disable a job instead of deleting it."""
        self._write(lambda j: j.disable_job(full_name), full_name)

    def config(self, full_name: str) -> str:
        """The item's config.xml as the master has it."""
        return str(self._call(lambda j: j.get_job_config(full_name)))

    def queued(self) -> set[str]:
        """Full names of the jobs with an item in the build queue."""
        items = self._call(lambda j: j.get_queue_info())
        names = set()
        for item in items:
            url = str((item.get("task") or {}).get("url") or "")
            names.add(_full_name_from_url(url))
        return names

    def _write(self, action: Callable[[jenkins.Jenkins], Any], full_name: str) -> None:
        self._call(action, full_name)
        with self._lock:
            self.writes += 1

    def _post(self, server: jenkins.Jenkins, path: str, body: bytes) -> None:
        request = requests.Request("POST", server._build_url(path), data=body, headers=XML_HEADERS)
        server.jenkins_request(request)

    def _server(self) -> jenkins.Jenkins:
        server = getattr(self._local, "server", None)
        if server is None:
            server = jenkins.Jenkins(
                self.target.url,
                username=self.target.user,
                password=self.target.token,
                timeout=self.target.timeout,
            )
            self._local.server = server
        return server

    def _call(self, action: Callable[[jenkins.Jenkins], T], item: str = "") -> T:
        delay = self.retry.first_delay
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return action(self._server())
            except Exception as error:  # classified right below: transient, or raised at once
                if _already_exists(error):
                    raise AlreadyExists(f"{item}: already exists on the master") from error
                if isinstance(error, jenkins.NotFoundException):
                    raise NotFound(f"{item}: not found on the master") from error
                if not _transient(error) or attempt == self.retry.attempts:
                    raise MasterError(_describe(error, item, attempt, self.target)) from error
                self._local.server = None  # a fresh session after a dropped connection
                time.sleep(delay)
                delay = min(delay * 2, self.retry.max_delay)
        raise AssertionError("unreachable")


def _folder_path(full_name: str) -> str:
    """`a/b` -> `job/a/job/b/`, each segment percent-encoded as python-jenkins does."""
    return "".join(f"job/{quote(part)}/" for part in full_name.split("/") if part)


def _full_name_from_url(url: str) -> str:
    from urllib.parse import unquote, urlparse

    parts = urlparse(url).path.strip("/").split("/")
    return "/".join(unquote(parts[i + 1]) for i in range(len(parts) - 1) if parts[i] == "job")


def _status(error: BaseException) -> int | None:
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return int(error.response.status_code)
    if isinstance(error, jenkins.JenkinsException):
        for code in (401, 403, 500):
            if f"[{code}]" in str(error):
                return code
    return None


def _transient(error: BaseException) -> bool:
    if isinstance(error, requests.ConnectionError | requests.Timeout | jenkins.TimeoutException):
        return True
    if isinstance(error, jenkins.JenkinsException) and "Error in request" in str(error):
        return _status(error) in (None, 500)  # URLError-style failures carry no status
    return _status(error) in TRANSIENT_STATUSES


def _already_exists(error: BaseException) -> bool:
    return _status(error) == 400 and "already exists" in _body(error)


def _body(error: BaseException) -> str:
    if isinstance(error, requests.HTTPError) and error.response is not None:
        header = error.response.headers.get("X-Error", "")
        return f"{header} {error.response.text[:500]}"
    return str(error)


def _describe(error: BaseException, item: str, attempt: int, target: Target) -> str:
    what = f"{item}: " if item else ""
    status = _status(error)
    tries = f" (after {attempt} attempts)" if attempt > 1 else ""
    if status in (401, 403):
        missing = missing_credentials(target)
        if missing:
            return (
                f"{what}the master refused the request [{status}]: "
                f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set "
                f"(target {target.name} reads its user and API token from "
                f"{' and '.join(target.credentials_env)})"
            )
        user_env, token_env = target.credentials_env
        return (
            f"{what}the master refused the credentials [{status}]: check the user and API token "
            f"in {user_env} and {token_env}"
        )
    return f"{what}{type(error).__name__}: {_body(error).strip()[:300]}{tries}"
