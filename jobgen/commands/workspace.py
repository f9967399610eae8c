"""Where a command works: the jobs repository found upward from the working directory.

The root is the nearest folder, from the working directory up, holding
jobgen.yaml; `components/`, `build/` and `.jobgen/` are taken from there, so a
command means the same thing from any subfolder. A path given on the command
line is used as given. A missing folder is one `UsageError`, with one message,
whichever command meets it.
"""

from __future__ import annotations

import os
from pathlib import Path

PIN_FILE = "jobgen.yaml"
COMPONENTS = "components"
BUILD = "build"
STATE = ".jobgen"


class UsageError(Exception):
    """The command line names something that is not there; main prints it and exits 2."""


def find_repository(start: Path | None = None) -> Path | None:
    """The nearest folder from `start` (default: the working directory) up holding jobgen.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PIN_FILE).is_file():
            return folder
    return None


def base() -> Path:
    """The folder defaults are taken from: the repository root, else the working directory."""
    return find_repository() or Path.cwd()


def components_folder(given: Path | None) -> Path:
    """The components folder a command reads: `given`, else `components/` of the root."""
    if given is not None:
        if not given.is_dir():
            raise UsageError(f"{given}: no such folder of component files")
        return given
    root = find_repository()
    folder = (root or Path.cwd()) / COMPONENTS
    if folder.is_dir():
        return shown_path(folder)
    if root is None:
        raise UsageError(
            f"no {PIN_FILE} in {shown(Path.cwd())} or any folder above it, and no {COMPONENTS}/ "
            "here: run `jobgen init` to start a jobs repository, or pass -c FOLDER"
        )
    raise UsageError(f"{shown(folder)}: no such folder of component files")


def existing_paths(given: list[Path]) -> list[Path]:
    """Paths named on the command line (default: the components folder), each checked to exist."""
    if not given:
        return [components_folder(None)]
    missing = [p for p in given if not p.exists()]
    if missing:
        raise UsageError("; ".join(f"{p}: no such file or folder" for p in missing))
    return given


def default_under_root(given: Path | None, relative: str) -> Path:
    """`given`, else `relative` under the repository root (or the working directory)."""
    return given if given is not None else shown_path(base() / relative)


def shown_path(path: Path) -> Path:
    """`path` as a user would type it: relative to the working directory when it lies below
    it or a few folders up (`../components`), else as given."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return Path(os.path.relpath(path.resolve())) if _near(path) else path


def shown(path: Path) -> str:
    """`shown_path` as text, `.` for the working directory itself."""
    return str(shown_path(path))


def _near(path: Path) -> bool:
    # `../../components` reads better than an absolute path; a path in another tree does not.
    relative = os.path.relpath(path.resolve())
    return relative.count("..") <= 3
