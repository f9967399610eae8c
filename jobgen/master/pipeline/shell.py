"""`sh` and `withCredentials` for real, on a master started with run_shell.

By default the embedded master's `sh` is a no-op (workers would reach for git
remotes, S3 ...). A self-deploy job is nothing but shell (clone, pip install,
jobgen deploy), so a master that runs one for real runs its `sh` steps as an
agent would: `sh -xe` in a workspace folder per job under the master's home,
with the master's own environment plus the build's. Credentials come from
`HOME/credentials.json` ({id: {username, password}}), the embedded master's
counterpart of Jenkins' credentials.xml; the runtime masks them in the log.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

CREDENTIALS = "credentials.json"
SHELL_TIMEOUT_S = 3600.0


def add_credentials(home: Path, credential_id: str, username: str, password: str) -> None:
    """Store a usernamePassword credential (a `string` binding reads the password)."""
    path = home / CREDENTIALS
    stored = _read(path)
    stored[credential_id] = {"username": username, "password": password}
    home.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=2), "utf-8")
    path.chmod(0o600)  # as Jenkins' secrets: readable by the master's user only


def credentials(home: Path, credential_id: str) -> dict[str, Any]:
    """The credential for a withCredentials binding, or an error naming the id."""
    found = _read(home / CREDENTIALS).get(credential_id)
    if not isinstance(found, dict):
        return {"error": f"Could not find credentials entry with ID '{credential_id}'"}
    return {"username": str(found.get("username", "")), "password": str(found.get("password", ""))}


def run_sh(home: Path, job: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run one `sh` step's script in the job's workspace; its status, log and stdout."""
    workspace = home / "workspace" / job
    workspace.mkdir(parents=True, exist_ok=True)
    given = {str(k): str(v) for k, v in dict(args.get("env") or {}).items()}
    env = {**os.environ, **given, "WORKSPACE": str(workspace)}
    capture = bool(args.get("returnStdout"))
    try:
        done = subprocess.run(
            ["sh", "-xe", "-c", str(args["script"])],
            cwd=workspace,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            # returnStdout returns stdout and logs stderr; otherwise both go to the log, in order.
            stderr=subprocess.PIPE if capture else subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=SHELL_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return {"ran": True, "status": 124, "log": f"killed after {SHELL_TIMEOUT_S:g} s"}
    log = done.stderr if capture else done.stdout
    stdout = done.stdout if capture else ""
    return {"ran": True, "status": done.returncode, "log": log or "", "stdout": stdout}


def _read(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
