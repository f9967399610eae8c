from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.plan.specs import Arg
from tests.repos import EXAMPLES


def _phases(name):  # type: ignore[no-untyped-def]
    job = plan(load([EXAMPLES]).repo).plan.by_name()[name]
    return {phase.name: phase for phase in job.spec.script.phases}, job


def test_teams_api_release_makes_its_stack_present_then_runs_frontends_integration_tests():
    phases, job = _phases("teams-api-qa-release")
    present = phases["integration: qa"]
    assert [c.branch for c in present.calls] == ["frontend", "platform-api"]
    assert [c.target for c in present.calls] == ["frontend-qa-release", "platform-api-qa-release"]
    assert present.calls[0].args == (
        Arg("GIT_HASH", "param", "FRONTEND_PRODUCTION_VERSION"),
        Arg("INTEGRATION", "literal", "false"),
    )
    tests = phases["integration tests"]
    assert [c.target for c in tests.calls] == ["frontend-integration-test"]
    assert all(phase.integration for phase in (present, tests))
    # The production versions are explicit parameters, checked before the phase runs.
    params = {p.name for p in job.spec.params}
    assert {"FRONTEND_PRODUCTION_VERSION", "PLATFORM_API_PRODUCTION_VERSION"} <= params
    assert [name for name, _ in present.needs] == [
        "FRONTEND_PRODUCTION_VERSION",
        "PLATFORM_API_PRODUCTION_VERSION",
    ]


def test_a_component_nothing_depends_on_runs_no_integration_tests():
    phases, _ = _phases("frontend-qa-release")
    assert [c.branch for c in phases["integration: qa"].calls] == ["platform-api", "teams-api"]
    assert "integration tests" not in phases


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
        Arg("GIT_HASH", "param", "UI_PRODUCTION_VERSION"),
        Arg("APP", "literal", "ui-qa"),
    )


def test_environments_without_related_components_have_no_integration_phase():
    phases, _ = _phases("renewal-report-build-test")
    assert not any(phase.integration for phase in phases.values())
