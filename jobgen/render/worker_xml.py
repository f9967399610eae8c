"""A freestyle worker's config.xml: versioned workers and stable watchers share it."""

from __future__ import annotations

from collections.abc import Sequence

from jobgen.plan.specs import WorkerSpec
from jobgen.render.templates import render_template

# What a step in `requirements.docker` sees of the job's environment, as docker-workflow's
# `inside` passes the build's variables (jenkins core buildEnv.groovy:6; git plugin GIT_*).
BUILD_ENV = (
    "CI",
    "BUILD_NUMBER",
    "BUILD_ID",
    "BUILD_DISPLAY_NAME",
    "BUILD_TAG",
    "BUILD_URL",
    "JOB_NAME",
    "JOB_BASE_NAME",
    "JOB_URL",
    "JENKINS_URL",
    "EXECUTOR_NUMBER",
    "NODE_NAME",
    "NODE_LABELS",
    "WORKSPACE",
    "WORKSPACE_TMP",
    "GIT_COMMIT",
    "GIT_BRANCH",
    "GIT_URL",
)


def worker_xml(
    template: str,
    name: str,
    spec: WorkerSpec,
    downstream: Sequence[str],
    copy_sources: Sequence[str] = (),
) -> tuple[str, str]:
    """The job's XML with an empty `<command>`, and that command: stamp puts it in
    (`stamp(xml, ..., script=command, slot="command")`, render/stamp.py), and without it
    a component's workers share one config to parse. `downstream` are the started jobs
    and `copy_sources` the jobs whose files `spec.copies` copies in (copyartifact), as
    the job itself names them."""
    command = render_template(
        "worker.sh.j2",
        name=name,
        step=spec.step,
        toolchains=spec.toolchains,
        docker=spec.docker,
        docker_env=spec.docker_env,
        required=[p.name for p in spec.params if p.required],
        docker_entrypoint=spec.docker_entrypoint,
        docker_registry=spec.docker_registry,
        docker_login=spec.docker_login,
        build_env=BUILD_ENV,
    )
    xml = render_template(
        template,
        description=spec.description,
        spec=spec,
        command="",
        downstream=list(downstream),
        copy_sources=list(copy_sources),
    )
    return xml, command
