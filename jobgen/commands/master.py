"""`jobgen master`: serve the embedded fake Jenkins master on 127.0.0.1 until stopped."""

from __future__ import annotations

import os
import secrets
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from jobgen.master import EmbeddedMaster, Record
from jobgen.master.builds import QUIET_PERIOD

TOKEN_ENV = "JOBGEN_MASTER_TOKEN"


def run(
    port: int,
    home: Path,
    user: str,
    token: str | None,
    log: bool,
    run_pipelines: bool = False,
    token_file: Path | None = None,
    quiet_period: float = QUIET_PERIOD,
    verbatim_config: bool = False,
    run_shell: bool = False,
) -> int:
    """Serve until SIGINT or SIGTERM; prints the URL (and a generated token, once). Exit 0.

    The admin token comes from `--token-file`, else $JOBGEN_MASTER_TOKEN, else
    `--token` (visible to every user of the machine in its process list), else
    it is generated.
    """
    try:
        token = _read_token(token_file) if token_file else os.environ.get(TOKEN_ENV) or token
    except (OSError, ValueError) as error:
        print(f"jobgen master: {error}", file=sys.stderr)
        return 2
    generated = token is None
    secret = token or secrets.token_hex(16)
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        master = EmbeddedMaster(
            home,
            port,
            _print_record if log else None,
            run_pipelines,
            quiet_period=quiet_period,
            verbatim_config=verbatim_config,
            run_shell=run_shell,
        )
    except OSError as error:
        print(f"jobgen master: cannot listen on 127.0.0.1:{port}: {error}", file=sys.stderr)
        return 1
    master.add_user(user, secret)
    master.serve()
    try:
        print(f"Jenkins master at {master.url} (user {user}, home {home})", flush=True)
        if generated:
            # The only way to learn a generated token, so it is printed exactly once.
            print(f"API token: {secret}", flush=True)
        while not stopped.wait(0.5):
            pass
    finally:
        master.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    print("jobgen master: stopped", flush=True)
    return 0


def _print_record(record: Record) -> None:
    status = "dropped" if record.status < 0 else str(record.status)
    # One write per line: requests are served on many threads and lines must not interleave.
    sys.stdout.write(f"{record.method} {record.path} {status} {record.user}\n")
    sys.stdout.flush()


def _read_token(path: Path) -> str:
    """The first line of a token file, without its line end."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].strip():
        raise ValueError(f"{path}: the token file is empty")
    return lines[0].strip()
