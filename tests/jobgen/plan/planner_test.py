from pathlib import Path

import pytest

from jobgen.load.loader import load
from jobgen.load.model import Repo
from jobgen.plan import planner, views
from jobgen.plan.external import without_external_calls
from jobgen.plan.inputs import shipped
from jobgen.plan.integration import add_integration
from jobgen.plan.model import Job, Plan
from jobgen.plan.planner import plan
from jobgen.plan.selfdeploy import self_deploy_jobs
from jobgen.plan.settings_inputs import settle_inputs
from jobgen.plan.specs import Arg, GeneratedScript, HandScript, PipelineSpec, WorkerSpec
from jobgen.plan.stable import split
from jobgen.plan.team_library import with_team_library
from tests.authoring_repo import make_authoring_repo
from tests.repos import EXAMPLES


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    result = plan(load([EXAMPLES]).repo)
    assert result.diagnostics == ()
    return result.plan


def _spec(plan_: Plan, name: str):  # type: ignore[no-untyped-def]
    return plan_.by_name()[name].spec


def test_frontend_gets_a_folder_workers_watcher_and_every_chain(example_plan):
    names = {job.name for job in example_plan.jobs if job.component == "frontend"}
    stable = {s.name for s in example_plan.stable if s.component == "frontend"}
    assert stable == {
        "frontend-watch",
        "frontend-build-test",
        "frontend-qa-release",
        "frontend-production-release",
        # what related components' integration phases build, by stable name
        "frontend-release",
        "frontend-integration-test",
    }
    assert names == {
        "frontend",
        "frontend-build",
        "frontend-test",
        "frontend-stage",
        "frontend-release",
        "frontend-integration-test",
        "frontend-build-test",
        "frontend-build-test-stage",
        "frontend-build-test-stage-release",
        "frontend-qa-stage",
        "frontend-qa-release",
        "frontend-production-stage",
        "frontend-production-release",
    }
    folders = {job.folder for job in example_plan.jobs if job.component == "frontend"}
    assert folders == {"", "frontend"}


def test_environment_values_become_parameter_defaults(example_plan):
    qa = _spec(example_plan, "frontend-qa-release")
    generic = _spec(example_plan, "frontend-build-test-stage-release")
    defaults = {p.name: p.default for p in qa.params}
    assert defaults["GIT_HASH"] == "" and defaults["HEROKU_APP"] == "somesite-qa"
    heroku = next(p for p in generic.params if p.name == "HEROKU_APP")
    assert heroku.required and heroku.default == ""


def test_approval_comes_before_release_only_where_declared(example_plan):
    production = _spec(example_plan, "frontend-production-release").script
    qa = _spec(example_plan, "frontend-qa-release").script
    assert [p.name for p in production.phases][:4] == ["build", "test", "stage", "release"]
    assert production.phases[3].approval == "release-managers"
    assert all(p.approval is None for p in qa.phases)


def test_each_phase_calls_its_worker_and_passes_the_commit(example_plan):
    job = example_plan.by_name()["frontend-qa-release"]
    assert [c.target for c in job.calls][:4] == [
        "frontend-build",
        "frontend-test",
        "frontend-stage",
        "frontend-release",
    ]
    release = job.spec.script.phases[3].calls[0]
    assert release.args == (Arg("GIT_HASH", "git_hash"), Arg("HEROKU_APP", "param", "HEROKU_APP"))


def test_workers_get_the_toolchain_label_and_only_variables_they_use(example_plan):
    build = _spec(example_plan, "frontend-build")
    release = _spec(example_plan, "frontend-release")
    assert isinstance(build, WorkerSpec)
    assert build.toolchains == (("node", "8.12.0"),) and build.label == "linux"
    assert [p.name for p in build.params] == ["GIT_HASH"]
    assert [p.name for p in release.params] == ["GIT_HASH", "HEROKU_APP"]
    assert build.scm is not None and build.scm.branch == "${GIT_HASH}"


def test_docker_image_replaces_the_toolchain_and_receives_the_variables(example_plan):
    release = _spec(example_plan, "teams-api-release")
    assert release.docker == "python:3.7" and release.toolchains == ()
    assert set(release.docker_env) == {"GIT_HASH", "HEROKU_APP", "HEROKU_API_KEY"}


def test_step_options_reach_the_worker(example_plan):
    test = _spec(example_plan, "teams-api-test")
    assert test.timeout_minutes == 20 and test.artifacts == ("reports/*.xml",)
    assert _spec(example_plan, "teams-api-build").timeout_minutes == 60  # the default


def test_a_step_naming_credentials_binds_only_those(example_plan):
    report = _spec(example_plan, "renewal-report-build")
    assert [b.credentials_id for b in report.bindings] == ["marketplace-api"]
    upload = _spec(example_plan, "renewal-report-release")
    assert [b.credentials_id for b in upload.bindings] == ["confluence-upload"]
    release = _spec(example_plan, "teams-api-release")
    assert [(b.type, b.variables) for b in release.bindings] == [("string", ("HEROKU_API_KEY",))]


def test_schedule_notify_and_retention(example_plan):
    # The schedule starts the whole chain to publish, on the real page (schedule: {run:}). The
    # versioned chain carries no trigger (its stable entry does); it notifies, told by the
    # stable entry what the entry's previous build was ("fixed" over versions).
    chain = "renewal-report-build-test-stage-release"
    versioned = _spec(example_plan, chain)
    assert isinstance(versioned, PipelineSpec) and versioned.schedule is None
    assert versioned.schedule_parameters == ()
    assert isinstance(versioned.script, GeneratedScript) and versioned.script.notify is not None
    assert versioned.script.notify.webhook_credential == "opsgenie-hook"
    assert "JOBGEN_PREVIOUS_RESULT" in {p.name for p in versioned.params}
    entry = next(s for s in example_plan.stable if s.name == chain)
    assert entry.schedule == "H 6 1 * *" and entry.runs == chain
    assert entry.schedule_parameters == (("CONFLUENCE_PAGE", "Renewal reports"),)
    assert entry.passes_previous
    assert "JOBGEN_PREVIOUS_RESULT" not in {p.name for p in entry.params}  # not for people
    others = [s for s in example_plan.stable if s.component == "renewal-report" and s.name != chain]
    assert not any(s.schedule for s in others)
    assert (entry.retention.days, entry.retention.builds) == (400, 24)
    # Absent retention gets the default that keeps a master's disk in check.
    assert _spec(example_plan, "platform-api-build").retention.builds == 100


def test_watcher_polls_only_the_watched_path_and_starts_build_test(example_plan):
    stable = next(s for s in example_plan.stable if s.name == "frontend-watch")
    watch = stable.watch
    assert watch is not None and watch.scm is not None and watch.poll
    assert watch.scm.included == ("frontend/src/.*",)
    assert watch.downstream == ("frontend-build-test",) and stable.runs == "frontend-build-test"
    assert "frontend-watch" not in example_plan.by_name()  # never versioned


def test_hand_written_jobs_keep_their_source_and_calls(example_plan):
    process = example_plan.by_name()["process_model"]
    assert isinstance(process.spec.script, HandScript)
    assert sorted({c.target for c in process.calls}) == [
        "estimate_price",
        "inspect_manifold",
        "measure_size",
    ]
    assert all(c.span is not None for c in process.calls)
    assert "components/model-processing/process_model.groovy" in process.inputs
    worker = _spec(example_plan, "inspect_manifold")
    assert [p.name for p in worker.params if p.required] == [
        "SOURCE_S3_FILE_PATH",
        "RESULT_S3_FILE_PATH",
    ]


def test_every_job_is_versioned_by_its_component_file_and_the_pin(example_plan):
    for job in example_plan.jobs:
        # The pin and owner, not the whole of jobgen.yaml (jobgen/plan/settings_inputs.py).
        assert "jobgen.yaml#rest" in job.inputs
        assert "jobgen.yaml#defaults" in job.inputs
        assert any(path.startswith("components/") for path in job.inputs)


def _write(tmp: Path, name: str, text: str) -> None:
    (tmp / "components").mkdir(exist_ok=True)
    (tmp / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    (tmp / "components" / name).write_text(text)


def test_two_jobs_with_one_name_are_reported_with_both_places(tmp_path):
    _write(tmp_path, "a.yaml", "component: a\nsteps: {build: make}\n")
    _write(tmp_path, "b.yaml", "component: b\njobs:\n  a-build: {bash: b.sh}\n")
    (tmp_path / "components" / "b.sh").write_text("make\n")
    result = plan(load([tmp_path / "components"]).repo)
    duplicate = [d for d in result.diagnostics if d.code == "duplicate-job"]
    assert len(duplicate) == 1
    assert "a-build" in duplicate[0].message
    assert duplicate[0].context and "a.yaml" in duplicate[0].context[0] + str(duplicate[0].pos)


def test_a_call_to_a_missing_job_names_the_closest(tmp_path):
    _write(
        tmp_path, "c.yaml", "component: c\njobs:\n  go: {groovy: go.groovy}\n  work: {bash: w.sh}\n"
    )
    (tmp_path / "components" / "w.sh").write_text("true\n")
    (tmp_path / "components" / "go.groovy").write_text("\n\nbuild(job: 'wrok')\n")
    result = plan(load([tmp_path / "components"]).repo)
    [unknown] = [d for d in result.diagnostics if d.code == "unknown-job"]
    assert unknown.pos is not None and unknown.pos.line == 3
    assert "did you mean 'work'" in unknown.hint


def _plain(repo: Repo, target: str | None) -> Plan:
    """The plan the plain way: every job made with jobgen.yaml whole, then all settled at once."""
    jobs: list[Job] = []
    for component in repo.components:
        jobs += planner._component_jobs(component, shipped(repo.root), [])
    jobs = add_integration(jobs, repo)
    jobs += self_deploy_jobs(repo, target)
    jobs = settle_inputs(with_team_library(without_external_calls(jobs, repo), repo), repo)
    jobs.sort(key=lambda job: job.name)
    versioned, stable = split(jobs)
    versioned = views.with_current(versioned, stable)
    return Plan(tuple(versioned), tuple(sorted(stable, key=lambda s: s.name)))


def test_jobs_settled_as_they_are_made_are_the_jobs_settled_afterwards(tmp_path: Path) -> None:
    # The examples (defaults, self-deploy jobs by their targets), the authoring repository
    # (external jobs, the team library), and a step whose script is jobgen.yaml itself.
    examples = load([EXAMPLES]).repo
    target = examples.targets[0].name
    assert plan(examples, target).plan == _plain(examples, target)
    authoring = load([make_authoring_repo(tmp_path / "a")]).repo
    assert plan(authoring).plan == _plain(authoring, None)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    (tmp_path / "b" / "odd.yaml").write_text(
        "component: odd\nsteps: {build: {script: jobgen.yaml}}\n"
    )
    odd = load([tmp_path / "b"]).repo
    assert odd.components[0].steps[0].script_file == Path("jobgen.yaml")
    assert plan(odd).plan == _plain(odd, None)
