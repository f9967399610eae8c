"""`jobgen trigger`: start a job as a platform application would, follow it, report its result.

The job is triggered with an authenticated `buildWithParameters` (the API
token of the target, never a build token in the job's config), the queue
item is followed to the build, whose URL is printed; with `--wait`, the
result too. A common name runs its alias, or its newest deployed version.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jenkins
import requests

from jobgen.deploy.client import MasterClient, MasterError
from jobgen.deploy.connect import connect
from jobgen.deploy.listing import Listing
from jobgen.deploy.targets import TargetError
from jobgen.diagnostics import ExitCode
from jobgen.load.loader import find_root

POLL_S = 0.05
_VERSION = re.compile(r"-v(\d+)-[0-9a-f]+$")


class TriggerError(Exception):
    """The job cannot be triggered or followed; the message says why."""


@dataclass(frozen=True)
class Started:
    """A triggered build: its full name, number and URL, and its result once known."""

    full_name: str
    number: int
    url: str
    result: str | None = None


def run(
    components: Path,
    job: str,
    params: Sequence[str],
    wait: bool = False,
    target: str | None = None,
    url: str | None = None,
    timeout: float = 600.0,
) -> int:
    """Trigger JOB with K=V parameters; 0 when started (with --wait: when it succeeded)."""
    try:
        parameters = parse_params(params)
    except ValueError as error:
        print(f"jobgen trigger: {error}", file=sys.stderr)
        return ExitCode.USAGE
    try:
        with connect(find_root(components), target, url) as connection:
            full_name = resolve_job(connection.client.listing(), job)
            server = _server(connection.client)
            started = trigger(server, full_name, parameters, timeout)
            print(started.url, flush=True)
            if not wait:
                return ExitCode.OK
            finished = wait_result(server, started, timeout)
    except (TriggerError, MasterError, TargetError, jenkins.JenkinsException) as error:
        print(f"jobgen trigger: {error}", file=sys.stderr)
        return ExitCode.INVALID
    print(finished.result)
    return ExitCode.OK if finished.result == "SUCCESS" else ExitCode.INVALID


def parse_params(params: Sequence[str]) -> dict[str, str]:
    """`K=V` strings as a mapping; ValueError naming the first malformed one."""
    parsed: dict[str, str] = {}
    for text in params:
        name, sep, value = text.partition("=")
        if not sep or not name:
            raise ValueError(f"--param {text!r}: expected NAME=VALUE")
        parsed[name] = value
    return parsed


def resolve_job(listing: Listing, job: str) -> str:
    """A full name as given, else a common name's alias, else its newest deployed version."""
    items = {name: item for name, item in listing.items.items() if not item.is_folder}
    if job in items:
        return job
    base = job.rsplit("/", 1)[-1]
    named = [i for i in items.values() if i.marker and i.marker.name == base]
    aliases = [i.full_name for i in named if i.full_name.rsplit("/", 1)[-1] == base]
    if aliases:
        return sorted(aliases)[0]
    versions = [(_version(i.full_name), i.full_name) for i in named]
    versions = [(n, name) for n, name in versions if n is not None]
    if not versions:
        raise TriggerError(f"no job {job!r} on the master (deploy it first)")
    return max(versions)[1]


def _version(full_name: str) -> int | None:
    match = _VERSION.search(full_name)
    return int(match.group(1)) if match else None


def _server(client: MasterClient) -> jenkins.Jenkins:
    found = client.target
    return jenkins.Jenkins(
        found.url, username=found.user, password=found.token, timeout=found.timeout
    )


def trigger(
    server: jenkins.Jenkins, full_name: str, parameters: dict[str, str], timeout: float
) -> Started:
    """Queue the build and follow its queue item until it started (bounded by `timeout`)."""
    queue_id = _queue(server, full_name, parameters)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        item = server.get_queue_item(queue_id)
        if item.get("cancelled"):
            raise TriggerError(f"{full_name}: queue item {queue_id} was cancelled")
        executable = item.get("executable")
        if executable:
            return Started(full_name, int(executable["number"]), str(executable["url"]))
        time.sleep(POLL_S)
    raise TriggerError(f"{full_name}: not started within {timeout:g} s (queue item {queue_id})")


def _queue(server: jenkins.Jenkins, full_name: str, parameters: dict[str, str]) -> int:
    """The queue id of a new build. A parameterized job is always started through
    `buildWithParameters`: Jenkins' `build` on it wants a form submission and answers 400
    without one (docs/jenkins-facts.md, walk16); with no `--param` it takes the defaults."""
    if parameters or not _parameterized(server, full_name):
        return int(server.build_job(full_name, parameters or None))
    url = server.build_job_url(full_name).removesuffix("build") + "buildWithParameters"
    answer = server.jenkins_request(requests.Request("POST", url))
    return int(answer.headers["Location"].rstrip("/").rpartition("/")[2])


def _parameterized(server: jenkins.Jenkins, full_name: str) -> bool:
    properties = server.get_job_info(full_name).get("property") or []
    return any(p.get("parameterDefinitions") for p in properties)


def wait_result(server: jenkins.Jenkins, started: Started, timeout: float) -> Started:
    """Poll the build until it has a result (bounded by `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = server.get_build_info(started.full_name, started.number)
        if not info.get("building") and info.get("result"):
            return Started(started.full_name, started.number, started.url, str(info["result"]))
        time.sleep(POLL_S)
    raise TriggerError(f"{started.url}: no result within {timeout:g} s")
