"""Compiling orchestration Groovy: the library is wrapped around the job's own code.

Order: the mode's other files, `groovy_lib/<mode>/prelude.groovy`, every
`groovy_lib/common/*.groovy` (sorted), the job's body, then
`groovy_lib/<mode>/epilogue.groovy`. Marker lines before and after the body let
error lines be mapped back to the job's own file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from jobgen.plan.inputs import GROOVY_LIB

Mode = Literal["prod", "test"]
BODY_MARKER = "// ---- jobgen: job body starts below; line 1 of the job's own Groovy ----"
BODY_END_MARKER = "// ---- jobgen: job body ends above ----"
LIB_ROOT = GROOVY_LIB
_ENDS = ("prelude", "epilogue")


@dataclass(frozen=True)
class CompiledGroovy:
    """The full script, the 1-based line where the body starts, and the library files used."""

    text: str
    body_first_line: int
    library_files: tuple[Path, ...]

    def body_line(self, script_line: int) -> int | None:
        """The line in the job's own Groovy for a line of the compiled script, if inside it."""
        line = script_line - self.body_first_line + 1
        return line if line >= 1 else None


def library_files(mode: Mode, lib_root: Path = LIB_ROOT) -> tuple[list[Path], list[Path]]:
    """The library files placed before and after the body, in order."""
    # The mode's other files (the test mocks' checks, call tree, shared-library support)
    # hold classes and methods only, so they can go first: before the prelude, whose
    # last line ends the mocks (what follows runs in the sandbox under `jobgen test`).
    own = [p for p in sorted((lib_root / mode).glob("*.groovy")) if p.stem not in _ENDS]
    before = [
        *own,
        lib_root / mode / "prelude.groovy",
        *sorted((lib_root / "common").glob("*.groovy")),
    ]
    after = [lib_root / mode / "epilogue.groovy"]
    return [p for p in before if p.exists()], [p for p in after if p.exists()]


@dataclass(frozen=True)
class Library:
    """The library text of one mode, read once: what goes before and after every body."""

    head: str
    tail: str
    files: tuple[Path, ...]
    head_lines: int  # lines in `head`, counted once rather than for every body

    @cached_property
    def lead(self) -> str:
        """What every script wrapped in this library starts with, a preamble or not: one
        object, so render escapes it once for all its jobs (render/stamp.py, `shared`)."""
        return self.head[: -len(BODY_MARKER) - 1]


def load_library(mode: Mode, lib_root: Path = LIB_ROOT) -> Library:
    """Read the library files of `mode` (render reads them once for all its jobs)."""
    before, after = library_files(mode, lib_root)
    head = "".join(_with_newline(p.read_text(encoding="utf-8")) for p in before)
    tail = "".join(_with_newline(p.read_text(encoding="utf-8")) for p in after)
    head += BODY_MARKER + "\n"
    return Library(head, tail, tuple(before + after), head.count("\n"))


def wrap(body: str, library: Library, preamble: str = "") -> CompiledGroovy:
    """A job's Groovy inside an already read library; `preamble` goes just before the body
    (the team's own library, the required-parameter checks), so body lines still map."""
    head, head_lines = library.head, library.head_lines
    if preamble:
        preamble = _with_newline(preamble)
        head = library.lead + preamble + BODY_MARKER + "\n"
        head_lines += preamble.count("\n")
    # One join: each `+` copied the whole script so far (7,000 scripts a cold compile).
    text = "".join((head, _with_newline(body), BODY_END_MARKER, "\n", library.tail))
    return CompiledGroovy(text, head_lines + 1, library.files)


def compile_groovy(body: str, mode: Mode, lib_root: Path = LIB_ROOT) -> CompiledGroovy:
    """Wrap a job's Groovy in the library of the given mode."""
    return wrap(body, load_library(mode, lib_root))


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"


def body_range(text: str) -> tuple[int, int]:
    """The 1-based first and last line of the job's body inside a compiled script.

    Without markers the whole text is the body; without the end marker the body
    runs to the end of the text.
    """
    lines = text.splitlines()
    first, last = 1, len(lines)
    for number, line in enumerate(lines, start=1):
        if line == BODY_MARKER and first == 1:
            first = number + 1
        elif line == BODY_END_MARKER:
            last = number - 1
    return first, last
