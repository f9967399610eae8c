"""The Jenkins plugins a rendered job needs, with the lowest versions whose XML and steps we use.

Deploy checks the master's plugin list against these before it creates
anything: a job whose plugin is missing loads silently broken, and a Groovy
step whose plugin is missing fails only when the build reaches it. Each
minimum is the first release holding every field jobgen writes and every
step it calls (the facts are in docs/jenkins-facts.md, `## realjobs`).
"""

from __future__ import annotations

from functools import lru_cache

from jobgen.plan.groovy_tokens import tokenize
from jobgen.plan.model import Job
from jobgen.plan.specs import (
    GeneratedScript,
    HandScript,
    PipelineSpec,
    SelfDeployScript,
    WorkerSpec,
)

MINIMUM = {
    "cloudbees-folder": "6.15",
    # UserRemoteConfig.credentialsId; GitUsernamePasswordBinding (`gitUsernamePassword`) is 4.8.0.
    "git": "4.8.0",
    "build-timeout": "1.20",
    "credentials-binding": "1.24",
    # DisableConcurrentBuildsJobProperty.abortPrevious first shipped in 1145.v7f2433caa07f.
    "workflow-job": "1145.v7f2433caa07f",
    "workflow-cps": "2.90",
    "workflow-basic-steps": "2.20",
    "workflow-durable-task-step": "2.35",
    "workflow-scm-step": "2.11",
    "workflow-multibranch": "2.22",
    "pipeline-build-step": "2.13",
    "pipeline-stage-step": "2.5",
    "pipeline-input-step": "2.12",
    "pipeline-milestone-step": "1.3.1",
    # readJSON and writeJSON (json/ReadJSONStep, WriteJSONStep) are in 1.3.0 on; 2.0 for the rest.
    "pipeline-utility-steps": "2.0",
    "http_request": "1.8.27",
    "docker-workflow": "1.26",
    "lockable-resources": "2.10",
    "ssh-agent": "1.20",
    "junit": "1.40",
    # Production mode (CopyArtifactPermissionProperty required) came with SECURITY-988: 1.44.
    # CopyArtifactPermissionProperty's `projectNameList` wildcards are in 1.44 too.
    "copyartifact": "1.44",
    # ParameterizedTimerTrigger.parameterizedSpecification, `CRON %NAME=value;...`, is in 1.0.
    "parameterized-scheduler": "1.0",
    "email-ext": "2.80",
    # Typed parameters (jobgen/templates/parameters.xml.j2; docs/jenkins-facts.md, authoring):
    "credentials": "1.16",  # CredentialsParameterDefinition first released here
    "nodelabelparameter": "1.5.0",  # the nodeEligibility field first released here
}

# Every step (and binding symbol) a pipeline script may call, with the plugin that provides it.
STEP_PLUGINS = {
    "build": "pipeline-build-step",
    "stage": "pipeline-stage-step",
    "parallel": "workflow-cps",
    "node": "workflow-durable-task-step",
    "sh": "workflow-durable-task-step",
    "bat": "workflow-durable-task-step",
    "ws": "workflow-durable-task-step",
    **dict.fromkeys(
        (
            "echo",
            "error",
            "mail",
            "sleep",
            "timeout",
            "retry",
            "withEnv",
            "catchError",
            "warnError",
            "unstable",
            "archiveArtifacts",
            "readFile",
            "writeFile",
            "fileExists",
            "dir",
            "deleteDir",
            "isUnix",
            "pwd",
            "stash",
            "unstash",
            "waitUntil",
        ),
        "workflow-basic-steps",
    ),
    "input": "pipeline-input-step",
    "milestone": "pipeline-milestone-step",
    "withCredentials": "credentials-binding",
    **dict.fromkeys(
        ("usernamePassword", "usernameColonPassword", "sshUserPrivateKey", "certificate"),
        "credentials-binding",
    ),
    "gitUsernamePassword": "git",
    "git": "git",
    "checkout": "workflow-scm-step",
    **dict.fromkeys(
        (
            "readJSON",
            "writeJSON",
            "readYaml",
            "writeYaml",
            "readProperties",
            "readCSV",
            "writeCSV",
            "readManifest",
            "findFiles",
            "zip",
            "unzip",
            "touch",
            "sha1",
            "sha256",
            "tee",
        ),
        "pipeline-utility-steps",
    ),
    "httpRequest": "http_request",
    "lock": "lockable-resources",
    "sshagent": "ssh-agent",
    "junit": "junit",
    "copyArtifacts": "copyartifact",
    "specific": "copyartifact",  # SpecificBuildSelector's @Symbol, a copyArtifacts selector
    "emailext": "email-ext",
    "properties": "workflow-multibranch",
    "docker": "docker-workflow",
    # groovy_lib/common/promise.groovy: the promise callbacks post with httpRequest.
    **dict.fromkeys(("withPromise", "promiseRegister", "promiseReport"), "http_request"),
}
_PARAMETER_PLUGINS = {"credentials": "credentials", "node": "nodelabelparameter"}
_PARAMETER_PLUGINS["label"] = "nodelabelparameter"

_PIPELINE = ("workflow-job", "workflow-cps", "workflow-basic-steps", "pipeline-build-step")
_EVERY_PIPELINE = frozenset((*_PIPELINE, "pipeline-stage-step"))
_ALERTS = ("copyartifact", "pipeline-utility-steps", "http_request", "credentials-binding")


def plugins_for(job: Job) -> tuple[str, ...]:
    """`shortName@version` of every plugin the job's config.xml and script use, sorted."""
    # Asked once a job (13,000 a build): one set filled in place, no set made for each test.
    names = _names(job)
    for param in getattr(job.spec, "params", ()):
        plugin = _PARAMETER_PLUGINS.get(param.type)
        if plugin is not None:
            names.add(plugin)
    return pinned(frozenset(names))


@lru_cache(maxsize=256)
def pinned(names: frozenset[str]) -> tuple[str, ...]:
    """`shortName@version` of each plugin in `names`, sorted: once per distinct set (a
    repository's 19,000 jobs and stable jobs have a few dozen)."""
    return tuple(sorted(f"{name}@{MINIMUM[name]}" for name in names))


def steps_used(groovy: str) -> set[str]:
    """The catalogued steps a Groovy text calls: names not after a `.` and not a map key."""
    tokens = list(tokenize(groovy))
    found = set()
    for i, token in enumerate(tokens):
        if token.kind != "ident" or token.text not in STEP_PLUGINS:
            continue
        before = tokens[i - 1].text if i else ""
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if before not in (".", "?.", "def") and after != ":":
            found.add(token.text)
    return found


def _names(job: Job) -> set[str]:
    spec = job.spec
    if isinstance(spec, WorkerSpec):
        names = {"build-timeout"}
        if spec.scm:
            names.add("git")
        if spec.bindings or spec.docker_login:
            names.add("credentials-binding")
        if spec.junit:
            names.add("junit")
        if spec.copies or spec.copy_permission:
            names.add("copyartifact")
        return names
    if isinstance(spec, PipelineSpec):
        return _pipeline_names(spec)
    return {"cloudbees-folder"}


def _pipeline_names(spec: PipelineSpec) -> set[str]:
    names = set(_EVERY_PIPELINE)
    if spec.schedule_parameters:
        names.add("parameterized-scheduler")
    script = spec.script
    if isinstance(script, SelfDeployScript):
        if script.repo_credentials:
            names.add("git")
        return names | {"workflow-durable-task-step", "credentials-binding"}
    if isinstance(script, HandScript):
        return names | {STEP_PLUGINS[step] for step in steps_used(script.text)}
    assert isinstance(script, GeneratedScript)
    names.add("workflow-durable-task-step")
    if script.repo_credentials:
        names.update(("git", "credentials-binding"))
    if script.notify and script.notify.webhook_credential:
        names.update(("http_request", "credentials-binding"))
    for phase in script.phases:  # one pass over the phases, not one a question
        if phase.approval:
            names.add("pipeline-input-step")
        if phase.lookups:
            names.add("copyartifact")  # the integration phase finds versions (plan/integration.py)
        if phase.alerts:
            # groovy_lib/common/alerts.groovy: copyArtifacts, readJSON, then a webhook post.
            names.update(_ALERTS)
    return names
