"""A small jobs repository using what issue 15 adds: typed parameters, the team's Groovy
library, an external job. Shared by the tests of those features."""

from __future__ import annotations

from pathlib import Path

from jobgen.compiler import compile_tree
from jobgen.render.model import Artifacts
from tests.repos import commit_all, git

SETTINGS = """\
jobgen: 0.1.0
owner: ops-jobs
external_jobs: [legacy/deploy-db]
"""
COMPONENT = """\
component: ops
description: Finding a failing machine (the talk, slide 10)
jobs:
  diagnose:
    groovy: ops/diagnose.groovy
    entrypoint: true
    parameters:
      TICKET: {required: true, description: the incident}
      NOTE: {type: text, default: "first line\\nsecond <line>"}
      DRY_RUN: {type: boolean, default: true}
      DEPTH: {type: choice, choices: [quick, full, paranoid], default: full}
      SSH_KEY: {type: credentials, default: ops-ssh-key}
      AGENT: {type: node, default: build-agent-7}
      POOL: {type: label, default: linux && x64}
      OWNER: {default: ops}
  probe:
    bash: ops/probe.bash
    parameters:
      VERBOSE: {type: boolean, default: false}
      AGENT: {type: node}
"""
DIAGNOSE = """\
notifyTeam("diagnosing ${params.TICKET}")
echo("DRY_RUN is ${params.DRY_RUN instanceof Boolean ? 'a boolean' : 'text'}: ${params.DRY_RUN}")
echo("DEPTH ${params.DEPTH}, OWNER ${params.OWNER}, SSH_KEY ${params.SSH_KEY}")
echo("AGENT ${env.AGENT}, POOL ${env.POOL}")
build(job: 'probe', parameters: [booleanParam(name: 'VERBOSE', value: true)])
build(job: 'legacy/deploy-db')
"""
LIBRARY = {
    "groovy_lib/notify.groovy": "def notifyTeam(String message) {\n"
    "    echo(teamPrefix() + message)\n}\n",
    "groovy_lib/prefix.groovy": "String teamPrefix() {\n    return 'team: '\n}\n",
    "groovy_lib/unused.groovy": "def neverCalled() {\n    echo('x')\n}\n",
}
SCENARIO = """\
job: diagnose
params: {TICKET: INC-42}
expected:
  result: SUCCESS
  calls_include:
    - echo: 'team: diagnosing INC-42'
    - echo: 'DRY_RUN is a boolean: true'
    - echo: 'DEPTH full, OWNER ops, SSH_KEY ops-ssh-key'
    - echo: 'AGENT build-agent-7, POOL linux && x64'
    - build: {job: probe}
    - build: {job: legacy/deploy-db}
"""
MISSING = """\
job: diagnose
params: {DRY_RUN: false}
expected:
  result: FAILURE
  error: parameter TICKET is required
  calls_exclude:
    - build: {job: probe}
"""


def make_authoring_repo(root: Path) -> Path:
    """The repository, committed; returns its components folder."""
    files = {
        "jobgen.yaml": SETTINGS,
        "components/ops.yaml": COMPONENT,
        "components/ops/diagnose.groovy": DIAGNOSE,
        "components/ops/probe.bash": "echo probing\n",
        "components/ops/tests/happy.yaml": SCENARIO,
        "components/ops/tests/missing_ticket.yaml": MISSING,
        **LIBRARY,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "ops")
    return root / "components"


def compiled_ops(root: Path) -> Artifacts:
    """The repository above, made under `root` and compiled in prod mode."""
    result = compile_tree(make_authoring_repo(root))
    assert result.artifacts is not None, result.diagnostics
    return result.artifacts
