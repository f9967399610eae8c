"""Talking to an embedded master in tests: a deploy client, python-jenkins, the write log."""

from __future__ import annotations

import jenkins

from jobgen.deploy.client import MasterClient, RetryPolicy
from jobgen.deploy.targets import Target
from jobgen.master import EmbeddedMaster

USER, TOKEN = "deployer", "0123456789abcdef0123456789abcdef"


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
