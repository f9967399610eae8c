"""The build queue and the executors: queued items start soon and complete in no-op mode.

Each job kind has an executor, a callable from BuildContext to Outcome. Freestyle and
pipeline jobs both run the no-op executor for now; a later issue can register one that
runs a pipeline's Groovy (`Builds.executors[PIPELINE] = run_groovy`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from jobgen.master.clock import Clock
from jobgen.master.configxml import FREESTYLE, PIPELINE
from jobgen.master.model import Build, Item
from jobgen.master.store import Store

LEFT_ITEM_SECONDS = 300  # Jenkins keeps a left queue item for five minutes
QUIET_PERIOD = 5.0  # Jenkins.getQuietPeriod() without a configured value
REPORT_PARAMETER = "REPORT_RETURN_URL"


@dataclass(frozen=True)
class BuildContext:
    """What an executor is told about the build it runs."""

    full_name: str
    kind: str
    number: int
    parameters: dict[str, str]
    result: str  # the result a test chose for this job (SUCCESS by default)
    delay: float
    stop: threading.Event
    artifacts: Mapping[str, bytes] = field(default_factory=dict)  # the test's chosen archive


@dataclass(frozen=True)
class Outcome:
    """What a build ended with: its result, console text and archived files."""

    result: str
    log: str
    artifacts: dict[str, bytes] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)  # what the run set with env.X = ...


Executor = Callable[[BuildContext], Outcome]


def noop_executor(context: BuildContext) -> Outcome:
    """Wait the chosen delay, end with the chosen result; archive report.json when asked to."""
    context.stop.wait(context.delay)
    lines = [
        f"Started by {context.full_name} #{context.number} (embedded master, no-op mode)",
        *(f"{k}={v}" for k, v in sorted(context.parameters.items())),
        f"Finished: {context.result}",
    ]
    log = "\n".join(lines) + "\n"
    artifacts = dict(context.artifacts)
    if REPORT_PARAMETER in context.parameters:
        report = {
            "Process": context.full_name,
            "Status": context.result,
            "Reason": "" if context.result == "SUCCESS" else f"mocked {context.result}",
            "Data": {"number": context.number, "parameters": context.parameters},
            "Log": log,
        }
        artifacts["report.json"] = json.dumps(report, indent=2).encode()
    return Outcome(context.result, log, artifacts)


@dataclass
class QueueItem:
    """A queued build request; `build` is set once it started, `left_at` once it left."""

    id: int
    item: Item
    parameters: dict[str, str]
    cause: str
    since: int
    due: float  # time.monotonic() at which the quiet period ends
    build: Build | None = None
    cancelled: bool = False
    left_at: float | None = None


@dataclass(frozen=True)
class Plan:
    """The result and duration a test chose for a job's next builds."""

    result: str = "SUCCESS"
    delay: float = 0.0
    artifacts: Mapping[str, bytes] = field(default_factory=dict)  # what each build archives


class Builds:
    """Queue, plans and executors of one master; every build runs on its own daemon thread."""

    def __init__(self, store: Store, clock: Clock, quiet_period: float = QUIET_PERIOD) -> None:
        self.store = store
        self.clock = clock
        self.quiet_period = quiet_period
        self.on_finish: Callable[[Item], None] = lambda item: None  # the build discarder
        self.finalizing = 0  # builds finished whose on_finish (the discarder) has not yet run
        self.executors: dict[str, Executor] = {FREESTYLE: noop_executor, PIPELINE: noop_executor}
        self.plans: dict[str, Plan] = {}
        self.stop = threading.Event()
        self._queue: dict[int, QueueItem] = {}
        self._next_id = int(time.time()) % 100_000  # ids keep growing across restarts
        self._threads: list[threading.Thread] = []
        self._ended = (
            threading.Condition()
        )  # notified when a build finishes or an item is cancelled

    def schedule(
        self, item: Item, parameters: dict[str, str], cause: str, quiet: float | None = None
    ) -> tuple[QueueItem, bool]:
        """Queue a build; returns the item and False when an identical one was already waiting.

        As Queue.scheduleInternal: a request with the same parameters as an item still in
        the queue folds into it, and the item keeps the earlier of the two due times.
        """
        period = self.quiet_period if quiet is None else quiet
        due = time.monotonic() + period
        with self.store.lock:
            for waiting in self._queue.values():
                same = waiting.item is item and waiting.parameters == parameters
                if same and waiting.left_at is None:
                    waiting.due = min(waiting.due, due)
                    return waiting, False
            self._next_id += 1
            queued = QueueItem(self._next_id, item, parameters, cause, self.clock.now_ms(), due=due)
            self._queue[queued.id] = queued
            self.store.generation += 1
        thread = threading.Thread(target=self._run, args=(queued,), daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return queued, True

    def find(self, queue_id: int) -> QueueItem | None:
        """A queue item, or None once it expired (five minutes after it left the queue)."""
        with self.store.lock:
            queued = self._queue.get(queue_id)
            if queued and queued.left_at and time.monotonic() - queued.left_at > LEFT_ITEM_SECONDS:
                del self._queue[queue_id]
                return None
            return queued

    def waiting(self) -> list[QueueItem]:
        """Items still in the queue (not started, not cancelled)."""
        with self.store.lock:
            return [q for q in self._queue.values() if q.left_at is None]

    def waiting_or_running(self) -> list[QueueItem]:
        """Items waiting, and started ones whose build still runs."""
        with self.store.lock:
            return [
                q
                for q in self._queue.values()
                if q.left_at is None or (q.build is not None and q.build.building)
            ]

    def cancel(self, queue_id: int) -> bool | None:
        """Cancel a waiting item: True done, False not cancellable, None unknown."""
        with self.store.lock:
            queued = self._queue.get(queue_id)
            if queued is None:
                return None
            if queued.left_at is not None:
                return False
            queued.cancelled, queued.left_at = True, time.monotonic()
            self.store.generation += 1
        with self._ended:
            self._ended.notify_all()
        return True

    def wait_done(self, queued: QueueItem, timeout: float) -> Build | None:
        """Wait (bounded) until the item's build finished; None if cancelled, stopped or late."""
        deadline = time.monotonic() + timeout
        with self._ended:
            while True:
                build = queued.build
                if build is not None and not build.building:
                    return build
                left = deadline - time.monotonic()
                if queued.cancelled or self.stop.is_set() or left <= 0:
                    return None
                self._ended.wait(min(left, 0.5))

    def cancel_job(self, item: Item) -> None:
        """Cancel every waiting item of a job (Jenkins does this when the job is disabled)."""
        for queued in self.waiting():
            if queued.item is item:
                self.cancel(queued.id)

    def in_queue(self, item: Item) -> bool:
        """Whether the job has an item waiting in the queue."""
        return any(q.item is item for q in self.waiting())

    def join(self, timeout: float) -> None:
        """Stop waiting builds and wait (bounded) for their threads."""
        self.stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _run(self, queued: QueueItem) -> None:
        # The due time can move earlier while waiting (a folded request), so wait in slices.
        while (left := queued.due - time.monotonic()) > 0:
            if self.stop.wait(min(left, 0.1)):
                return
        build = self._start(queued)
        while build is _BLOCKED:
            # Blocked: a build of a job that disallows concurrent builds is still running
            # (getCauseOfBlockage: BlockedBecauseOfBuildInProgress); wait for it to end.
            with self._ended:
                self._ended.wait(0.5)
            if self.stop.is_set():
                return
            build = self._start(queued)
        if build is None:
            return
        plan = self.plans.get(queued.item.full_name.lower(), Plan())
        context = BuildContext(
            queued.item.full_name,
            queued.item.info.kind,
            build.number,
            dict(queued.parameters),
            plan.result,
            plan.delay,
            self.stop,
            plan.artifacts,
        )
        try:
            outcome = self.executors[queued.item.info.kind](context)
        except Exception as error:  # an executor bug fails the build, as a Jenkins step would
            outcome = Outcome("FAILURE", f"executor failed: {error!r}\n")
        self._finish(queued.item, build, outcome)

    def _start(self, queued: QueueItem) -> Build | None:
        with self.store.lock:
            if queued.cancelled:
                return None
            item = queued.item
            if not item.info.concurrent and any(b.building for b in item.builds.values()):
                return _BLOCKED
            now = self.clock.now_ms()
            build = Build(item.next_build, queued.id, now, queued.parameters, queued.cause)
            item.next_build += 1
            item.builds[build.number] = build
            queued.build, queued.left_at = build, time.monotonic()
            self.store.save_build(item, build)
            return build

    def _finish(self, item: Item, build: Build, outcome: Outcome) -> None:
        for name, data in outcome.artifacts.items():
            self.store.archive(item, build, name, data)
        with self.store.lock:
            build.log = outcome.log
            build.artifacts = tuple(sorted(outcome.artifacts))
            build.duration = max(1, self.clock.now_ms() - build.timestamp)
            build.result = outcome.result
            build.variables = dict(outcome.variables)
            self.store.save_build(item, build)
            self.finalizing += 1
        try:
            self.on_finish(item)  # GlobalBuildDiscarderListener.onFinalized runs the discarder
        finally:
            with self.store.lock:
                self.finalizing -= 1
        with self._ended:
            self._ended.notify_all()


_BLOCKED = Build(0, 0, 0, {}, "blocked")  # _start's answer while the job may not start yet
