"""The LOAD phase: component files on disk -> a positioned `Repo` and every diagnostic.

Never stops at the first problem: each file is parsed, checked against the
schema and converted on its own, then the cross-file checks run over all of
them, and the result carries every diagnostic found.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Protocol

from jobgen import __version__
from jobgen.diagnostics import Diagnostic, SourcePos, sort_key
from jobgen.load.checks import run_checks
from jobgen.load.convert import Converter
from jobgen.load.defaults import FOLDER_DEFAULTS, Inheritance, collapse_inherited, with_user
from jobgen.load.extends import TEMPLATES_DIR
from jobgen.load.install_checks import check_install
from jobgen.load.layers import Layer
from jobgen.load.model import Component, LoadResult, Repo
from jobgen.load.parameters import check_parameters
from jobgen.load.repo_files import (
    MAX_COMPONENT_BYTES,
    MAX_FILE_BYTES,
    RealPaths,
    RepoFile,
    read_in_repository,
)
from jobgen.load.schema import validate_component
from jobgen.load.settings import Settings, read_settings
from jobgen.load.team_library import read_team_library
from jobgen.load.yaml_nodes import ParsedYaml, parse_yaml
from jobgen.parallel import map_forked

PIN_FILE = "jobgen.yaml"
COMPONENT_SUFFIXES = (".yaml", ".yml")


class Reuse(Protocol):
    """Where earlier loads of component files may be taken from (jobgen/incremental/loaded.py)."""

    def loading(self, root: Path) -> AbstractContextManager[None]: ...

    def remembers(self) -> bool: ...

    def get(self, path: Path, text: str) -> Loaded | None: ...

    def pickled(self, loaded: Loaded) -> bytes: ...

    def put(self, path: Path, text: str, pickled: bytes) -> None: ...

    def discard(self) -> None: ...


Loaded = tuple[Component | None, tuple[Diagnostic, ...]]  # a component file's result


def load(paths: Sequence[Path], siblings: bool = True, reuse: Reuse | None = None) -> LoadResult:
    """Read component files (files, or folders meaning their top-level *.yaml/*.yml).

    When single files are named (a pre-commit hook passes the changed ones), the
    other component files beside them are read too, so that dependencies and
    duplicates resolve against the whole repository; findings that concern only
    those other files are left out. `siblings=False` reads the named files alone.
    """
    root = find_root(_start_folder(paths))
    with nullcontext() if reuse is None else reuse.loading(root):
        return _load(paths, siblings, root, reuse)


def _load(paths: Sequence[Path], siblings: bool, root: Path, reuse: Reuse | None) -> LoadResult:
    diagnostics: list[Diagnostic] = []
    realpath = RealPaths()  # each file's folder resolved once, for all that follows
    # jobgen.yaml is read below as the settings, never as a component file, even when named.
    settings_file = realpath(root / PIN_FILE)
    files = [f for f in component_files(paths, diagnostics) if realpath(f) != settings_file]
    # Listed only when asked for: a one-component compile names two files among 1000.
    context = (
        [f for f in sibling_files(paths, files) if realpath(f) != settings_file] if siblings else []
    )
    version, settings = read_jobgen_yaml(root, diagnostics)
    inherit = Inheritance(root, settings.defaults)
    results, file_problems = _load_files([*files, *context], inherit, reuse, realpath)
    for result in results[: len(files)]:
        diagnostics.extend(result[1])  # a context file's own findings are not reported
    components = [c for c, _ in results if c is not None]
    if file_problems and reuse is not None:
        reuse.discard()  # a file reused next time would not report its templates' problems
    diagnostics = collapse_inherited(diagnostics + file_problems)
    repo = Repo(
        root=root,
        components=tuple(components),
        jobgen_version=version,
        targets=settings.targets,
        owner=settings.owner,
        repository=settings.repository,
        external_jobs=settings.external_jobs,
        team_library=read_team_library(root, diagnostics),
    )
    diagnostics += without_context_only(run_checks(repo), files, context)
    read_from = tuple((f, c) for f, (c, _) in zip(files, results, strict=False) if c is not None)
    return LoadResult(
        repo, tuple(sorted(diagnostics, key=sort_key)), tuple(files), tuple(context), read_from
    )


def sibling_files(paths: Sequence[Path], files: Sequence[Path]) -> list[Path]:
    """Component files beside the individually named files that were not named themselves."""
    folders = dict.fromkeys(p.parent for p in paths if p.is_file())
    named = set(files)
    siblings = component_files(list(folders), [])
    return [f for f in siblings if f not in named]


def without_context_only(
    diagnostics: Sequence[Diagnostic], files: Sequence[Path], context: Sequence[Path]
) -> list[Diagnostic]:
    """Drop findings located in a context file that mention no named file at all."""
    hidden = {str(f) for f in context}
    named = [f"{f}:" for f in files]
    return [
        d
        for d in diagnostics
        if d.pos is None
        or d.pos.path not in hidden
        or any(n in frame for frame in d.context for n in named)
    ]


def component_files(paths: Sequence[Path], diagnostics: list[Diagnostic]) -> list[Path]:
    """The files to read, in a stable order; a folder means its top-level YAML files only.

    Scenario files under `components/<name>/tests/` are not component files, so
    folders are never searched recursively.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix in COMPONENT_SUFFIXES and p.stem != FOLDER_DEFAULTS
            )
            # A folder or a dangling symlink named *.yaml is reported when read, never
            # skipped: prune would otherwise delete the jobs of the component it held.
            files.extend(found)
            if not found:
                diagnostics.append(_no_components(path))
        elif path.is_file() and path.parent.name == TEMPLATES_DIR:
            files.extend(component_files([path.parent.parent], diagnostics))  # its users
        elif path.is_file() and path.stem == FOLDER_DEFAULTS:
            files.extend(component_files([path.parent], diagnostics))  # its users
        elif path.exists() or path.is_symlink():
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


def read_jobgen_yaml(root: Path, diagnostics: list[Diagnostic]) -> tuple[str | None, Settings]:
    """The pinned jobgen version and the settings (owner, repository, targets) of jobgen.yaml."""
    pin = root / PIN_FILE
    if not (pin.exists() or pin.is_symlink()):
        return None, Settings()
    shown = _shown(pin)
    read = read_in_repository(root, pin, MAX_FILE_BYTES)
    if read.problem:
        diagnostics.append(_unreadable(Path(shown), read))
        return None, Settings()
    parsed = parse_yaml(read.text, shown)
    diagnostics.extend(parsed.diagnostics)
    settings, problems = read_settings(parsed.value, parsed.positions)
    diagnostics.extend(problems)
    pinned = _read_pin(parsed, diagnostics)
    diagnostics.extend(check_install(settings.repository, root, pinned))
    return pinned, settings


def _read_pin(parsed: ParsedYaml, diagnostics: list[Diagnostic]) -> str | None:
    """The jobgen version pinned in jobgen.yaml."""
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


def _load_files(
    paths: Sequence[Path], inherit: Inheritance, reuse: Reuse | None, realpath: RealPaths
) -> tuple[list[Loaded], list[Diagnostic]]:
    """Each file's component and findings, in order, and the problems of the template and
    defaults files they use, each once, in the order a load in one process finds them.

    Files `reuse` does not know are parsed on every core (jobgen/parallel.py): each one
    stands on its own but for the templates it shares, which every process reads itself.
    With nothing to reuse (a first compile), each file is read where it is parsed too;
    otherwise this process reads them all to ask `reuse` about each.
    """
    read: list[RepoFile | None] = [None] * len(paths)
    results: list[Loaded | None] = [None] * len(paths)
    if reuse is not None and reuse.remembers():
        for i, path in enumerate(paths):
            file = read[i] = read_in_repository(inherit.root, path, MAX_COMPONENT_BYTES, realpath)
            if not file.problem:
                results[i] = reuse.get(path, file.text)
    todo = [i for i, result in enumerate(results) if result is None]
    parsed = map_forked(_Parse(inherit, reuse, realpath), [(paths[i], read[i]) for i in todo])
    problems: dict[Diagnostic, None] = {}
    for i, (file, loaded, pickled, found) in zip(todo, parsed, strict=True):
        # A child sends a load as the cache keeps it: unpickled once here, pickled once there.
        results[i] = pickle.loads(pickled) if loaded is None else loaded
        problems.update(dict.fromkeys(found))
        if reuse is not None and not file.problem:
            reuse.put(paths[i], file.text, pickled)
    return [r for r in results if r is not None], list(problems)


# A file as read, its load (None from a child: see the bytes), the load as `Reuse.pickled`
# made it (b"" without a cache), and the template and defaults problems it met first.
_Parsed = tuple[RepoFile, Loaded | None, bytes, list[Diagnostic]]


class _Parse:
    """One component file loaded (read first when not yet read), with the problems of the
    template and defaults files it was the first (in this process) to use; the file as
    read comes back too, and the load pickled for the cache where the file was parsed:
    in a child that is what it sends, on its own core, not for this process to do alone."""

    def __init__(self, inherit: Inheritance, reuse: Reuse | None, realpath: RealPaths) -> None:
        self._inherit = inherit
        self._reuse = reuse
        self._realpath = realpath
        self._home = os.getpid()

    def __call__(self, item: tuple[Path, RepoFile | None]) -> _Parsed:
        path, file = item
        if file is None:
            file = read_in_repository(self._inherit.root, path, MAX_COMPONENT_BYTES, self._realpath)
        if file.problem:
            return file, (None, (_unreadable(path, file),)), b"", []
        known = set(self._inherit.file_problems())
        found: list[Diagnostic] = []
        loaded = (
            _load_text(path, file.text, self._inherit, found, self._realpath),
            tuple(found),
        )
        problems = [d for d in self._inherit.file_problems() if d not in known]
        if self._reuse is None:
            return file, loaded, b"", problems
        pickled = self._reuse.pickled(loaded)
        return file, None if os.getpid() != self._home else loaded, pickled, problems


def _load_text(
    path: Path,
    text: str,
    inherit: Inheritance,
    diagnostics: list[Diagnostic],
    realpath: RealPaths,
) -> Component | None:
    root, shown = inherit.root, str(path)
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
    expanded = inherit.expand(Layer(parsed.value, parsed.positions), path)
    doc, positions = expanded.layer.value, expanded.layer.positions
    found = [*expanded.diagnostics, *validate_component(doc, positions)]
    found += check_parameters(doc, positions)
    converter = Converter(positions, root, _relative(path, root, realpath), found)
    component = converter.component(doc, expanded.sources)
    diagnostics.extend(with_user(found, expanded.used_by))
    return component


def _unreadable(path: Path, read: RepoFile) -> Diagnostic:
    problem = read.problem
    if read.missing and path.is_symlink():
        problem = "is a symlink to nothing (its target does not exist)"
    code = "encoding" if problem.startswith("is not UTF-8") else "unreadable"
    hint = "a component file is a regular YAML file of at most 16 MB; jobgen.yaml at most 1 MB"
    if problem.startswith("leads outside"):
        hint = "jobgen reads only the repository's files: copy the file in, or link inside it"
    return Diagnostic(
        SourcePos(str(path), 1, 1),
        code,
        f"{'settings' if path.name == PIN_FILE else 'component'} file {problem}",
        hint,
    )


def _relative(path: Path, root: Path, realpath: RealPaths) -> Path:
    """Where `path` really is, relative to `root` (itself resolved) when inside it."""
    absolute = realpath(path)  # what path.resolve() gives a file that could be read
    # Both are real, normalized paths: Path.relative_to, part by part, says the same.
    top = str(root)
    inside = top if top.endswith(os.sep) else top + os.sep
    if absolute.startswith(inside) or absolute == top:
        return Path(absolute[len(inside) :])
    return Path(absolute)
