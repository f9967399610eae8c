"""The master's wall clock: real time plus an offset that tests move forward.

Build timestamps and build discarders read it, so a test can make builds "ten days old"
by advancing the clock instead of waiting.
"""

from __future__ import annotations

import threading
import time


class Clock:
    """Epoch milliseconds, `advance`-able."""

    def __init__(self) -> None:
        self._offset_ms = 0
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        """The current time in epoch milliseconds, offset included."""
        with self._lock:
            return int(time.time() * 1000) + self._offset_ms

    def advance(self, seconds: float) -> None:
        """Move the clock forward (never back: build timestamps must keep their order)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset_ms += int(seconds * 1000)
