"""Masters to deploy to: named in `jobgen.yaml` (read by the loader), or ad hoc with `--url`.

Credentials come only from the environment (or a netrc file outside the
repository); they are held in memory for the run and never printed.
"""

from __future__ import annotations

import netrc
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from jobgen.diagnostics import Diagnostic, errors
from jobgen.load.loader import read_jobgen_yaml
from jobgen.load.model import Target as LoadedTarget

CONFIG = "jobgen.yaml"
AD_HOC_USER = "JOBGEN_USER"
AD_HOC_TOKEN = "JOBGEN_TOKEN"
# The compile reports the pin; a target is usable whatever the pin says.
_PIN_CODES = {"pin-missing", "pin-mismatch", "pin-type"}


class TargetError(Exception):
    """A target that cannot be used: the message says how to fix it."""


@dataclass(frozen=True)
class Target:
    """Where to deploy and how; `token` never appears in repr or output."""

    name: str
    url: str
    user: str | None = None
    token: str | None = field(default=None, repr=False)
    folder: str = ""  # root folder every component folder goes under
    timeout: float = 30.0
    workers: int = 8
    deployer: str | None = None
    credentials_env: tuple[str, str] = (AD_HOC_USER, AD_HOC_TOKEN)  # where user and token come from


def read_targets(root: Path) -> dict[str, LoadedTarget]:
    """The targets of the repository's jobgen.yaml, as the loader reads them.

    An error anywhere in jobgen.yaml's settings stops here with every
    diagnostic: deploying with half-understood settings is worse than not.
    """
    diagnostics: list[Diagnostic] = []
    _, settings = read_jobgen_yaml(root, diagnostics)
    problems = [d for d in errors(diagnostics) if d.code not in _PIN_CODES]
    if problems:
        raise TargetError("\n".join(d.format() for d in problems))
    return {t.name: t for t in settings.targets}


def named_target(root: Path, name: str) -> Target:
    """The target `name` from jobgen.yaml, with its credentials read from the environment."""
    targets = read_targets(root)
    if name not in targets:
        known = ", ".join(targets) or "none"
        raise TargetError(f"no target named '{name}' in {CONFIG} (known: {known})")
    spec = targets[name]
    user, token = _credentials(spec.url, spec.user_env, spec.token_env, spec.netrc, root)
    return Target(
        name=name,
        url=spec.url,
        user=user,
        token=token,
        folder=spec.folder,
        timeout=spec.timeout,
        workers=spec.workers,
        deployer=spec.deployer.value if spec.deployer else None,
        credentials_env=(spec.user_env, spec.token_env),
    )


def ad_hoc_target(url: str) -> Target:
    """`--url URL`, with credentials in JOBGEN_USER / JOBGEN_TOKEN."""
    user, token = os.environ.get(AD_HOC_USER), os.environ.get(AD_HOC_TOKEN)
    return Target(name=url, url=url, user=user, token=token)


def missing_credentials(target: Target) -> list[str]:
    """The environment variables a target reads its user and token from that gave nothing."""
    user_env, token_env = target.credentials_env
    pairs = ((user_env, target.user), (token_env, target.token))
    return [name for name, value in pairs if not value]


def _credentials(
    url: str, user_env: str, token_env: str, netrc_file: str | None, root: Path
) -> tuple[str | None, str | None]:
    user, token = os.environ.get(user_env), os.environ.get(token_env)
    if user and token:
        return user, token
    if netrc_file:
        path = Path(os.path.expanduser(str(netrc_file))).resolve()
        if path.is_relative_to(root.resolve()):
            raise TargetError(f"{path}: a credentials file must live outside the repository")
        entry = netrc.netrc(str(path)).authenticators(urlparse(url).hostname or "")
        if entry:
            return entry[0], entry[2]
    return user, token
