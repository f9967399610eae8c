"""Positions in source files and the diagnostics every phase reports with them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

Severity = Literal["error", "warning"]


class ExitCode(IntEnum):
    """Exit codes with one fixed meaning across every command."""

    OK = 0
    INVALID = 1  # invalid input, or (diff) something would change
    USAGE = 2  # bad command line, or (diff) an error
    INTERNAL = 3
    NO_TESTS = 5  # `jobgen test -k` selected nothing, as pytest
    INTERRUPTED = 130
    CLOSED_PIPE = 141  # the reader of stdout went away (128 + SIGPIPE, as a shell reports it)


@dataclass(frozen=True, order=True)
class SourcePos:
    """A 1-based line and column in a file, as editors count them."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where, what is wrong, and how to fix it."""

    pos: SourcePos | None
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    context: tuple[str, ...] = field(default=())

    def format(self) -> str:
        """Render as `FILE:LINE:COL: severity: message`, then hint and context frames."""
        where = f"{self.pos}: " if self.pos else ""
        lines = [f"{where}{self.severity}: {self.message} [{self.code}]"]
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        lines.extend(f"    {frame}" for frame in self.context)
        return "\n".join(lines)

    def as_json(self) -> dict[str, object]:
        """A plain dict for `--format json`."""
        return {
            "file": self.pos.path if self.pos else None,
            "line": self.pos.line if self.pos else None,
            "col": self.pos.col if self.pos else None,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that make a run fail."""
    return [d for d in diagnostics if d.severity == "error"]


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Order diagnostics by file, then position, then message."""
    pos = diagnostic.pos or SourcePos("")
    return (pos.path, pos.line, pos.col, diagnostic.message)


class JobgenError(Exception):
    """Raised by a phase that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=sort_key)
        super().__init__("\n".join(d.format() for d in self.diagnostics))
