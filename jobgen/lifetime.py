"""The end of a `jobgen` command line: what the command built is left to the operating system.

A cold compile of 1000 components ends holding about three million objects. Freed one
by one as the command returned and as the interpreter shut down, they took 50 ms, a
sixtieth of the compile, for memory the operating system takes back at once. So a
command hands what it built to `keep`, and the process that ran it as its command line
(`end_after`) ends with `os._exit` once its output is flushed, those objects never freed.
A command run inside a longer-lived process (the tests, a program using jobgen) keeps
nothing: `keep` does nothing there, and that process goes on as ever.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import NoReturn

_kept: list[object] | None = None  # a list only while a command line runs (`end_after`)


def keep(*objects: object) -> None:
    """Leave `objects` to the end of the process, when that ends with this command line."""
    if _kept is not None:
        _kept.extend(objects)


def end_after(command: Callable[[], int]) -> NoReturn:
    """Run `command` as the process's command line and end the process with its exit code.

    When the command kept what it built, the process ends at once (os._exit), after
    flushing its output: nothing else is left to do (every file the command wrote is
    closed, it registers no exit handler). Otherwise it exits as Python does.
    """
    global _kept
    _kept = []
    code = command()
    if not _kept:
        _kept = None
        raise SystemExit(code)
    for stream in (sys.stdout, sys.stderr):
        # os._exit does not flush Python's buffers; a closed pipe takes nothing more.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(int(code))
