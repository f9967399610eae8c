"""Every request the master served: method, path, status, for tests and `jobgen master --log`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

MAX_RECORDS = 100_000  # bound the memory of a long-running master


@dataclass(frozen=True)
class Record:
    """One served request; `path` includes the query string; status -1 means dropped."""

    method: str
    path: str
    status: int
    user: str


class RequestLog:
    """A bounded, thread-safe list of records with an optional listener called per record."""

    def __init__(self, listener: Callable[[Record], None] | None = None) -> None:
        self._records: list[Record] = []
        self._lock = threading.Lock()
        self.listener = listener

    def add(self, record: Record) -> None:
        """Append a record (dropping the oldest beyond MAX_RECORDS) and tell the listener."""
        with self._lock:
            self._records.append(record)
            if len(self._records) > MAX_RECORDS:
                del self._records[: len(self._records) - MAX_RECORDS]
        if self.listener:
            self.listener(record)

    def records(self) -> list[Record]:
        """A copy of every record so far, oldest first."""
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        """Forget the records so far."""
        with self._lock:
            self._records.clear()
