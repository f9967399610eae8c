"""A running embedded master per test, and a python-jenkins client for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jenkins
import pytest

from jobgen.master import EmbeddedMaster
from tests.jobgen.master.support import PASSWORD, TOKEN, USER


@pytest.fixture
def master(tmp_path: Path) -> Iterator[EmbeddedMaster]:
    home = tmp_path / "home"
    with EmbeddedMaster.start(
        home=home, user=USER, token=TOKEN, password=PASSWORD, quiet_period=0
    ) as m:
        yield m


@pytest.fixture
def server(master: EmbeddedMaster) -> jenkins.Jenkins:
    """python-jenkins authenticated with the API token."""
    return jenkins.Jenkins(master.url, username=USER, password=TOKEN, timeout=10)
