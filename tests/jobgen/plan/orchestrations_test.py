"""Generated chains: component variables, and an environment's overriding them."""

from __future__ import annotations

from pathlib import Path

from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.plan.specs import Param, PipelineSpec, WorkerSpec

APP = """\
component: app
repo: https://git.example.com/app.git
variables: {APP_NAME: app-dev, REGION: eu-west-1}
steps:
  build: ./build.sh
  stage: deploy --app "$APP_NAME" --region "$REGION"
environments:
  qa: {variables: {APP_NAME: app-qa}}
  production: {variables: {}}
"""


def _params(tmp_path: Path) -> dict[str, dict[str, Param]]:
    (tmp_path / "app.yaml").write_text(APP)
    loaded = load([tmp_path])
    assert not loaded.diagnostics
    result = plan(loaded.repo)
    found = {}
    for job in result.plan.jobs:
        if isinstance(job.spec, PipelineSpec | WorkerSpec):
            found[job.name] = {p.name: p for p in job.spec.params}
    return found


def test_component_variables_are_defaults_and_an_environment_overrides_them(tmp_path):
    params = _params(tmp_path)
    assert params["app-build-test-stage"]["APP_NAME"].default == "app-dev"
    assert params["app-qa-stage"]["APP_NAME"].default == "app-qa"
    assert params["app-qa-stage"]["REGION"].default == "eu-west-1"
    # An environment that sets nothing takes the component's values, none of them required.
    production = params["app-production-stage"]
    assert (production["APP_NAME"].default, production["APP_NAME"].required) == ("app-dev", False)
    # The worker runs by hand with the component's values too.
    assert params["app-stage"]["REGION"].default == "eu-west-1"
    # A step that does not read a variable does not take it.
    assert "APP_NAME" not in params["app-build"]


def test_without_a_watcher_a_person_still_has_a_stable_build_test_to_start(tmp_path):
    # `watch: false`: "only the schedule or a person starts it". The chain a watcher would
    # start keeps its stable job, so the folder's `current` view is not empty and the
    # person does not pick among versions under All.
    (tmp_path / "quiet.yaml").write_text(
        "component: quiet\nrepo: https://git.example.com/q.git\nwatch: false\n"
        "steps: {build: make, test: make test}\n"
    )
    loaded = load([tmp_path])
    assert not loaded.diagnostics
    result = plan(loaded.repo)
    stable = {s.name: s for s in result.plan.stable}
    assert sorted(stable) == ["quiet-build-test"]
    assert stable["quiet-build-test"].watch is None and stable["quiet-build-test"].schedule is None
