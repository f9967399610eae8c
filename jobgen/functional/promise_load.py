"""`jobgen functional-test`: functional and load test of the promise flow (the talk, slide 20).

    jobgen functional-test --jobs 1000 --rate 20 [--url URL | --target T]

Submits N runs of process_model at R per second, as a platform application
would (an authenticated buildWithParameters with callback URLs to a local
listener), then reports what came back: submitted, started, registration and
report callbacks, duplicates, failures, lost, and latency percentiles. With
neither --url nor --target it starts an embedded master with pipelines
enabled and deploys the example components to it with jobgen's own deploy.
Bounded in time: it stops by itself after --timeout seconds at most.
"""

from __future__ import annotations

import json
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from jobgen.commands.trigger import TriggerError, resolve_job
from jobgen.deploy.client import MasterClient
from jobgen.deploy.deployer import deploy
from jobgen.deploy.session import compile_for_master
from jobgen.deploy.targets import Target, ad_hoc_target, named_target
from jobgen.diagnostics import ExitCode
from jobgen.functional.platform import Callback, CallbackListener
from jobgen.load.loader import find_root
from jobgen.master import EmbeddedMaster

GRACE_S = 1.0  # after the last report, wait this long for duplicates


@dataclass
class Submission:
    """One run as the platform application saw it."""

    key: str
    at: float = 0.0  # time.monotonic() when submitted
    status: int = 0
    queue_url: str = ""
    error: str = ""


@dataclass
class Figures:
    """What the run measured (printed, or as JSON with --json)."""

    jobs: int
    rate: float
    submitted: int = 0
    submit_errors: int = 0
    started: int = 0
    registrations: int = 0
    reports: int = 0
    duplicates: int = 0
    failures: int = 0
    lost_registrations: int = 0
    lost_reports: int = 0
    seconds: float = 0.0
    submit_to_registration: dict[str, float] = field(default_factory=dict)
    submit_to_report: dict[str, float] = field(default_factory=dict)
    failure_reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every submission started and reported back exactly once, successfully."""
        lost = self.lost_registrations + self.lost_reports + self.submit_errors
        return lost == 0 and self.duplicates == 0 and self.failures == 0


def run(
    components: Path,
    target: str | None = None,
    url: str | None = None,
    jobs: int = 100,
    rate: float = 10.0,
    job: str = "process_model",
    timeout: float | None = None,
    as_json: bool = False,
) -> int:
    """Run the test; exit 0 when nothing was lost, duplicated or failed, 1 otherwise."""
    with ExitStack() as stack:
        chosen = stack.enter_context(_master(components, target, url))
        if chosen is None:
            return ExitCode.INVALID
        listener = stack.enter_context(CallbackListener.start())
        client = MasterClient(chosen)
        try:
            full_name = resolve_job(client.listing(), job)
        except TriggerError as error:
            print(f"jobgen functional-test: {error}", file=sys.stderr)
            return ExitCode.INVALID
        figures = run_load(chosen, full_name, listener, jobs, rate, timeout)
    if as_json:
        print(json.dumps(asdict(figures), indent=2))
    else:
        print(format_figures(figures, full_name))
    return ExitCode.OK if figures.ok else ExitCode.INVALID


@contextmanager
def _master(components: Path, target: str | None, url: str | None) -> Iterator[Target | None]:
    """The master under test: the one named, or an embedded one with `components` deployed."""
    if url:
        yield ad_hoc_target(url)
        return
    if target:
        yield named_target(find_root(components), target)
        return
    token = secrets.token_hex(16)
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jobgen-functional-")))
        master = stack.enter_context(
            EmbeddedMaster.start(home, "functional", token, run_pipelines=True)
        )
        embedded = Target(name="embedded", url=master.url, user="functional", token=token)
        yield embedded if deploy_components(components, embedded) else None


def deploy_components(components: Path, target: Target) -> bool:
    """Compile `components` and deploy them with jobgen's own deploy code; False when invalid."""
    compiled = compile_for_master(components)
    if compiled is None:
        return False
    deploy(compiled.artifacts, MasterClient(target), compiled.owner, force=False, workers=8)
    return True


def run_load(
    target: Target,
    full_name: str,
    listener: CallbackListener,
    jobs: int,
    rate: float,
    timeout: float | None = None,
) -> Figures:
    """Submit `jobs` runs at `rate` per second, wait (bounded) for the callbacks, measure."""
    bound = timeout if timeout is not None else jobs / rate + 120.0
    deadline = time.monotonic() + bound
    subs = [Submission(f"run{i:05d}") for i in range(jobs)]
    began = time.monotonic()
    _submit_all(target, full_name, listener, subs, rate, deadline)
    expected = {s.key for s in subs if s.status == 201}
    if listener.wait_for("report", expected, max(0.0, deadline - time.monotonic())):
        time.sleep(GRACE_S)
    figures = measure(subs, listener, jobs, rate)
    figures.started = count_started(target, subs)
    figures.seconds = round(time.monotonic() - began, 1)
    return figures


def _submit_all(
    target: Target,
    full_name: str,
    listener: CallbackListener,
    subs: list[Submission],
    rate: float,
    deadline: float,
) -> None:
    path = "".join(f"job/{quote(part)}/" for part in full_name.split("/"))
    url = f"{target.url.rstrip('/')}/{path}buildWithParameters"
    local = threading.local()
    start = time.monotonic()

    def submit(index: int) -> None:
        pause = start + index / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        sub = subs[index]
        if time.monotonic() > deadline:
            sub.error = "not submitted: out of time"
            return
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        data = {
            "SOURCE_S3_FILE_PATH": f"s3://uploads/{sub.key}.stl",
            "RESULT_S3_FILE_PATH": f"s3://results/{sub.key}/",
            "REGISTRATION_RETURN_URL": listener.url("register", sub.key),
            "REPORT_RETURN_URL": listener.url("report", sub.key),
            "TOOLS_COMMIT": "master",
        }
        sub.at = time.monotonic()
        try:
            answer = session.post(
                url, data=data, auth=_auth(target), allow_redirects=False, timeout=30
            )
            sub.status, sub.queue_url = answer.status_code, answer.headers.get("Location", "")
        except requests.RequestException as error:
            sub.error = type(error).__name__
        if sub.status != 201 and not sub.error:
            sub.error = f"HTTP {sub.status}"

    with ThreadPoolExecutor(max_workers=min(32, max(1, int(rate * 2)))) as pool:
        list(pool.map(submit, range(len(subs))))


def _auth(target: Target) -> tuple[str, str] | None:
    return (target.user, target.token) if target.user and target.token else None


def measure(subs: list[Submission], listener: CallbackListener, jobs: int, rate: float) -> Figures:
    """Count the callbacks per submission and the latencies from each submission."""
    figures = Figures(jobs, rate)
    accepted = {s.key: s for s in subs if s.status == 201}
    figures.submitted = len(accepted)
    figures.submit_errors = len(subs) - len(accepted)
    for kind in ("register", "report"):
        got = [c for c in listener.received(kind) if c.key in accepted]
        counts = Counter(c.key for c in got)
        figures.duplicates += sum(n - 1 for n in counts.values())
        first: dict[str, Callback] = {}
        for callback in got:
            first.setdefault(callback.key, callback)
        latencies = [first[k].at - accepted[k].at for k in first]
        lost = len(accepted) - len(first)
        if kind == "register":
            figures.registrations, figures.lost_registrations = len(first), lost
            figures.submit_to_registration = percentiles(latencies)
        else:
            figures.reports, figures.lost_reports = len(first), lost
            figures.submit_to_report = percentiles(latencies)
            failed = [c for c in first.values() if _status(c.body) != "SUCCESS"]
            figures.failures = len(failed)
            figures.failure_reasons = sorted({_reason(c.body) for c in failed})[:5]
    return figures


def _status(body: Any) -> str:
    return str(body.get("Status")) if isinstance(body, dict) else "unparsed"


def _reason(body: Any) -> str:
    return str(body.get("Reason")) if isinstance(body, dict) else str(body)


def count_started(target: Target, subs: list[Submission]) -> int:
    """How many queue items became builds (each asked once, after the run)."""
    local = threading.local()

    def started(sub: Submission) -> bool:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        try:
            answer = session.get(f"{sub.queue_url}api/json", auth=_auth(target), timeout=30)
            return bool(answer.ok and answer.json().get("executable"))
        except (requests.RequestException, ValueError):
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        return sum(pool.map(started, [s for s in subs if s.queue_url]))


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p90, p99 and max in seconds (nearest rank), or {} with no values."""
    if not values:
        return {}
    ordered = sorted(values)

    def rank(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, int(p * len(ordered) + 0.5) - 1))], 3)

    return {"p50": rank(0.5), "p90": rank(0.9), "p99": rank(0.99), "max": round(ordered[-1], 3)}


def format_figures(figures: Figures, full_name: str) -> str:
    """The figures as a short text report."""
    lines = [
        f"functional test: {figures.jobs} runs of {full_name} at {figures.rate:g}/s "
        f"in {figures.seconds} s",
        f"submitted {figures.submitted}  submit errors {figures.submit_errors}  "
        f"started {figures.started}",
        f"registration callbacks {figures.registrations}  report callbacks {figures.reports}  "
        f"duplicates {figures.duplicates}",
        f"failures {figures.failures}  lost registrations {figures.lost_registrations}  "
        f"lost reports {figures.lost_reports}",
        f"submit -> registration (s): {_shown(figures.submit_to_registration)}",
        f"submit -> report (s):       {_shown(figures.submit_to_report)}",
    ]
    lines += [f"failure: {reason}" for reason in figures.failure_reasons]
    lines.append("OK" if figures.ok else "NOT OK")
    return "\n".join(lines)


def _shown(values: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.3f}" for k, v in values.items()) or "none"
