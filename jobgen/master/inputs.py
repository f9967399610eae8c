"""Pending `input` steps of running pipelines, settled over REST as Jenkins does.

pipeline-input-step: a paused run shows its InputAction at `<build>/input/`;
`POST <build>/input/<ID>/proceedEmpty` proceeds (no parameters) and
`POST <build>/input/<ID>/abort` rejects (the run ends ABORTED). The id is the
step's `id`, else the MD5 of the message with its first letter capitalised.
Only a listed submitter (or an administrator) may settle one with a submitter.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

Key = tuple[str, int]  # (full name, build number)


def input_id(message: str, given: str | None = None) -> str:
    """InputStep.getId: `id` or Util.getDigestOf(message), a-z first letter upper-cased."""
    value = given or hashlib.md5(message.encode("utf-8")).hexdigest()
    return value[0].upper() + value[1:] if "a" <= value[0] <= "z" else value


@dataclass
class PendingInput:
    """One paused `input`: who may settle it, and how it was settled."""

    id: str
    message: str
    submitter: str | None
    settled: threading.Event = field(default_factory=threading.Event)
    outcome: str = ""  # proceed | abort
    by: str = ""


class Inputs:
    """Every pending input of the master, by build."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[Key, dict[str, PendingInput]] = {}

    def wait(self, key: Key, pending: PendingInput, stop: threading.Event) -> PendingInput | None:
        """Pause until someone settles `pending` (None when the master stops first)."""
        with self._lock:
            self._pending.setdefault(key, {})[pending.id] = pending
        try:
            while not pending.settled.wait(0.2):
                if stop.is_set():
                    return None
            return pending
        finally:
            with self._lock:
                self._pending.get(key, {}).pop(pending.id, None)

    def find(self, key: Key, input_id: str) -> PendingInput | None:
        """The pending input `input_id` of a build, if it is still waiting."""
        with self._lock:
            return self._pending.get(key, {}).get(input_id)

    def waiting(self, key: Key) -> list[PendingInput]:
        """The inputs a build waits for now."""
        with self._lock:
            return list(self._pending.get(key, {}).values())


def may_settle(pending: PendingInput, user: str, admin: bool, may_build: bool) -> bool:
    """InputStepExecution.canSettle: Job/Build when no submitter is named; else an
    administrator, or a user named in the comma-separated submitters."""
    if pending.submitter is None:
        return may_build
    return admin or user in {s.strip() for s in pending.submitter.split(",")}
