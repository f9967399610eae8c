"""Everything one master holds: items, users, queue, plugins, faults, the request log."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from jobgen.master.builds import QUIET_PERIOD, Builds
from jobgen.master.clock import Clock
from jobgen.master.discard import rotate
from jobgen.master.faults import Faults
from jobgen.master.inputs import Inputs
from jobgen.master.requestlog import RequestLog
from jobgen.master.resave import resave
from jobgen.master.security import Security
from jobgen.master.store import Store

CACHE_ENTRIES = 64


@dataclass(frozen=True)
class Plugin:
    """An installed plugin as pluginManager/api/json lists it."""

    short_name: str
    version: str
    long_name: str = ""
    enabled: bool = True
    active: bool = True


# What a typical controller has, covering every plugin jobgen's rendered jobs need.
DEFAULT_PLUGINS = (
    Plugin("workflow-job", "1436.vfa_244484591f", "Pipeline: Job"),
    Plugin("workflow-cps", "3964.v0767b_4b_a_0b_fa_", "Pipeline: Groovy"),
    Plugin("workflow-basic-steps", "1058.vcb_fc1e3a_21a_9", "Pipeline: Basic Steps"),
    Plugin("workflow-durable-task-step", "1371.vb_7cec8f3b_95e", "Pipeline: Nodes and Processes"),
    Plugin("pipeline-build-step", "540.vb_e8849e1a_b_d8", "Pipeline: Build Step"),
    Plugin("pipeline-stage-step", "312.v8cd10304c27a_", "Pipeline: Stage Step"),
    Plugin("pipeline-utility-steps", "2.18.0", "Pipeline Utility Steps"),
    Plugin("pipeline-input-step", "495.ve9c153f6067b_", "Pipeline: Input Step"),
    Plugin("cloudbees-folder", "6.955.v81e2a_35c08d3", "Folders"),
    Plugin("git", "5.6.0", "Git plugin"),
    Plugin("copyartifact", "757.v05365583a_455", "Copy Artifact"),
    Plugin("http_request", "1.19", "HTTP Request Plugin"),
    Plugin("credentials-binding", "681.vf91669a_32e45", "Credentials Binding"),
    Plugin("build-timeout", "1.33", "Build Timeout"),
    Plugin("build-token-root", "151.va_e52fe3215fc", "Build Authorization Token Root"),
    Plugin("timestamper", "1.27", "Timestamper"),
    Plugin("docker-workflow", "580.vc0c340686b_54", "Docker Pipeline"),
    Plugin("junit", "1309.v0078b_fecd6ed", "JUnit Plugin"),
    Plugin("parameterized-scheduler", "262.v00f3d90585cc", "Parameterized Scheduler"),
)


class MasterState:
    """The live state behind one embedded master's HTTP server."""

    def __init__(
        self,
        home: Path,
        log: RequestLog,
        quiet_period: float = QUIET_PERIOD,
        verbatim_config: bool = False,
    ) -> None:
        self.store = Store(home)
        self.security = Security()
        self.clock = Clock()
        self.builds = Builds(self.store, self.clock, quiet_period)
        self.builds.on_finish = lambda item: rotate(self.store, item, self.clock.now_ms())
        self.verbatim_config = verbatim_config
        self.faults = Faults()
        self.log = log
        self.plugins: tuple[Plugin, ...] = DEFAULT_PLUGINS
        self.quieting_down = False
        self.inputs = Inputs()  # pipelines paused at an `input` step
        self._cache: dict[tuple[str, ...], tuple[int, bytes]] = {}  # key -> (generation, body)
        self._cache_lock = threading.Lock()
        self.export_lock = threading.Lock()  # one api/json answer built at a time

    def saved(self, config: bytes) -> bytes:
        """What Jenkins stores for an uploaded config (re-serialised), or the bytes as sent."""
        if self.verbatim_config:
            return config
        return resave(config, {p.short_name: p.version for p in self.plugins})

    def cached(self, key: tuple[str, ...]) -> bytes | None:
        """A serialised answer still valid for the current state, if any."""
        with self._cache_lock:
            hit = self._cache.get(key)
        if hit and hit[0] == self.store.generation:
            return hit[1]
        return None

    def remember(self, key: tuple[str, ...], generation: int, body: bytes) -> None:
        """Keep a serialised answer for the state generation it was made from."""
        with self._cache_lock:
            if len(self._cache) >= CACHE_ENTRIES:
                self._cache.clear()
            self._cache[key] = (generation, body)
