import pytest

from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.plan.specs import Arg
from tests.lifecycle import Life, living
from tests.repos import EXAMPLES


def _phases(name):  # type: ignore[no-untyped-def]
    job = plan(load([EXAMPLES]).repo).plan.by_name()[name]
    return {phase.name: phase for phase in job.spec.script.phases}, job


def test_teams_api_release_finds_its_stack_then_runs_integration_tests_its_own_too():
    phases, job = _phases("teams-api-qa-release")
    present = phases["integration: qa"]
    assert [c.branch for c in present.calls] == ["frontend", "platform-api"]
    # Release workers through their stable jobs: no orchestration, no approval, no waiting on
    # another release, and no version of theirs in ours.
    assert [c.target for c in present.calls] == ["frontend-release", "platform-api-release"]
    assert all(c.stable for c in present.calls) and present.given_only
    assert present.calls[0].args == (
        Arg("GIT_HASH", "version", "frontend"),
        Arg("HEROKU_APP", "literal", "somesite-qa"),
    )
    # Versions are given, or found from what each stable qa-release last released.
    assert [(lk.component, lk.param, lk.release) for lk in present.lookups] == [
        ("frontend", "FRONTEND_PRODUCTION_VERSION", "frontend/frontend-qa-release"),
        ("platform-api", "PLATFORM_API_PRODUCTION_VERSION", "platform-api/platform-api-qa-release"),
    ]
    assert present.needs == ()  # nothing to type by hand
    tests = phases["integration tests"]
    assert [c.target for c in tests.calls] == [
        "frontend-integration-test",
        "teams-api-integration-test",
    ]
    assert [c.stable for c in tests.calls] == [True, False]  # its own test runs by version
    assert tests.calls[1].args[0] == Arg("GIT_HASH", "git_hash")  # the commit just released
    assert all(phase.integration for phase in (present, tests))
    params = {p.name for p in job.spec.params}
    assert {"FRONTEND_PRODUCTION_VERSION", "PLATFORM_API_PRODUCTION_VERSION"} <= params
    # Another component's jobs are no calls of ours: its new versions rename nothing here.
    assert not [c for c in job.calls if not c.target.startswith("teams-api")]


def test_a_component_nothing_depends_on_runs_only_its_own_integration_tests():
    phases, _ = _phases("frontend-qa-release")
    assert [c.branch for c in phases["integration: qa"].calls] == ["platform-api", "teams-api"]
    assert [c.target for c in phases["integration tests"].calls] == ["frontend-integration-test"]


def test_integration_tests_get_the_dependents_environment_values(tmp_path):
    components = tmp_path / "components"
    components.mkdir()
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    (components / "api.yaml").write_text(
        "component: api\nsteps: {build: make, release: ship}\n"
        "environments: {qa: {variables: {APP: api-qa}}}\n"
    )
    (components / "ui.yaml").write_text(
        "component: ui\ndependencies: [api]\n"
        "steps: {build: make, release: ship $APP, integration_test: check $APP}\n"
        "environments: {qa: {variables: {APP: ui-qa}}}\n"
    )
    job = plan(load([components]).repo).plan.by_name()["api-qa-release"]
    [tests] = [p for p in job.spec.script.phases if p.name == "integration tests"]
    assert tests.calls[0].args == (
        Arg("GIT_HASH", "version", "ui"),
        Arg("APP", "literal", "ui-qa"),
    )


def test_environments_without_related_components_have_no_integration_phase():
    phases, _ = _phases("renewal-report-build-test")
    assert not any(phase.integration for phase in phases.values())


# ---- on a pipeline-running master (tests/lifecycle.py) ----


def _last_hash(life: Life, common: str) -> str:
    """GIT_HASH of the newest build of the deployed version of worker `common`."""
    full_name = next(j.full_name for j in life.compiled().jobs if j.job.name == common)
    number = life.server.get_job_info(full_name)["lastBuild"]["number"]
    info = life.server.get_build_info(full_name, number)
    [parameters] = [a["parameters"] for a in info["actions"] if a.get("parameters")]
    return next(p["value"] for p in parameters if p["name"] == "GIT_HASH")


@pytest.mark.slow
def test_releases_find_what_related_components_run_and_run_their_own_integration_tests(
    tmp_path,
):
    with living(tmp_path) as life:
        life.deploy()
        api = life.run("platform-api/platform-api-qa-release", {"GIT_HASH": "a" * 40})
        assert api["result"] == "SUCCESS"
        assert _last_hash(life, "platform-api-integration-test") == "a" * 40  # its own
        # Nothing typed but the commit: teams-api finds what platform-api runs in qa.
        teams = life.run("teams-api/teams-api-qa-release", {"GIT_HASH": "b" * 40})
        assert teams["result"] == "SUCCESS"
        log = life.console("teams-api/teams-api-qa-release", teams["number"])
        versioned = next(
            line for line in log.splitlines() if "teams-api-qa-release-v" in line
        ).split()[1]
        inner = life.console(versioned, 1)
        assert f"platform-api runs {'a' * 40}" in inner
        assert "frontend: no successful frontend/frontend-qa-release yet" in inner
        assert _last_hash(life, "teams-api-integration-test") == "b" * 40
        frontend = life.run("frontend/frontend-qa-release", {"GIT_HASH": "c" * 40})
        assert frontend["result"] == "SUCCESS"
        # teams-api released again: frontend depends on it, so frontend's integration tests
        # run, at the commit frontend runs in qa.
        life.run("teams-api/teams-api-qa-release", {"GIT_HASH": "d" * 40})
        assert _last_hash(life, "frontend-integration-test") == "c" * 40
        assert _last_hash(life, "teams-api-integration-test") == "d" * 40
        # An explicit version still wins, and makes that version present first.
        life.run(
            "teams-api/teams-api-qa-release",
            {"GIT_HASH": "d" * 40, "FRONTEND_PRODUCTION_VERSION": "e" * 40},
        )
        assert _last_hash(life, "frontend-release") == "e" * 40
        assert _last_hash(life, "frontend-integration-test") == "e" * 40


@pytest.mark.slow
def test_related_releases_started_together_both_finish(tmp_path):
    # Each `<env>-release` disallows concurrent builds (the master queues a second build
    # until the first ends: WorkflowJob.getCauseOfBlockage). Releases that called each
    # other's `<env>-release` waited on each other forever.
    with living(tmp_path) as life:
        life.deploy()
        # Every version given, so that only waiting on each other could stop them.
        versions = {
            f"{name}_PRODUCTION_VERSION": "f" * 40
            for name in ("FRONTEND", "TEAMS_API", "PLATFORM_API")
        }
        names = ("frontend/frontend-qa-release", "teams-api/teams-api-qa-release")
        queued = [life.start(name, {"GIT_HASH": "1" * 40, **versions}) for name in names]
        results = [life.wait(name, q)["result"] for name, q in zip(names, queued, strict=True)]
        assert results == ["SUCCESS", "SUCCESS"]


@pytest.mark.slow
def test_a_production_release_asks_for_its_own_approval_only(tmp_path):
    with living(tmp_path) as life:
        life.deploy()
        stable = "platform-api/platform-api-production-release"
        # Its dependents' versions given: they are made present, asking nobody.
        given = {"GIT_HASH": "a" * 40, "FRONTEND_PRODUCTION_VERSION": "c" * 40}
        given["TEAMS_API_PRODUCTION_VERSION"] = "d" * 40
        assert life.run(stable, given, approve=(stable,))["result"] == "SUCCESS"
        # teams-api's integration phase reaches platform-api, whose production release asks
        # for approval: approving teams-api's own input is all it may take.
        teams = "teams-api/teams-api-production-release"
        given = {
            "GIT_HASH": "b" * 40,
            "PLATFORM_API_PRODUCTION_VERSION": "a" * 40,
            "FRONTEND_PRODUCTION_VERSION": "c" * 40,  # made present, without its approval
        }
        assert life.run(teams, given, approve=(teams,))["result"] == "SUCCESS"
        assert life.server.get_job_info(stable)["lastBuild"]["number"] == 1  # not run again
        assert not life.server.get_job_info("frontend/frontend-production-release")["lastBuild"]
