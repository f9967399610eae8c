"""`repository.install` names a wheel: it must be committed here, and be the pinned jobgen.

A self-deploy job installs exactly what this names; a missing file or a wheel
of another version would only fail on the deployer, long after the commit.
"""

from __future__ import annotations

from pathlib import Path

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import JobsRepository


def check_install(
    repository: JobsRepository | None, root: Path, pinned: str | None
) -> list[Diagnostic]:
    """Problems with a wheel named by `repository.install` (an index URL is not checked)."""
    if repository is None or repository.install is None:
        return []
    if "://" in repository.install or not repository.install.endswith(".whl"):
        return []  # an index URL, or not a wheel at all (the schema says so)
    wheel = repository.install
    where = repository.pos
    if not (root / wheel).is_file():
        return [
            Diagnostic(
                where,
                "install-missing",
                f"repository.install names {wheel}, which is not in this repository",
                "commit the wheel (`pip wheel --no-deps jobgen==VERSION -w wheels/`), "
                "or name a package index URL",
            )
        ]
    # A wheel's file name is `name-version-...whl` (PEP 427).
    name, _, rest = Path(wheel).name.partition("-")
    version = rest.split("-", 1)[0]
    if name != "jobgen" or (pinned is not None and version != pinned):
        return [
            Diagnostic(
                where,
                "install-version",
                f"repository.install names {Path(wheel).name}, not jobgen {pinned}, "
                "the version jobgen.yaml pins",
                "commit the wheel of the pinned version, or change the pin",
            )
        ]
    return []
