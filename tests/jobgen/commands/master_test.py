"""`jobgen master` as a user runs it: a subprocess on a free port, stopped with SIGTERM."""

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import jenkins
import pytest

URL_LINE = re.compile(r"Jenkins master at (http://127\.0\.0\.1:\d+/)")


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "jobgen", "master", "--port", "0", "--home", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_lines(proc: subprocess.Popen[str], count: int, timeout: float = 20.0) -> list[str]:
    """The first `count` lines of stdout, waiting at most `timeout` seconds in all."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for _ in range(count):
            lines.put(proc.stdout.readline().rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    found: list[str] = []
    deadline = time.monotonic() + timeout
    while len(found) < count and time.monotonic() < deadline:
        try:
            found.append(lines.get(timeout=max(0.01, deadline - time.monotonic())))
        except queue.Empty:
            break
    return found


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)
    return proc.returncode, out


def test_serves_python_jenkins_and_logs_requests_without_secrets(tmp_path):
    proc = _start(tmp_path / "home", "--user", "ci", "--token", "given-token", "--log")
    try:
        first = _read_lines(proc, 1)
        match = URL_LINE.search(first[0]) if first else None
        assert match, first
        client = jenkins.Jenkins(match.group(1), username="ci", password="given-token")
        client.create_job("from-cli", "<project><description>x</description></project>")
        assert client.get_job_info("from-cli")["description"] == "x"
    finally:
        code, rest = _stop(proc)
    assert code == 0
    assert "POST /createItem?name=from-cli 200 ci" in rest
    assert "given-token" not in first[0] + rest  # a token given on the command line is not echoed
    assert (tmp_path / "home" / "jobs" / "from-cli" / "config.xml").is_file()


def test_generated_token_is_printed_once_and_works(tmp_path):
    proc = _start(tmp_path / "home")
    try:
        lines = _read_lines(proc, 2)
        url = URL_LINE.search(lines[0])
        token = lines[1].removeprefix("API token: ")
        assert url and re.fullmatch(r"[0-9a-f]{32}", token), lines
        client = jenkins.Jenkins(url.group(1), username="admin", password=token)
        assert client.get_whoami()["id"] == "admin"
    finally:
        code, rest = _stop(proc)
    assert code == 0 and token not in rest


def test_the_admin_token_comes_from_a_file_or_the_environment_not_argv(tmp_path, monkeypatch):
    token_file = tmp_path / "token"
    token_file.write_text("token-from-file\n")
    monkeypatch.setenv("JOBGEN_MASTER_TOKEN", "token-from-env")
    for args, token in (
        (["--token-file", str(token_file)], "token-from-file"),  # the file wins over the env
        ([], "token-from-env"),
    ):
        proc = _start(tmp_path / "home", "--user", "ci", *args)
        try:
            first = _read_lines(proc, 1)
            match = URL_LINE.search(first[0]) if first else None
            assert match, first
            client = jenkins.Jenkins(match.group(1), username="ci", password=token)
            assert client.get_whoami()["id"] == "ci"
            assert token not in Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode()
        finally:
            code, rest = _stop(proc)
        assert code == 0 and token not in first[0] + rest and "API token" not in rest


def test_the_quiet_period_default_is_explicit_in_the_help(capsys):
    # jenkins Jenkins.getQuietPeriod: 5 s unless configured; `jobgen master` says so.
    from jobgen.main import main

    with pytest.raises(SystemExit):
        main(["master", "--help"])
    words = " ".join(capsys.readouterr().out.split())
    assert "--quiet-period QUIET_PERIOD seconds a queued build waits" in words
    assert "(default: 5, as Jenkins)" in words
