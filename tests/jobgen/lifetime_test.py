"""A `jobgen compile` command line leaves what it built to the operating system; its output,
exit code and build are those of a compile that shut the interpreter down as ever."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from jobgen import lifetime
from tests.repos import make_jobs_repo

# The command line with an exit handler of its own: it runs only when the interpreter shuts
# down as ever, not when the process ends at once (os._exit) after its command.
_COMMAND = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('interpreter shut down', file=sys.stderr))\n"
    "sys.argv = ['jobgen', *sys.argv[1:]]\n"
    "from jobgen.main import command\n"
    "command()\n"
)


# Output to a pipe buffered, as a user's shell gives it: lost unless flushed before the end.
_BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def _jobgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _COMMAND, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_BUFFERED,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_compile_command_line_ends_at_once_with_its_whole_output(tmp_path):
    repo = tmp_path / "repo"
    make_jobs_repo(repo)
    done = _jobgen(repo, "compile", "-o", "fast")
    assert done.returncode == 0, done.stderr
    assert "interpreter shut down" not in done.stderr  # ended at once: nothing freed
    usual = subprocess.run(  # the same compile, the interpreter shut down as ever after it
        [sys.executable, "-c", "from jobgen.main import main; main(['compile', '-o', 'usual'])"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=_BUFFERED,
    )
    assert usual.returncode == 0, usual.stderr
    assert done.stdout.replace("fast/", "usual/") == usual.stdout  # every line out
    assert done.stdout.startswith("compiled ")
    assert _tree(repo / "fast") == _tree(repo / "usual")


def test_an_invalid_compile_and_other_commands_shut_down_as_ever(tmp_path):
    components = make_jobs_repo(tmp_path / "repo")
    (components / "broken.yaml").write_text("name: Broken Name\n")
    failed = _jobgen(tmp_path / "repo", "compile")
    assert failed.returncode == 1
    assert "broken.yaml:1:" in failed.stderr  # every message is out before the end
    assert "interpreter shut down" in failed.stderr  # kept nothing: the usual shutdown
    validated = _jobgen(tmp_path / "repo", "validate")
    assert validated.returncode == 1 and "interpreter shut down" in validated.stderr


def test_in_a_longer_process_a_command_keeps_nothing():
    class Built:
        pass

    built = Built()
    gone = weakref.ref(built)
    lifetime.keep(built)
    del built
    gc.collect()
    assert gone() is None
    with pytest.raises(SystemExit) as ended:
        lifetime.end_after(lambda: 3)  # a command that kept nothing exits as Python does
    assert ended.value.code == 3
    assert lifetime._kept is None  # and this process keeps nothing afterwards either
