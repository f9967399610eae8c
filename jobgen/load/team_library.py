"""The team's own Groovy library: `groovy_lib/*.groovy` at the jobs repository's root.

Each file holds top-level functions (`def name(...) {` at the start of a
line, or with a return type: `String name(...) {`), like jobgen's own
library. The planner compiles a file into every hand-written orchestration
that uses one of its functions (jobgen/plan/team_library.py). Two files, or
a file and jobgen's library, defining one name would make the compiled
script ambiguous: that is an error here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from jobgen.diagnostics import Diagnostic, SourcePos
from jobgen.load.repo_files import read_repo_file

TEAM_LIBRARY = "groovy_lib"
_SHIPPED = Path(str(files("jobgen"))) / "groovy_lib" / "common"  # jobgen's own, package data
_FUNCTION = re.compile(
    r"^(?:def|void|boolean|int|long|double|String|Map|List|Object|Closure)\s+"
    r"([A-Za-z_][A-Za-z0-9_]*)\s*\(",
    re.MULTILINE,
)


@dataclass(frozen=True)
class GroovyFile:
    """One file of the team's library: where it is, its text and the functions it defines."""

    path: str  # relative to the repository root
    text: str
    functions: tuple[str, ...]


def read_team_library(root: Path, diagnostics: list[Diagnostic]) -> tuple[GroovyFile, ...]:
    """Every `groovy_lib/*.groovy` of the jobs repository, sorted by name."""
    folder = root / TEAM_LIBRARY
    if not folder.is_dir():
        return ()
    shipped = {name: "jobgen's own library" for name in _shipped_functions()}
    found: list[GroovyFile] = []
    for path in sorted(folder.glob("*.groovy")):
        relative = f"{TEAM_LIBRARY}/{path.name}"
        read = read_repo_file(root, Path(relative))  # regular, inside the repository, bounded
        if read.problem:
            message = f"`{relative}` {read.problem}"
            diagnostics.append(Diagnostic(SourcePos(relative, 1, 1), "unreadable", message))
            continue
        text = read.text
        functions = []
        for match in _FUNCTION.finditer(text):
            name = match.group(1)
            if name in shipped:
                diagnostics.append(_clash(relative, text, match, name, shipped[name]))
                continue
            shipped[name] = relative
            functions.append(name)
        found.append(GroovyFile(relative, text, tuple(functions)))
    return tuple(found)


def _shipped_functions() -> list[str]:
    found = sorted(_SHIPPED.glob("*.groovy"))
    return [m.group(1) for f in found for m in _FUNCTION.finditer(f.read_text("utf-8"))]


def _clash(path: str, text: str, match: re.Match[str], name: str, other: str) -> Diagnostic:
    line = text.count("\n", 0, match.start(1)) + 1
    col = match.start(1) - (text.rfind("\n", 0, match.start(1)) + 1) + 1
    return Diagnostic(
        SourcePos(path, line, col),
        "groovy-library-clash",
        f"function `{name}` is already defined in {other}",
        "rename one of them: every library file used by a job is compiled into one script",
    )
