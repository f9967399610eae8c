"""The executor of pipeline jobs when pipelines run: the job's script on the Groovy runtime.

The script is the `<script>` of the job's config.xml, as deploy uploaded it
(the prod library around the body). Its `build` steps come back here and run
the downstream jobs through this master's own queue, so no-op workers run
and the results a test set with `set_result` apply.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from jobgen.master.builds import BuildContext, Outcome
from jobgen.master.inputs import PendingInput, input_id
from jobgen.master.model import Item
from jobgen.master.pipeline.artifacts import copy_artifacts
from jobgen.master.pipeline.runtime import GroovyRuntime, RuntimeStopped
from jobgen.master.pipeline.shell import credentials, run_sh
from jobgen.master.state import MasterState

DOWNSTREAM_TIMEOUT_S = 3600.0  # a build step waits at most this long for its build


class PipelineExecutor:
    """Runs pipeline builds on one shared GroovyRuntime."""

    def __init__(
        self,
        state: MasterState,
        base_url: str,
        runtime: GroovyRuntime,
        home: Path | None = None,
        run_shell: bool = False,
    ) -> None:
        self.state = state
        self.base_url = base_url
        self.runtime = runtime
        self.home = home  # credentials.json and (with run_shell) the workspaces
        self.run_shell = run_shell

    def __call__(self, context: BuildContext) -> Outcome:
        """Run the job's script; the outcome carries the build's result and console log."""
        item = self._item(context.full_name)
        script = _script(item.config) if item else None
        header = f"Started by the embedded master: {context.full_name} #{context.number}"
        if item is None or script is None:
            return Outcome("FAILURE", f"{header}\nERROR: no pipeline script in config.xml\n")
        request = {
            "script": script,
            "params": context.parameters,
            "env": self._env(context),
            "job": context.full_name,
            "number": context.number,
            "previous": self._previous(item, context.number),
        }
        handler = _StepHandler(self, context.full_name, context.number, context.stop)
        try:
            answer = self.runtime.run(request, handler, context.stop)
        except RuntimeStopped as error:
            return Outcome("FAILURE", f"{header}\nERROR: {error}\nFinished: FAILURE\n")
        result = str(answer.get("result") or "FAILURE")
        lines = [header, *(str(line) for line in answer.get("log") or ()), f"Finished: {result}"]
        artifacts = {
            str(k): str(v).encode("utf-8") for k, v in (answer.get("artifacts") or {}).items()
        }
        variables = {str(k): str(v) for k, v in (answer.get("variables") or {}).items()}
        return Outcome(result, "\n".join(lines) + "\n", artifacts, variables)

    def _previous(self, item: Item, number: int) -> dict[str, Any] | None:
        """currentBuild.previousBuild: the build numbered just below, running or not."""
        with self.state.store.lock:
            earlier = [n for n in item.builds if n < number]
            if not earlier:
                return None
            build = item.builds[max(earlier)]
            return {"number": build.number, "result": build.result}

    def build_url(self, full_name: str, number: int) -> str:
        """The absolute URL of a build, as Jenkins' BUILD_URL."""
        path = "".join(f"job/{quote(part)}/" for part in full_name.split("/"))
        return f"{self.base_url}{path}{number}/"

    def _env(self, context: BuildContext) -> dict[str, str]:
        return {
            "JOB_NAME": context.full_name,
            "JOB_BASE_NAME": context.full_name.rsplit("/", 1)[-1],
            "BUILD_NUMBER": str(context.number),
            "BUILD_ID": str(context.number),
            "BUILD_URL": self.build_url(context.full_name, context.number),
            "JOB_URL": self.build_url(context.full_name, context.number).rsplit("/", 2)[0] + "/",
            "JENKINS_URL": self.base_url,
        }

    def _item(self, full_name: str) -> Item | None:
        with self.state.store.lock:
            return self.state.store.find(full_name.split("/"))


class _StepHandler:
    """Answers one run's master-side steps: `build` of a job, relative to the caller's folder."""

    def __init__(
        self, executor: PipelineExecutor, caller: str, number: int, stop: threading.Event
    ) -> None:
        self.executor = executor
        self.caller = caller
        self.number = number
        self.stop = stop

    def __call__(self, step: str, args: dict[str, Any]) -> dict[str, Any]:
        if step == "input":
            return self.input(str(args["message"]), args.get("id"), args.get("submitter"))
        if step == "copyArtifacts":
            full_name = resolve(self.caller, str(args["project"]))
            return copy_artifacts(self.executor.state, full_name, args)
        home = self.executor.home
        if step == "sh":
            if not self.executor.run_shell or home is None:
                return {"ran": False}
            return run_sh(home, self.caller, args)
        if step == "credentials":
            if home is None:
                return {"error": "this master has no credentials store"}
            return credentials(home, str(args.get("id")))
        if step != "build":
            return {"error": f"the master does not serve the step {step}"}
        return self.build(
            str(args["job"]), dict(args.get("parameters") or {}), bool(args.get("wait", True))
        )

    def build(self, job: str, given: dict[str, str], wait: bool) -> dict[str, Any]:
        """Queue the job on this master (parameters as Jenkins' build step passes them); wait."""
        full_name = resolve(self.caller, job)
        state = self.executor.state
        with state.store.lock:
            item = state.store.find(full_name.split("/"))
            if item is None and not job.startswith("/"):
                # Jenkins.getItem falls back to the full name when nothing matches from the
                # caller's folder (docs/jenkins-facts.md, authoring): jobs jobgen does not
                # manage are called by their real full name.
                item = state.store.find(job.split("/"))
                full_name = item.full_name if item is not None else full_name
        if item is None or item.is_folder:
            return {"error": f"No item named {job} found"}
        if item.info.disabled:
            return {"error": f"{full_name} is disabled"}
        # Undeclared parameters are dropped and missing ones take their defaults, as in Jenkins.
        parameters = {d.name: given.get(d.name, d.default) for d in item.info.parameters}
        queued, _ = state.builds.schedule(item, parameters, f"upstream:{self.caller}")
        if not wait:
            return {"queued": queued.id}
        build = state.builds.wait_done(queued, DOWNSTREAM_TIMEOUT_S)
        if build is None:
            return {"error": f"{full_name}: the build was cancelled or the master stopped"}
        return {
            "name": item.name,
            "full_name": item.full_name,
            "number": build.number,
            "result": build.result,
            "url": self.executor.build_url(item.full_name, build.number),
            "variables": dict(build.variables),
        }

    def input(self, message: str, given_id: object, submitter: object) -> dict[str, Any]:
        """Pause until `POST .../input/<id>/proceedEmpty` or `/abort` (jobgen/master/inputs.py)."""
        pending = PendingInput(
            input_id(message, str(given_id) if given_id else None),
            message,
            str(submitter).strip() or None if submitter else None,
        )
        state = self.executor.state
        settled = state.inputs.wait((self.caller, self.number), pending, self.stop)
        if settled is None:
            return {"error": "the master stopped while the input waited"}
        return {"id": settled.id, "outcome": settled.outcome, "by": settled.by}


def resolve(caller: str, job: str) -> str:
    """A build step's job name as Jenkins reads it: `/x` absolute, else from the caller's folder."""
    if job.startswith("/"):
        parts: list[str] = []
        names = job.strip("/").split("/")
    else:
        parts = caller.split("/")[:-1]
        names = job.split("/")
    for name in names:
        if name == "..":
            if parts:
                parts.pop()
        elif name and name != ".":
            parts.append(name)
    return "/".join(parts)


def _script(config: bytes) -> str | None:
    root = etree.fromstring(config, etree.XMLParser(resolve_entities=False, no_network=True))
    text = root.findtext("definition/script")
    return text if text and text.strip() else None


def install(
    state: MasterState, base_url: str, home: Path | None = None, run_shell: bool = False
) -> GroovyRuntime:
    """Make pipeline jobs run their Groovy on this master; returns the runtime to close.

    With `run_shell`, their `sh` steps run for real in `home`/workspace (shell.py).
    """
    from jobgen.master.configxml import PIPELINE

    runtime = GroovyRuntime()
    executor = PipelineExecutor(state, base_url, runtime, home, run_shell)
    state.builds.executors[PIPELINE] = executor
    return runtime
