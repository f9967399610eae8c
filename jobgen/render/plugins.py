"""The Jenkins plugins a rendered job needs, with the lowest versions whose XML we write.

Deploy checks the master's plugin list against these before it creates
anything: a job whose plugin is missing loads silently broken.
"""

from __future__ import annotations

from jobgen.plan.model import Job
from jobgen.plan.specs import GeneratedScript, PipelineSpec, SelfDeployScript, WorkerSpec

MINIMUM = {
    "cloudbees-folder": "6.15",
    "git": "4.0.0",
    "build-timeout": "1.20",
    "credentials-binding": "1.24",
    "workflow-job": "2.40",
    "workflow-cps": "2.90",
    "workflow-basic-steps": "2.20",
    "workflow-durable-task-step": "2.35",
    "pipeline-build-step": "2.13",
    "pipeline-stage-step": "2.5",
    "pipeline-input-step": "2.12",
    "http_request": "1.8.27",
}

_PIPELINE = ("workflow-job", "workflow-cps", "workflow-basic-steps", "pipeline-build-step")


def plugins_for(job: Job) -> tuple[str, ...]:
    """`shortName@version` of every plugin the job's config.xml and script use, sorted."""
    return tuple(sorted(f"{name}@{MINIMUM[name]}" for name in _names(job)))


def _names(job: Job) -> set[str]:
    spec = job.spec
    if isinstance(spec, WorkerSpec):
        names = {"build-timeout"}
        if spec.scm:
            names.add("git")
        if spec.bindings:
            names.add("credentials-binding")
        return names
    if isinstance(spec, PipelineSpec):
        return _pipeline_names(spec)
    return {"cloudbees-folder"}


def _pipeline_names(spec: PipelineSpec) -> set[str]:
    names = {*_PIPELINE, "pipeline-stage-step"}
    script = spec.script
    if isinstance(script, SelfDeployScript):
        return names | {"workflow-durable-task-step", "credentials-binding"}
    if not isinstance(script, GeneratedScript):
        # Hand-written Groovy may use any step of the catalogue, the promise callbacks among them.
        return names | {"workflow-durable-task-step", "pipeline-input-step", "http_request"}
    names.add("workflow-durable-task-step")
    if any(phase.approval for phase in script.phases):
        names.add("pipeline-input-step")
    if script.notify and script.notify.webhook_credential:
        names |= {"http_request", "credentials-binding"}
    return names
