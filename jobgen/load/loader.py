"""The LOAD phase: component files on disk -> a positioned `Repo` and every diagnostic.

Never stops at the first problem: each file is parsed, checked against the
schema and converted on its own, then the cross-file checks run over all of
them, and the result carries every diagnostic found.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jobgen import __version__
from jobgen.diagnostics import Diagnostic, SourcePos, sort_key
from jobgen.load.checks import run_checks
from jobgen.load.convert import Converter
from jobgen.load.model import Component, LoadResult, Repo
from jobgen.load.schema import validate_component
from jobgen.load.yaml_nodes import parse_yaml

PIN_FILE = "jobgen.yaml"
COMPONENT_SUFFIXES = (".yaml", ".yml")


def load(paths: Sequence[Path]) -> LoadResult:
    """Read component files (files, or folders meaning their top-level *.yaml/*.yml)."""
    diagnostics: list[Diagnostic] = []
    files = component_files(paths, diagnostics)
    root = find_root(_start_folder(paths))
    version = _read_pin(root, diagnostics)
    components = [
        component for f in files if (component := _load_file(f, root, diagnostics)) is not None
    ]
    repo = Repo(root=root, components=tuple(components), jobgen_version=version)
    diagnostics.extend(run_checks(repo))
    return LoadResult(repo, tuple(sorted(diagnostics, key=sort_key)), tuple(files))


def component_files(paths: Sequence[Path], diagnostics: list[Diagnostic]) -> list[Path]:
    """The files to read, in a stable order; a folder means its top-level YAML files only.

    Scenario files under `components/<name>/tests/` are not component files, so
    folders are never searched recursively.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in COMPONENT_SUFFIXES)
            files.extend(p for p in found if p.is_file())
            if not found:
                diagnostics.append(_no_components(path))
        elif path.is_file():
            files.append(path)
        else:
            diagnostics.append(
                Diagnostic(SourcePos(str(path)), "no-such-path", "no such file or folder")
            )
    return list(dict.fromkeys(files))  # a file named twice is read once


def _no_components(folder: Path) -> Diagnostic:
    return Diagnostic(
        SourcePos(str(folder)),
        "no-components",
        "no component files (*.yaml, *.yml) in this folder",
        "component files sit directly in the folder, one per component",
        severity="warning",
    )


def find_root(start: Path) -> Path:
    """The repository root: the folder holding jobgen.yaml, else the git top level.

    Both are searched upward from `start`; failing both, `start`'s parent.
    """
    start = start.resolve()
    for marker in (PIN_FILE, ".git"):
        for folder in (start, *start.parents):
            if (folder / marker).exists():
                return folder
    return start.parent


def _start_folder(paths: Sequence[Path]) -> Path:
    first = paths[0] if paths else Path("components")
    return first if first.is_dir() else first.parent


def _read_pin(root: Path, diagnostics: list[Diagnostic]) -> str | None:
    """The jobgen version pinned in jobgen.yaml (other keys belong to other commands)."""
    pin = root / PIN_FILE
    if not pin.is_file():
        return None
    shown = _shown(pin)
    parsed = parse_yaml(pin.read_text("utf-8"), shown)
    diagnostics.extend(parsed.diagnostics)
    doc = parsed.value
    if not isinstance(doc, dict) or "jobgen" not in doc:
        pos = parsed.positions.value(())
        diagnostics.append(
            Diagnostic(
                pos,
                "pin-missing",
                "jobgen.yaml does not pin a jobgen version",
                "add a line `jobgen: 0.1.0` (the version you compile with)",
            )
        )
        return None
    value = doc["jobgen"]
    pos = parsed.positions.value(("jobgen",))
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        pinned = parsed.positions.text(("jobgen",)) or str(value)
        if pinned != __version__:
            # Templates and Groovy library ship inside jobgen: another version compiles
            # other jobs under the same names, which breaks immutability.
            diagnostics.append(
                Diagnostic(
                    pos,
                    "pin-mismatch",
                    f"this repository pins jobgen {pinned}, but this is jobgen {__version__}",
                    f"run jobgen {pinned}, or change the pin to {__version__} in a commit "
                    "of its own (every job gets a new version)",
                )
            )
        return pinned
    diagnostics.append(Diagnostic(pos, "pin-type", "jobgen: expected a version, e.g. 0.1.0"))
    return None


def _shown(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_file(path: Path, root: Path, diagnostics: list[Diagnostic]) -> Component | None:
    shown = str(path)
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        diagnostics.append(
            Diagnostic(SourcePos(shown, 1, 1), "encoding", f"not UTF-8 text: {exc.reason}")
        )
        return None
    except OSError as exc:
        diagnostics.append(Diagnostic(SourcePos(shown), "unreadable", str(exc.strerror)))
        return None
    parsed = parse_yaml(text, shown)
    diagnostics.extend(parsed.diagnostics)
    if parsed.diagnostics and parsed.value is None:
        return None  # a syntax error: nothing more can be said about this file
    if parsed.value is None:
        diagnostics.append(
            Diagnostic(
                SourcePos(shown, 1, 1),
                "empty-file",
                "the component file is empty",
                "start it with `component: <name>`",
            )
        )
        return None
    diagnostics.extend(validate_component(parsed.value, parsed.positions))
    converter = Converter(parsed.positions, root, _relative(path, root), diagnostics)
    return converter.component(parsed.value)


def _relative(path: Path, root: Path) -> Path:
    absolute = path.resolve()
    try:
        return absolute.relative_to(root)
    except ValueError:
        return absolute
