"""A jobs repository living on a pipeline-running embedded master: deploy, rollback, prune, run.

What a user does over weeks, in a test: commits, deploys, rolls back and prunes
with jobgen's own code, and starts stable jobs over REST the way people and
platform applications do (python-jenkins, unmodified).
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jenkins
import requests
from lxml import etree

from jobgen.compiler import compile_tree
from jobgen.deploy.client import MasterClient
from jobgen.deploy.deployer import DeployReport, deploy
from jobgen.deploy.prune import prune_actions, stale_on_master
from jobgen.deploy.rollback import Rollback, rollback
from jobgen.functional.platform import CallbackListener
from jobgen.master import EmbeddedMaster
from jobgen.master.inputs import input_id
from jobgen.render.aliases import alias_state
from jobgen.render.model import Artifacts
from tests.masters import USER, client_for, python_jenkins
from tests.repos import commit_all, make_jobs_repo

TOKEN = "0123456789abcdef0123456789abcdef"
WAIT_S = 180.0  # a bound on any one wait: a deadlock shows as a run that never ends
HASH = "1234567890abcdef1234567890abcdef12345678"


class NeverEnded(AssertionError):
    """A run did not end within the bound: it waits for something that never comes."""


@dataclass
class Life:
    """The master, the jobs repository, and what the last compile produced."""

    master: EmbeddedMaster
    components: Path
    owner: str = ""
    listener: CallbackListener | None = None  # where a platform's callbacks go

    @property
    def server(self) -> jenkins.Jenkins:
        return python_jenkins(self.master)

    @property
    def client(self) -> MasterClient:
        return client_for(self.master)

    def compiled(self) -> Artifacts:
        result = compile_tree(self.components)
        assert result.artifacts is not None, result.diagnostics
        self.owner = result.owner
        return result.artifacts

    def deploy(self) -> DeployReport:
        return deploy(self.compiled(), self.client, self.owner)

    def rollback(self) -> list[Rollback]:
        return rollback(self.compiled(), self.client, self.owner)

    def prune(self, keep_days: float = 0) -> list[str]:
        """Delete what prune finds stale; returns the deleted full names."""
        artifacts = self.compiled()
        client = self.client
        stale = stale_on_master(client, artifacts, self.owner, keep_days)
        for _, item in prune_actions(stale, disable=False):
            client.delete(item.full_name)
        return [item.full_name for item in stale]

    def commit(self, component: str, old: str = "", new: str = "# touched\n") -> None:
        """A commit to a component file (`old` replaced by `new`, or `new` appended): every job
        of that component gets a new version."""
        path = self.components / f"{component}.yaml"
        text = path.read_text()
        path.write_text(text.replace(old, new) if old else text + new)
        commit_all(self.components.parent, f"{component}: touched")

    def remove(self, component: str) -> None:
        """A commit that removes a component (its file and its folder of scripts)."""
        (self.components / f"{component}.yaml").unlink()
        shutil.rmtree(self.components / component, ignore_errors=True)
        commit_all(self.components.parent, f"{component}: removed")

    # ---- what is on the master ----

    def jobs(self) -> list[dict[str, object]]:
        return [j for j in self.server.get_all_jobs() if "Folder" not in str(j.get("_class"))]

    def stable(self) -> dict[str, str]:
        """Full name -> description of every enabled stable job of ours."""
        found = {}
        for job in self.jobs():
            info = self.server.get_job_info(str(job["fullname"]))
            if alias_state(info.get("description")) and not info.get("disabled"):
                found[str(job["fullname"])] = str(info.get("description"))
        return found

    def triggers(self) -> Counter[str]:
        """Timer (plain or parameterized) and SCM triggers on enabled jobs: a disabled job starts
        nothing."""
        counted: Counter[str] = Counter()
        for job in self.jobs():
            name = str(job["fullname"])
            if self.server.get_job_info(name).get("disabled"):
                continue
            root = etree.fromstring(self.server.get_job_config(name).encode())
            for kind in (
                "hudson.triggers.TimerTrigger",
                "hudson.triggers.SCMTrigger",
                "org.jenkinsci.plugins.parameterizedscheduler.ParameterizedTimerTrigger",
            ):
                counted[kind.rpartition(".")[2]] += len(root.findall(f".//{kind}"))
        return counted

    # ---- running jobs as a user does ----

    def start(self, full_name: str, params: Mapping[str, str] | None = None) -> int:
        """Queue a build over REST; returns the queue id."""
        path = "".join(f"job/{part}/" for part in full_name.split("/"))
        wanted = dict(params or {})
        action = "buildWithParameters" if wanted or self._has_params(full_name) else "build"
        answer = requests.post(
            f"{self.master.url}{path}{action}", data=wanted, auth=(USER, TOKEN), timeout=30
        )
        answer.raise_for_status()
        return int(answer.headers["Location"].rstrip("/").rpartition("/")[2])

    def wait(self, full_name: str, queue_id: int, approve: tuple[str, ...] = ()) -> dict:
        """The finished build of a queue item; `approve`: stable jobs whose version's input to
        proceed (as the release manager does, once per release)."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for name in approve:
                self._proceed(name)
            executable = self.server.get_queue_item(queue_id).get("executable")
            if executable:
                info = self.server.get_build_info(full_name, executable["number"])
                if info.get("result"):
                    return info
            time.sleep(0.1)
        raise NeverEnded(f"{full_name} (queue item {queue_id}) did not end in {WAIT_S:.0f} s")

    def run(self, full_name: str, params: Mapping[str, str] | None = None, **kw: object) -> dict:
        return self.wait(full_name, self.start(full_name, params), **kw)  # type: ignore[arg-type]

    def console(self, full_name: str, number: int) -> str:
        return str(self.server.get_build_console_output(full_name, number))

    def _has_params(self, full_name: str) -> bool:
        config = self.server.get_job_config(full_name)
        return "ParametersDefinitionProperty" in config

    def _proceed(self, stable: str) -> None:
        """Approve the pending input of the newest build of what `stable` runs, if any."""
        state = alias_state(self.server.get_job_info(stable).get("description"))
        assert state is not None, f"{stable} is not a stable job"
        full_name = state.target
        info = self.server.get_job_info(full_name)
        last = info.get("lastBuild")
        if not last:
            return
        message = pending_message(self.server.get_job_config(full_name))
        if message is None:
            return
        path = "".join(f"job/{part}/" for part in full_name.split("/"))
        url = f"{self.master.url}{path}{last['number']}/input/{input_id(message)}/proceedEmpty"
        requests.post(url, auth=(USER, TOKEN), timeout=30)


def pending_message(config: str) -> str | None:
    """The approval message of a release's script (`Release X to Y?`), or None."""
    start = config.find("input(message: '")
    if start < 0:
        return None
    start += len("input(message: '")
    return config[start : config.index("'", start)]


@contextmanager
def living(tmp: Path) -> Iterator[Life]:
    """The example components in a fresh jobs repository, a pipeline-running master."""
    components = make_jobs_repo(tmp / "repo")
    with (
        EmbeddedMaster.start(
            tmp / "home", USER, TOKEN, run_pipelines=True, quiet_period=0
        ) as master,
        CallbackListener.start() as listener,
    ):
        yield Life(master, components, listener=listener)


def release_params(life: Life, stable: str) -> dict[str, str]:
    """What a person (or a platform) types to start a stable job: a commit, and a value for
    each required parameter (a callback URL for a URL)."""
    root = etree.fromstring(life.server.get_job_config(stable).encode())
    given = {}
    for definition in root.iter("hudson.model.StringParameterDefinition"):
        name = definition.findtext("name") or ""
        required = (definition.findtext("description") or "").endswith("(required)")
        if name == "GIT_HASH":
            given[name] = HASH
        elif required and not definition.findtext("defaultValue"):
            assert life.listener is not None
            given[name] = life.listener.url("report", name) if name.endswith("URL") else "value"
    return given
