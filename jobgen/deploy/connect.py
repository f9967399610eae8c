"""Opening a master for a command: a named target, an ad hoc URL, or the embedded master."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jobgen.deploy.client import MasterClient
from jobgen.deploy.targets import Target, ad_hoc_target, named_target

EMBEDDED_HOME = Path(".jobgen") / "master"
EMBEDDED_USER = "jobgen"


@dataclass(frozen=True)
class Connection:
    """A client for the chosen master, and whether it is the embedded one."""

    client: MasterClient
    embedded: bool


@contextmanager
def connect(root: Path, target: str | None, url: str | None) -> Iterator[Connection]:
    """The master a command talks to; with neither target nor url, the embedded master.

    The embedded master runs for the length of the command on loopback, with
    its state under `.jobgen/master/` in the repository, so deploys accumulate.
    """
    if url:
        yield Connection(MasterClient(ad_hoc_target(url)), embedded=False)
        return
    if target:
        chosen = named_target(root, target)
        yield Connection(MasterClient(chosen), embedded=False)
        return
    from jobgen.master import EmbeddedMaster

    token = secrets.token_hex(16)
    home = root / EMBEDDED_HOME
    with EmbeddedMaster.start(home=home, user=EMBEDDED_USER, token=token) as master:
        embedded = Target(name="embedded", url=master.url, user=EMBEDDED_USER, token=token)
        yield Connection(MasterClient(embedded), embedded=True)
