"""Progress of a long deploy: a bar on a terminal, plain lines in CI logs."""

from __future__ import annotations

import sys
import threading
from typing import TextIO


class Progress:
    """Counts finished items; redraws a bar on a TTY, prints every tenth otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self._stream = stream or sys.stderr
        self._tty = self._stream.isatty()
        self._lock = threading.Lock()
        self._step = max(1, total // 10)

    def advance(self) -> None:
        """One more item finished."""
        with self._lock:
            self.done += 1
            if self._tty:
                filled = int(30 * self.done / max(1, self.total))
                bar = "#" * filled + "." * (30 - filled)
                self._stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
                if self.done == self.total:
                    self._stream.write("\n")
            elif self.done % self._step == 0 or self.done == self.total:
                self._stream.write(f"{self.label}: {self.done}/{self.total}\n")
            self._stream.flush()
