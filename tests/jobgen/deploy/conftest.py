"""An embedded master over real HTTP, and a committed copy of the example repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jenkins
import pytest

from jobgen.compiler import compile_tree
from jobgen.deploy.client import MasterClient, RetryPolicy
from jobgen.deploy.targets import Target
from jobgen.render.model import Artifacts
from jobgen.render.plugins import MINIMUM
from mocks.master import EmbeddedMaster
from tests.repos import make_jobs_repo

USER, TOKEN = "deployer", "0123456789abcdef0123456789abcdef"


@pytest.fixture
def master(tmp_path: Path) -> Iterator[EmbeddedMaster]:
    with EmbeddedMaster.start(home=tmp_path / "home", user=USER, token=TOKEN) as running:
        running.set_plugins({name: f"{version}.1" for name, version in MINIMUM.items()})
        yield running


@pytest.fixture
def components(tmp_path: Path) -> Path:
    return make_jobs_repo(tmp_path / "repo")


@pytest.fixture
def artifacts(components: Path) -> Artifacts:
    result = compile_tree(components)
    assert result.artifacts is not None, result.diagnostics
    return result.artifacts


def client_for(master: EmbeddedMaster, folder: str = "") -> MasterClient:
    """A deploy client with fast retries (the master answers on loopback)."""
    target = Target(name="test", url=master.url, user=USER, token=TOKEN, folder=folder)
    return MasterClient(target, RetryPolicy(attempts=8, first_delay=0.01, max_delay=0.1))


def python_jenkins(master: EmbeddedMaster) -> jenkins.Jenkins:
    """The unmodified python-jenkins client, to look at the master as a user would."""
    return jenkins.Jenkins(master.url, username=USER, password=TOKEN)


def writes(master: EmbeddedMaster) -> list[str]:
    """Every write request the master served (POSTs), as `METHOD path`."""
    return [f"{r.method} {r.path}" for r in master.requests if r.method == "POST"]
