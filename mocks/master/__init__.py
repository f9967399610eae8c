"""The embedded Jenkins master: a faithful fake for python-jenkins and jobgen (docs/master.md)."""

from mocks.master.builds import BuildContext, Executor, Outcome, noop_executor
from mocks.master.faults import FaultPlan
from mocks.master.requestlog import Record
from mocks.master.server import EmbeddedMaster

__all__ = [
    "BuildContext",
    "EmbeddedMaster",
    "Executor",
    "FaultPlan",
    "Outcome",
    "Record",
    "noop_executor",
]
