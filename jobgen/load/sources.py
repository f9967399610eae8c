"""Reading the script files component files name: the loader's edge for Groovy and bash."""

from __future__ import annotations

from pathlib import Path

from jobgen.load.model import Repo


def script_paths(repo: Repo) -> list[Path]:
    """Every groovy/bash file of a hand-written job, repository-relative.

    (A step's `script:` file is read by the loader into the step's command.)
    """
    paths: list[Path] = []
    for component in repo.components:
        for job in component.jobs:
            paths += [p for p in (job.groovy, job.bash) if p is not None]
    return paths


def read_sources(repo: Repo) -> dict[str, str]:
    """The text of every script file that exists, keyed by repository-relative POSIX path.

    A missing file is left out: the loader's checks report it with its position.
    """
    sources = {}
    for path in script_paths(repo):
        full = repo.root / path
        if full.is_file():
            sources[path.as_posix()] = full.read_text(encoding="utf-8")
    return sources
