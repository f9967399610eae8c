"""One long-lived Groovy JVM running every pipeline build, spoken to by JSON lines.

The JVM (server.groovy) runs each build's script on its own thread and asks
back for the steps only the master can do (`build`); `StepHandler` answers
them. Started on the first pipeline build, so a master that never runs one
never pays for a JVM.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jobgen.groovy.runtime import groovy_env, groovy_tool
from jobgen.groovy.sandbox import WHITELIST
from jobgen.groovy.sandbox.classpath import classpath

HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.groovy"
STEPS = HERE / "steps.groovy"
RUNNER = HERE / "runner.groovy"
START_TIMEOUT_S = 120.0  # a cold JVM on a busy 2-core machine

StepHandler = Callable[[str, dict[str, Any]], dict[str, Any]]


class RuntimeStopped(RuntimeError):
    """The Groovy process is gone; the message says why (its last stderr lines)."""


@dataclass
class _Run:
    handler: StepHandler
    done: threading.Event = field(default_factory=threading.Event)
    answer: dict[str, Any] = field(default_factory=dict)


class GroovyRuntime:
    """The Groovy process and the runs it is serving."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._ready = threading.Event()
        self._runs: dict[str, _Run] = {}
        self._ids = itertools.count(1)
        self._stderr: deque[str] = deque(maxlen=40)
        self._closed = False

    def run(
        self, request: dict[str, Any], handler: StepHandler, stop: threading.Event
    ) -> dict[str, Any]:
        """Run one script; returns {result, log, error}. Raises RuntimeStopped if the JVM died."""
        process = self._ensure()
        run_id = str(next(self._ids))
        run = _Run(handler)
        with self._lock:
            self._runs[run_id] = run
        try:
            self._send({"op": "run", "run": run_id, **request})
            while not run.done.wait(0.5):
                if process.poll() is not None or stop.is_set():
                    raise RuntimeStopped(self._why())
            return run.answer
        finally:
            with self._lock:
                self._runs.pop(run_id, None)

    def close(self) -> None:
        """Stop the JVM (closing its stdin ends it; killed if it lingers)."""
        with self._lock:
            self._closed = True
            process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait(timeout=5)

    def _ensure(self) -> subprocess.Popen[str]:
        with self._lock:
            if self._closed:
                raise RuntimeStopped("the master is closing")
            if self._process is None or self._process.poll() is not None:
                self._ready.clear()
                self._process = self._spawn()
            process = self._process
        if not self._ready.wait(START_TIMEOUT_S) or process.poll() is not None:
            raise RuntimeStopped(self._why())
        return process

    def _spawn(self) -> subprocess.Popen[str]:
        # Every build's script runs under jobgen's sandbox: Jenkins' script-security rules.
        sandbox = [str(classpath()), str(WHITELIST)]
        command = [groovy_tool("groovy"), str(SERVER), str(STEPS), str(RUNNER), *sandbox]
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=groovy_env(),
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        threading.Thread(target=self._read, args=(process,), daemon=True).start()
        threading.Thread(target=self._drain_stderr, args=(process,), daemon=True).start()
        return process

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                self._stderr.append(line.rstrip("\n"))  # not protocol: keep it for diagnostics
                continue
            op = message.get("op")
            if op == "ready":
                self._ready.set()
            elif op == "done":
                self._finished(message)
            elif op == "call":
                # A build step blocks until the downstream build ends: its own thread.
                threading.Thread(target=self._answer, args=(message,), daemon=True).start()
        self._ready.set()  # the process ended: wake whoever waits for it to start

    def _finished(self, message: dict[str, Any]) -> None:
        with self._lock:
            run = self._runs.get(str(message.get("run")))
        if run is not None:
            run.answer = message
            run.done.set()

    def _answer(self, message: dict[str, Any]) -> None:
        with self._lock:
            run = self._runs.get(str(message.get("run")))
        try:
            if run is None:
                raise RuntimeStopped("the build is no longer running")
            value = run.handler(str(message["step"]), dict(message.get("args") or {}))
        except Exception as error:  # the step fails in the script, as a Jenkins step would
            value = {"error": f"{type(error).__name__}: {error}"}
        with contextlib.suppress(RuntimeStopped):  # a dead JVM's runs fail on their own
            self._send({"op": "reply", "call": message["call"], "value": value})

    def _send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message, separators=(",", ":")) + "\n"
        with self._write_lock:
            process = self._process
            if process is None or process.stdin is None:
                raise RuntimeStopped(self._why())
            try:
                process.stdin.write(line)
                process.stdin.flush()
            except (BrokenPipeError, ValueError, OSError) as error:
                raise RuntimeStopped(self._why()) from error

    def _drain_stderr(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self._stderr.append(line.rstrip("\n"))

    def _why(self) -> str:
        tail = "\n".join(self._stderr)
        return "the Groovy pipeline runtime stopped" + (f":\n{tail}" if tail else "")
