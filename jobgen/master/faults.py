"""Faults on demand: a seeded share of requests answered 5xx, delayed, or dropped."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

DROP = -1  # a fault that closes the connection without an answer


@dataclass(frozen=True)
class FaultPlan:
    """How often requests fail and how; `seed` makes the sequence of decisions repeatable."""

    rate: float = 0.0
    statuses: tuple[int, ...] = (500, 502, 503)
    drop: bool = False
    delay: float = 0.0  # seconds added to every faulty decision's request (and to no other)
    seed: int = 0


@dataclass(frozen=True)
class Fault:
    """What to do to one request: a status to answer (or DROP), after `delay` seconds."""

    status: int
    delay: float


class Faults:
    """Draws one decision per request, in arrival order, from a seeded generator."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plan = FaultPlan()
        self._random = random.Random(0)

    def configure(self, plan: FaultPlan) -> None:
        """Replace the plan and restart its random sequence."""
        with self._lock:
            self._plan = plan
            self._random = random.Random(plan.seed)

    def next(self) -> Fault | None:
        """The fault for the next request, or None to serve it normally."""
        with self._lock:
            plan = self._plan
            if plan.rate <= 0 or self._random.random() >= plan.rate:
                return None
            choices = list(plan.statuses) + ([DROP] if plan.drop else [])
            if not choices:
                return Fault(0, plan.delay)  # delay only
            return Fault(self._random.choice(choices), plan.delay)
