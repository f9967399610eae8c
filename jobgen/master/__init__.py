"""The embedded Jenkins master: a faithful fake for python-jenkins and jobgen (docs/master.md)."""

from jobgen.master.builds import BuildContext, Executor, Outcome, noop_executor
from jobgen.master.faults import FaultPlan
from jobgen.master.requestlog import Record
from jobgen.master.server import EmbeddedMaster

__all__ = [
    "BuildContext",
    "EmbeddedMaster",
    "Executor",
    "FaultPlan",
    "Outcome",
    "Record",
    "noop_executor",
]
