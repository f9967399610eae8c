"""Jenkins shared libraries for `jobgen test`: where they are and which ones a job uses.

A library is a folder with `vars/` (global steps, one `NAME.groovy` each), `src/`
(classes, by package) and `resources/` (for `libraryResource`), as Jenkins
retrieves it. `jobgen test` finds them in the jobs repository's `libraries/<name>/`
and at the paths `jobgen.yaml` names under `libraries:`. A job loads one with
`@Library('name') _` (before it runs) or the `library('name')` step (when called).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from jobgen.diagnostics import Diagnostic, SourcePos
from jobgen.groovy.compile import body_range

FOLDER = "libraries"
SCENARIOS = "tests"
_ANNOTATION = re.compile(r"@Library\s*\(([^)]*)\)")
_STEP = re.compile(r"\blibrary\s*\(?\s*(?:identifier\s*:\s*)?['\"]([^'\"]+)['\"]")
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


@dataclass(frozen=True)
class SharedLibrary:
    """A shared library's name and folder."""

    name: str
    root: Path

    def paths(self) -> dict[str, str | None]:
        """Its `src`, `vars` and `resources` folders (None when absent), for the driver."""
        return {
            part: str(self.root / part) if (self.root / part).is_dir() else None
            for part in ("src", "vars", "resources")
        }


def _name(identifier: str) -> str:
    # `name@version`: the version picks a branch or tag on Jenkins; here there is one copy.
    return identifier.split("@", 1)[0].strip()


def used_libraries(text: str) -> tuple[list[str], list[str]]:
    """The libraries a compiled script's body loads: by `@Library` and by the `library` step."""
    first, last = body_range(text)
    body = "\n".join(text.splitlines()[first - 1 : last])
    static: list[str] = []
    for match in _ANNOTATION.finditer(body):
        static.extend(_name(q) for q in _QUOTED.findall(match.group(1)))
    loads = [_name(m) for m in _STEP.findall(body)]
    return list(dict.fromkeys(static)), [n for n in dict.fromkeys(loads) if n not in static]


def find_libraries(root: Path) -> tuple[dict[str, SharedLibrary], list[Diagnostic]]:
    """The libraries of a jobs repository (`root` holds jobgen.yaml), or why one is unusable."""
    found: dict[str, SharedLibrary] = {}
    problems: list[Diagnostic] = []
    folder = root / FOLDER
    if folder.is_dir():
        for path in sorted(p for p in folder.iterdir() if p.is_dir()):
            found[path.name] = SharedLibrary(path.name, path)
    settings = root / "jobgen.yaml"
    named: object = None
    if settings.is_file():
        try:
            data = yaml.safe_load(settings.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            data = None  # the loader reports a broken jobgen.yaml with its position
        named = data.get("libraries") if isinstance(data, Mapping) else None
    if isinstance(named, Mapping):
        for name, where in named.items():
            path = root / str(where)  # as given, so messages show it as written
            found[str(name)] = SharedLibrary(str(name), path)
    for library in found.values():
        if not any((library.root / part).is_dir() for part in ("src", "vars")):
            # pipeline-groovy-lib LibraryAdder: a library needs src/ or vars/.
            problems.append(
                Diagnostic(
                    SourcePos(str(library.root)),
                    "library",
                    f"Library {library.name} expected to contain at least one of src or vars"
                    " directories",
                    f"add {library.root}/vars/<step>.groovy or {library.root}/src/",
                )
            )
    return {n: lib for n, lib in found.items() if lib.root.is_dir()}, problems
