"""The HTTP server on 127.0.0.1 and EmbeddedMaster, the Python API tests and jobgen use."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from jobgen.master import permissions
from jobgen.master.body import BodyError, discard_unread, read_body
from jobgen.master.builds import QUIET_PERIOD, Plan
from jobgen.master.discard import rotate_all
from jobgen.master.faults import DROP, FaultPlan
from jobgen.master.http import JENKINS_VERSION, Request, Response, failure
from jobgen.master.pipeline import GroovyRuntime, install
from jobgen.master.pipeline.shell import add_credentials
from jobgen.master.requestlog import Record, RequestLog
from jobgen.master.routes import dispatch
from jobgen.master.security import BadCredentials
from jobgen.master.state import MasterState, Plugin

_TOKEN_PARAM = re.compile(r"([?&]token=)[^&]*")
MAX_BODY = 64 * 1024 * 1024
SESSION = "a1b2c3d4"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    state: MasterState
    closed = False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body leave in two writes: with Nagle's algorithm the body waits for
    # the client's delayed ACK of the headers: about 40 ms per answer on loopback (44 ms a
    # get_job_info before, 1 ms after). Same bytes on the wire, no wait.
    disable_nagle_algorithm = True
    server: _Server
    _expect_continue = False  # the client waits for `100 Continue` before sending its body

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_DELETE = do_PUT = do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Silence http.server's stderr lines: the RequestLog records every request."""

    def _serve(self) -> None:
        state = self.server.state
        if (
            self.server.closed
        ):  # a kept-alive connection outlived close(): hang up like a dead server
            self.close_connection = True
            return
        fault = state.faults.next()
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status == DROP:
                self._record(-1, "-")
                self.close_connection = True
                return
            if fault.status:
                self._skip_body()
                self._send(Response(fault.status, b"injected fault"), "-")
                return
        try:
            response, user = self._answer(state)
        except Exception as error:  # a bug in a route answers 500 as Jenkins' error page would
            response, user = Response(500, f"Server Error: {error!r}".encode()), "-"
        self._send(response, user)

    def handle_expect_100(self) -> bool:
        """Defer `100 Continue` until the caller is authenticated (see `_body`)."""
        self._expect_continue = True
        return True

    def _answer(self, state: MasterState) -> tuple[Response, str]:
        try:
            caller = state.security.authenticate(self.headers.get("Authorization"))
        except BadCredentials:
            self._skip_body()  # the body of a caller that failed authentication is not read
            headers = {"WWW-Authenticate": 'Basic realm="Jenkins"'}
            return Response(401, b"Invalid password/token", headers=headers), "-"
        try:
            body = self._body()
        except BodyError as error:
            self.close_connection = True
            return failure(str(error), error.status), caller.name
        split = urlsplit(self.path)
        query = parse_qs(split.query, keep_blank_values=True)
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            for key, values in parse_qs(
                body.decode("utf-8", "replace"), keep_blank_values=True
            ).items():
                query.setdefault(key, []).extend(values)  # query parameters come first
        # Links and redirects use the master's own address, never the Host header a client
        # sent, as a Jenkins whose root URL is configured does (docs/jenkins-facts.md).
        host = f"127.0.0.1:{self.server.server_address[1]}"
        request = Request(
            method=self.command,
            segments=tuple(unquote(s) for s in split.path.split("/") if s),
            query=query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            caller=caller,
            base=f"http://{host}/",
            remote=self.client_address[0],
        )
        return dispatch(state, request), caller.name

    def _body(self) -> bytes:
        if self._expect_continue:
            self._expect_continue = False
            self.send_response_only(100)
            self.end_headers()
        return read_body(self.rfile, self.headers, MAX_BODY)

    def _skip_body(self) -> None:
        """Answer without reading the body (body.py): drop a small one, else hang up after."""
        if not discard_unread(self.rfile, self.headers, self._expect_continue):
            self.close_connection = True
        self._expect_continue = False

    def _send(self, response: Response, user: str) -> None:
        # Recorded before the answer leaves, so a client that has its answer finds the record.
        self._record(response.status, user)
        self.send_response(response.status)
        self.send_header("X-Jenkins", JENKINS_VERSION)
        self.send_header("X-Jenkins-Session", SESSION)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _record(self, status: int, user: str) -> None:
        path = _TOKEN_PARAM.sub(r"\1****", self.path)  # build tokens never reach the log
        self.server.state.log.add(Record(self.command, path, status, user))


class EmbeddedMaster:
    """A fake Jenkins master serving on 127.0.0.1 from a JENKINS_HOME-like directory."""

    def __init__(
        self,
        home: Path,
        port: int = 0,
        on_request: Callable[[Record], None] | None = None,
        run_pipelines: bool = False,
        quiet_period: float = QUIET_PERIOD,
        verbatim_config: bool = False,
        run_shell: bool = False,
    ) -> None:
        self.home = home
        self.state = MasterState(home, RequestLog(on_request), quiet_period, verbatim_config)
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.state = self.state
        self._runtime: GroovyRuntime | None = None
        if run_pipelines:
            # Pipelines run their Groovy on one JVM, started with the first pipeline build.
            self._runtime = install(self.state, self.url, home, run_shell)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @classmethod
    @contextmanager
    def start(
        cls,
        home: Path,
        user: str = "admin",
        token: str | None = None,
        password: str | None = None,
        port: int = 0,
        on_request: Callable[[Record], None] | None = None,
        run_pipelines: bool = False,
        quiet_period: float = QUIET_PERIOD,
        verbatim_config: bool = False,
        run_shell: bool = False,
    ) -> Iterator[EmbeddedMaster]:
        """Serve until the block ends; `port=0` picks a free port (see `url`).

        With `run_pipelines`, pipeline jobs run their Groovy (docs/promise.md);
        otherwise they complete as no-op builds. `quiet_period` is Jenkins' (5 s unless
        set); `verbatim_config` stores uploaded config.xml bytes as sent instead of
        re-serialising them as a Jenkins save does. With `run_shell` too, pipelines'
        `sh` steps run for real (jobgen/master/pipeline/shell.py).
        """
        master = cls(
            home, port, on_request, run_pipelines, quiet_period, verbatim_config, run_shell
        )
        master.add_user(user, token, password)
        master.serve()
        try:
            yield master
        finally:
            master.close()

    def serve(self) -> None:
        """Start accepting requests on a background thread."""
        self._thread.start()

    def close(self) -> None:
        """Stop serving and stop running builds (bounded wait)."""
        self._server.closed = True
        self._server.shutdown()
        self._server.server_close()
        self.state.builds.join(timeout=2.0)
        if self._runtime is not None:
            self._runtime.close()

    @property
    def port(self) -> int:
        """The port actually bound."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Base URL, ending in `/`."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def requests(self) -> list[Record]:
        """Every request served so far (method, path with query, status, user)."""
        return self.state.log.records()

    def add_user(
        self,
        user: str,
        token: str | None,
        password: str | None = None,
        admin: bool = True,
        role: str | None = None,
    ) -> None:
        """Add an account: an administrator, or a read-only user (`admin=False`).

        `role` names a role of jobgen/master/permissions.py (`admin`, `deployer`, `reader`)
        or lists permission titles (`"Overall/Read,Job/Read,Job/Build"`).
        """
        chosen = role or ("admin" if admin else "reader")
        self.state.security.add_user(user, token, password, permissions.role(chosen))

    def set_result(
        self,
        full_name: str,
        result: str = "SUCCESS",
        delay: float = 0.0,
        artifacts: Mapping[str, bytes] | None = None,
    ) -> None:
        """The result (SUCCESS, UNSTABLE, FAILURE, ABORTED), duration and archived files
        (relative path -> content) of a job's next builds."""
        self.state.builds.plans[full_name.lower()] = Plan(result, delay, dict(artifacts or {}))

    def set_last_build_time(self, full_name: str, epoch_ms: int, result: str = "SUCCESS") -> None:
        """Make the job's newest build start at `epoch_ms` (a completed build is added if none)."""
        store = self.state.store
        with store.lock:
            item = store.find(full_name.split("/"))
            if item is None or item.is_folder:
                raise KeyError(f"no job {full_name}")
            build = item.last_build()
            if build is None:
                from jobgen.master.model import Build

                build = Build(
                    item.next_build, 0, epoch_ms, {}, "user:test", result, 1, "Finished\n"
                )
                item.next_build += 1
                item.builds[build.number] = build
            build.timestamp = epoch_ms
            store.save_build(item, build)

    def advance_clock(self, seconds: float) -> None:
        """Move the master's clock forward, then run the build discarders (the hourly sweep)."""
        self.state.clock.advance(seconds)
        rotate_all(self.state.store, self.state.store.root, self.state.clock.now_ms())

    def add_credentials(self, credential_id: str, username: str, password: str) -> None:
        """Store a usernamePassword credential for pipelines' withCredentials."""
        add_credentials(self.home, credential_id, username, password)

    def set_plugins(self, plugins: dict[str, str]) -> None:
        """Replace the installed plugins: short name -> version."""
        self.state.plugins = tuple(Plugin(name, version) for name, version in plugins.items())
        self.state.store.generation += 1  # cached pluginManager answers are stale

    def faults(
        self,
        rate: float,
        statuses: tuple[int, ...] = (500, 502, 503),
        drop: bool = False,
        delay: float = 0.0,
        seed: int = 0,
    ) -> None:
        """Answer a seeded share `rate` of requests with a status, a drop or a delay."""
        self.state.faults.configure(FaultPlan(rate, statuses, drop, delay, seed))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait (bounded) until no build is queued, running or being finalized (its
        discarder: as on Jenkins, a client may see a build done before that ran); True
        when idle."""
        deadline = time.monotonic() + timeout
        builds = self.state.builds
        while time.monotonic() < deadline:
            if not builds.waiting_or_running() and not builds.finalizing:
                return True
            time.sleep(0.01)
        return False
