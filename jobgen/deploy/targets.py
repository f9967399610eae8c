"""Masters to deploy to: named in `jobgen.yaml`, or given ad hoc with `--url`.

Credentials come only from the environment (or a netrc file outside the
repository); they are held in memory for the run and never printed.
"""

from __future__ import annotations

import netrc
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

CONFIG = "jobgen.yaml"
AD_HOC_USER = "JOBGEN_USER"
AD_HOC_TOKEN = "JOBGEN_TOKEN"


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


def read_targets(root: Path) -> dict[str, dict[str, object]]:
    """The raw `targets:` mapping of the repository's jobgen.yaml."""
    path = root / CONFIG
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    targets = data.get("targets") or {}
    if not isinstance(targets, dict):
        raise TargetError(f"{path}: `targets` must be a mapping of target names")
    return targets


def named_target(root: Path, name: str) -> Target:
    """The target `name` from jobgen.yaml, with its credentials read from the environment."""
    targets = read_targets(root)
    if name not in targets:
        known = ", ".join(sorted(targets)) or "none"
        raise TargetError(f"no target named '{name}' in {CONFIG} (known: {known})")
    spec = targets[name] or {}
    assert isinstance(spec, dict)
    url = str(spec.get("url") or "")
    if not url:
        raise TargetError(f"target '{name}' in {CONFIG} has no url")
    user_env = str(spec.get("user_env") or AD_HOC_USER)
    token_env = str(spec.get("token_env") or AD_HOC_TOKEN)
    user, token = _credentials(url, user_env, token_env, spec.get("netrc"), root)
    return Target(
        name=name,
        url=url,
        user=user,
        token=token,
        folder=str(spec.get("folder") or "").strip("/"),
        timeout=float(spec.get("timeout") or 30),  # type: ignore[arg-type]
        workers=int(spec.get("workers") or 8),  # type: ignore[call-overload]
        deployer=str(spec["deployer"]) if spec.get("deployer") else None,
    )


def ad_hoc_target(url: str) -> Target:
    """`--url URL`, with credentials in JOBGEN_USER / JOBGEN_TOKEN."""
    user, token = os.environ.get(AD_HOC_USER), os.environ.get(AD_HOC_TOKEN)
    return Target(name=url, url=url, user=user, token=token)


def _credentials(
    url: str, user_env: str, token_env: str, netrc_file: object, root: Path
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
