"""The master's live state: items (folders and jobs) and their builds, held in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jobgen.master.configxml import FOLDER, ConfigInfo


@dataclass
class Build:
    """One build record; `result` stays None while it runs."""

    number: int
    queue_id: int
    timestamp: int  # start, epoch milliseconds
    parameters: dict[str, str]
    cause: str
    result: str | None = None
    duration: int = 0
    log: str = ""
    artifacts: tuple[str, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)  # a pipeline's env.X = ...

    @property
    def building(self) -> bool:
        """True until the build has a result."""
        return self.result is None


@dataclass
class Item:
    """A folder or a job; `path` is its directory under JENKINS_HOME."""

    name: str
    full_name: str
    path: Path
    config: bytes
    info: ConfigInfo
    children: dict[str, Item] = field(default_factory=dict)  # keyed by lower-cased name
    builds: dict[int, Build] = field(default_factory=dict)
    next_build: int = 1

    @property
    def is_folder(self) -> bool:
        """Folders hold items and have no builds."""
        return self.info.kind == FOLDER

    def sorted_children(self) -> list[Item]:
        """Children in Jenkins' order: case-insensitive by name."""
        return [self.children[k] for k in sorted(self.children)]

    def last_build(self) -> Build | None:
        """The newest build, running or not."""
        return self.builds[max(self.builds)] if self.builds else None

    def newest(self, results: tuple[str, ...] | None) -> Build | None:
        """The newest completed build whose result is in `results` (any completed when None)."""
        for number in sorted(self.builds, reverse=True):
            build = self.builds[number]
            if build.result is not None and (results is None or build.result in results):
                return build
        return None
