"""`jobgen validate [PATH ...]`: every problem of the component files, at once.

Loads the files (schema and cross-file checks), then runs the planner's checks
(two jobs with one name, calls to unknown jobs) when the files loaded cleanly,
and prints each diagnostic gcc-style with the source line and a caret.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from jobgen.diagnostics import Diagnostic, ExitCode, errors, sort_key
from jobgen.load.loader import find_root, load, without_context_only
from jobgen.load.model import Repo
from jobgen.load.repo_files import MAX_COMPONENT_BYTES, read_in_repository
from jobgen.load.secrets import MASK, mask_text

SECRET_CODE = "secret-in-file"


def run(
    paths: list[Path],
    output_format: str = "text",
    stream: TextIO | None = None,
    explain: str | None = None,
) -> int:
    """Validate the component files under `paths`; 0 when valid, 1 when not, 2 on bad paths."""
    out = stream or sys.stdout
    # os.path.exists, not Path.exists: a name too long for the file system is missing, not a crash.
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        for path in missing:
            print(f"jobgen validate: no such file or folder: {path}", file=sys.stderr)
        return ExitCode.USAGE
    result = load(paths)
    if explain is not None:
        from jobgen.commands.explain import run_explain

        return run_explain(result, explain, out)
    diagnostics = list(result.diagnostics)
    if not errors(diagnostics):
        # The planner assumes well-formed components, so its checks run only on a clean load.
        planned = _plan_diagnostics(result.repo)
        diagnostics += without_context_only(planned, result.files, result.context_files)
    diagnostics.sort(key=sort_key)
    if output_format == "json":
        json.dump([_as_json(d) for d in diagnostics], out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(format_text(diagnostics, len(result.files)))
    return ExitCode.INVALID if errors(diagnostics) else ExitCode.OK


def _plan_diagnostics(repo: Repo) -> list[Diagnostic]:
    """The planner's checks: two jobs with one name, calls to jobs that do not exist."""
    from jobgen.plan.planner import plan  # imported here: a clean load is needed first

    return list(plan(repo).diagnostics)


def _as_json(diagnostic: Diagnostic) -> dict[str, object]:
    shown = {"message": mask_text(diagnostic.message), "hint": mask_text(diagnostic.hint)}
    return {**diagnostic.as_json(), **shown, "context": [mask_text(c) for c in diagnostic.context]}


def print_diagnostics(diagnostics: Sequence[Diagnostic], file_count: int) -> None:
    """Every diagnostic, and the summary, on stderr (for commands whose stdout is their result)."""
    if diagnostics:
        print(format_text(sorted(diagnostics, key=sort_key), file_count), end="", file=sys.stderr)


def format_text(diagnostics: Sequence[Diagnostic], file_count: int) -> str:
    """Each diagnostic with its source line and caret, then a summary line."""
    sources = _Sources(diagnostics)
    blocks = [_block(d, sources) for d in diagnostics[:MAX_SHOWN]]
    if len(diagnostics) > MAX_SHOWN:
        blocks.append(f"... and {len(diagnostics) - MAX_SHOWN} more\n")
    return "".join(blocks) + summary(diagnostics, file_count) + "\n"


# A hostile file can hold thousands of errors; the first hundred say what is wrong.
MAX_SHOWN = 100
_MAX_MESSAGE = 500
_MAX_SOURCE = 160
_ESCAPES = str.maketrans(
    {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F) if c != 0x09} | {0x0A: "\\n", 0x0D: "\\r"}
)


def printable(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Text from a file as one safe line: secrets masked, control characters escaped
    (an escape sequence could rewrite the terminal), and at most `limit` characters."""
    if len(text) > limit * 4:
        text = text[: limit * 4]  # masking and escaping a 10 MB value is wasted work
    text = mask_text(text).translate(_ESCAPES)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _source_window(source: str, index: int) -> tuple[str, int]:
    """At most _MAX_SOURCE characters of a source line around `index`, with the new index."""
    if len(source) <= _MAX_SOURCE:
        return source, index
    start = max(0, min(index - _MAX_SOURCE // 2, len(source) - _MAX_SOURCE))
    shown = source[start : start + _MAX_SOURCE]
    prefix = "…" if start else ""
    suffix = "…" if start + _MAX_SOURCE < len(source) else ""
    return prefix + shown + suffix, index - start + len(prefix)


def summary(diagnostics: Sequence[Diagnostic], file_count: int) -> str:
    """`2 errors, 1 warning in 5 files`."""
    n_errors = len(errors(diagnostics))
    n_warnings = len(diagnostics) - n_errors
    return (
        f"{_plural(n_errors, 'error')}, {_plural(n_warnings, 'warning')} "
        f"in {_plural(file_count, 'file')}"
    )


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _block(diagnostic: Diagnostic, sources: _Sources) -> str:
    pos = diagnostic.pos
    where = f"{pos}: " if pos else ""
    message = printable(diagnostic.message)
    lines = [f"{where}{diagnostic.severity}: {message} [{diagnostic.code}]"]
    if pos and pos.line > 0:
        found = sources.line(pos.path, pos.line, pos.col - 1)
        if found is not None:
            source, index = found
            gutter = str(pos.line)
            lines.append(f" {gutter} | {source}")
            caret = "".join("\t" if c == "\t" else " " for c in source[:index])
            lines.append(f" {' ' * len(gutter)} | {caret}^")
    if diagnostic.hint:
        lines.append(f"    hint: {printable(diagnostic.hint)}")
    lines.extend(f"    {printable(frame)}" for frame in diagnostic.context)
    return "\n".join(lines) + "\n"


class _Sources:
    """Source lines for the snippets, with any value flagged as a secret masked out."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self._texts: dict[str, list[str] | None] = {}
        self._secret_cols: dict[tuple[str, int], list[int]] = {}
        for d in diagnostics:
            if d.code == SECRET_CODE and d.pos:
                self._secret_cols.setdefault((d.pos.path, d.pos.line), []).append(d.pos.col)

    def line(self, path: str, number: int, index: int) -> tuple[str, int] | None:
        """Line `number` of `path`, and where character `index` of it is after masking."""
        if path not in self._texts:
            # Read like the loader reads it: a FIFO or a device named by a diagnostic never
            # blocks, and a file leading outside its repository is never shown.
            read = read_in_repository(find_root(Path(path).parent), Path(path), MAX_COMPONENT_BYTES)
            self._texts[path] = None if read.problem else read.text.splitlines()
        lines = self._texts[path]
        if lines is None or number > len(lines):
            return None
        text = lines[number - 1]
        # Never print a secret, not even to its owner; right to left keeps columns valid.
        for col in sorted(self._secret_cols.get((path, number), []), reverse=True):
            start, end = col - 1, _scalar_end(text, col - 1)
            text = text[:start] + MASK + text[end:]
            if index >= end:
                index += len(MASK) - (end - start)
            elif index > start:
                index = start
        text, index = _source_window(text, index)
        before, after = text[:index], text[index:]
        # Secrets the checks did not flag (a duplicate key's value, a line with a syntax
        # error) are masked by their shape or their key; control characters are escaped.
        before = mask_text(before, keys=True).translate(_ESCAPES)
        text = before + mask_text(after, keys=True).translate(_ESCAPES)
        index = len(before)
        return text, index


def _scalar_end(line: str, start: int) -> int:
    quote = line[start : start + 1]
    if quote in ("'", '"'):
        i = start + 1
        while i < len(line):
            if quote == '"' and line[i] == "\\":
                i += 2
                continue
            if line[i] == quote and not (quote == "'" and line[i + 1 : i + 2] == "'"):
                return i + 1
            i += 1 + (quote == "'" and line[i] == "'")
        return len(line)
    in_flow = any(c in "[{" for c in line[:start])
    stops = ",]}" if in_flow else ""
    for i in range(start, len(line)):
        if line[i] in stops or line[i : i + 2] == " #":
            return i
    return len(line)
