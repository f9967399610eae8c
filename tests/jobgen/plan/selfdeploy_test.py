"""Self-deploy jobs: planned for the targets a master deploys, and only then."""

from pathlib import Path

from jobgen.compiler import compile_tree
from jobgen.load.loader import load
from jobgen.load.model import Repo
from jobgen.plan.model import Job
from jobgen.plan.planner import plan
from jobgen.plan.specs import PipelineSpec, SelfDeployScript, WorkerSpec
from jobgen.plan.stable import StableJob
from tests.repos import EXAMPLES, make_jobs_repo


def _example() -> Repo:
    return load([EXAMPLES]).repo


def _jobs(target: str | None) -> dict[str, Job]:
    result = plan(_example(), target=target)
    assert result.diagnostics == ()
    return {job.name: job for job in result.plan.jobs if job.component == "jobgen-deploy"}


def _watcher(target: str) -> StableJob:
    result = plan(load([EXAMPLES]).repo, target=target)
    return next(s for s in result.plan.stable if s.name == "jobgen-deploy-watch")


def _script(job: Job) -> SelfDeployScript:
    assert isinstance(job.spec, PipelineSpec) and isinstance(job.spec.script, SelfDeployScript)
    return job.spec.script


def test_qa_qa_runs_the_self_deploy_jobs_of_qa_test_and_qa_prod() -> None:
    jobs = _jobs("qa-qa")
    assert sorted(jobs) == [
        "jobgen-deploy",
        "jobgen-deploy-qa-prod",
        "jobgen-deploy-qa-test",
    ]
    test = _script(jobs["jobgen-deploy-qa-test"])
    assert (test.target, test.credentials_id) == ("qa-test", "qa-test-jenkins-deploy")
    assert (test.user_env, test.token_env) == ("QA_TEST_JENKINS_USER", "QA_TEST_JENKINS_TOKEN")
    assert test.repo == "https://github.com/somesite/jenkins-jobs.git"
    assert test.components == "components"
    # qa-prod waits for qa-test's functional test: qa-test's job runs it, then starts qa-prod's.
    assert test.functional_test and test.then == ("jobgen-deploy-qa-prod",)
    assert [c.target for c in jobs["jobgen-deploy-qa-test"].calls] == ["jobgen-deploy-qa-prod"]
    prod = _script(jobs["jobgen-deploy-qa-prod"])
    assert not prod.functional_test and prod.then == ()


def test_the_watcher_counts_only_what_jobgen_reads_and_starts_targets_without_after() -> None:
    watcher = _watcher("qa-qa")
    assert isinstance(watcher.watch, WorkerSpec) and watcher.watch.scm is not None
    assert watcher.watch.scm.url == "https://github.com/somesite/jenkins-jobs.git"
    assert watcher.watch.scm.included == (
        "components/.*",
        r"jobgen\.yaml",
        "jobgen/templates/.*",
        "jobgen/groovy_lib/.*",
        "groovy_lib/.*",  # the team's own Groovy library
    )
    assert watcher.watch.downstream == ("jobgen-deploy-qa-test",)
    assert watcher.watch.poll


def test_no_self_deploy_jobs_without_a_target_or_on_a_master_that_deploys_nobody() -> None:
    assert _jobs(None) == {}
    assert _jobs("qa-test") == {}
    assert _jobs("qa-prod") == {}


def test_self_deploy_jobs_are_positioned_in_jobgen_yaml_and_versioned_by_it() -> None:
    job = _jobs("qa-qa")["jobgen-deploy-qa-prod"]
    assert job.pos.path.endswith("jobgen.yaml") and job.pos.line > 1
    # Versioned by its own target's section of jobgen.yaml (jobgen/plan/settings_inputs.py).
    assert "jobgen.yaml#targets/qa-prod" in job.inputs
    # jobgen's own checkout: the template is in history
    assert "jobgen/templates/selfdeploy.groovy.j2" in job.inputs


def test_compiling_for_an_unknown_target_names_the_known_ones(tmp_path: Path) -> None:
    components = make_jobs_repo(tmp_path)
    result = compile_tree(components, target="qa-qq")
    assert result.artifacts is None
    (diagnostic,) = [d for d in result.diagnostics if d.code == "unknown-target"]
    assert "`qa-qq`" in diagnostic.message and "qa-qa, qa-test, qa-prod" in diagnostic.hint
