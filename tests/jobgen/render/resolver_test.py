"""Job names computed at run time resolve to the deployed names of the declared jobs only."""

import subprocess
import sys

from tests.repos import commit_all, git

COMPONENT = """\
component: regions
jobs:
  rollout:
    groovy: regions/rollout.groovy
    parameters: {REGION: {required: true}}
    may_call: [deploy-eu, deploy-us]
  deploy-eu: {bash: regions/deploy.bash}
  deploy-us: {bash: regions/deploy.bash}
"""

ROLLOUT = """\
stage('rollout') {
    build(job: "deploy-${params.REGION}")
}
"""

SCENARIOS = """\
- name: a declared name runs its deployed version
  job: rollout
  params: {REGION: eu}
  expected:
    calls_include:
      - build: {job: deploy-eu}
- name: an undeclared name fails the run
  job: rollout
  params: {REGION: mars}
  expected:
    result: FAILURE
    error: "job 'deploy-mars' is not declared in may_call: deploy-eu, deploy-us"
    calls_exclude:
      - build: {}
"""


def test_computed_names_resolve_through_the_declared_ones(tmp_path):
    components = tmp_path / "components"
    (components / "regions" / "tests").mkdir(parents=True)
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    (components / "regions.yaml").write_text(COMPONENT)
    (components / "regions" / "rollout.groovy").write_text(ROLLOUT)
    (components / "regions" / "deploy.bash").write_text("echo deploying\n")
    (components / "regions" / "tests" / "regions.yaml").write_text(SCENARIOS)
    git(tmp_path, "init", "-q", "-b", "main")
    commit_all(tmp_path, "regions")
    run = [sys.executable, "-m", "jobgen"]
    tested = subprocess.run(
        [*run, "test", "-c", "components", "-k", "regions/regions/*"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "2 passed, 0 failed" in tested.stdout
    compiled = subprocess.run([*run, "compile"], cwd=tmp_path, capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr
    script = next((tmp_path / "build" / "jobs" / "regions").glob("rollout_v1_*.groovy")).read_text()
    assert 'build(job: jobgenDeployedName("deploy-${params.REGION}"))' in script
    assert "('deploy-eu'): 'deploy-eu-v1-" in script
