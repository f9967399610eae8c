"""A fake platform application: the callback listener a promise-based orchestration reports to.

It serves on 127.0.0.1 and records every JSON body POSTed to
`/register/<key>` (REGISTRATION_RETURN_URL) and `/report/<key>`
(REPORT_RETURN_URL), with the time it arrived, so a test or the functional
test can count what came back, and how often.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KINDS = ("register", "report")


@dataclass(frozen=True)
class Callback:
    """One POST the platform received: which kind, for which key, its JSON body, when."""

    kind: str
    key: str
    body: Any
    at: float  # time.monotonic()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512
    listener: CallbackListener


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        if len(parts) != 2 or parts[0] not in KINDS:
            self._answer(404)
            return
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            body = {"unparsed": raw.decode("utf-8", "replace")}
        self.server.listener.add(Callback(parts[0], parts[1], body, time.monotonic()))
        self._answer(200)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the listener's record is the log."""


class CallbackListener:
    """Records callbacks; `url(kind, key)` is what to pass as a return URL."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.listener = self
        self._lock = threading.Condition()
        self._received: list[Callback] = []

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[CallbackListener]:
        """Serve on a free loopback port until the block ends."""
        listener = cls()
        thread = threading.Thread(target=listener._server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield listener
        finally:
            listener._server.shutdown()
            listener._server.server_close()

    def url(self, kind: str, key: str) -> str:
        """The return URL for one kind of callback of one submission."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/{kind}/{key}"

    def add(self, callback: Callback) -> None:
        """Record a callback and wake whoever waits for it."""
        with self._lock:
            self._received.append(callback)
            self._lock.notify_all()

    def received(self, kind: str | None = None, key: str | None = None) -> list[Callback]:
        """The callbacks so far, optionally of one kind and one key, in arrival order."""
        with self._lock:
            return [
                c
                for c in self._received
                if (kind is None or c.kind == kind) and (key is None or c.key == key)
            ]

    def wait_for(self, kind: str, keys: set[str], timeout: float) -> bool:
        """Wait (bounded) until each key got at least one callback of `kind`; True if all did."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                got = {c.key for c in self._received if c.kind == kind}
                left = deadline - time.monotonic()
                if keys <= got:
                    return True
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.5))
