"""The shipped JSON Schema and its plain-English errors."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from jobgen.load.model import STEP_NAMES
from jobgen.load.schema import component_schema, validate_component
from jobgen.load.yaml_nodes import parse_yaml


def _diagnostics(text: str) -> list[tuple[int, int, str, str]]:
    parsed = parse_yaml(text, "c.yaml")
    found = validate_component(parsed.value, parsed.positions)
    return sorted((d.pos.line, d.pos.col, d.code, d.message) for d in found if d.pos)


def test_the_schema_is_valid_draft_2020_12_and_closed_everywhere() -> None:
    schema = component_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        if "properties" in definition:
            assert definition.get("additionalProperties") is False, name


def test_every_field_of_the_contract_is_in_the_schema() -> None:
    schema = component_schema()
    assert set(schema["properties"]) == {
        "component", "description", "repo", "branch", "path", "requirements", "steps",
        "environments", "dependencies", "credentials", "schedule", "notify", "retention", "jobs",
        "repo_credentials", "variables", "watch",
    }  # fmt: skip
    assert set(schema["properties"]["steps"]["properties"]) == set(STEP_NAMES)
    defs = schema["$defs"]
    assert set(defs["step"]["properties"]) == {
        "sh",
        "script",
        "timeout",
        "credentials",
        "artifacts",
        "junit",
        "produces",
        "uses",
        "metrics",
        "alerts",
    }
    assert set(defs["handJob"]["properties"]) == {
        "groovy", "bash", "description", "parameters", "may_call", "entrypoint", "requirements",
        "checkout",
    }  # fmt: skip


def test_every_error_of_a_file_at_once_each_at_its_own_place() -> None:
    found = _diagnostics(
        "component: x\nrepo: 1\nbranch: [a]\nsteps: {build: {sh: a, timeout: -1}}\nfoo: 1\n"
    )
    assert [(line, col, code) for line, col, code, _ in found] == [
        (2, 7, "schema-type"),
        (3, 9, "schema-type"),
        (4, 33, "schema-minimum"),
        (5, 1, "unknown-key"),
    ]


def test_unknown_key_gets_did_you_mean() -> None:
    parsed = parse_yaml("component: x\ndependancies: [a]\n", "c.yaml")
    (diagnostic,) = validate_component(parsed.value, parsed.positions)
    assert diagnostic.message == "unknown field `dependancies` at the top level"
    assert diagnostic.hint == "did you mean `dependencies`?"


def test_secret_values_are_errors_that_never_echo_the_value() -> None:
    parsed = parse_yaml(
        "component: x\nenvironments:\n  qa: {variables: {GITHUB_TOKEN: ghp_abc123}}\n"
        "credentials:\n  - {id: a, type: string, env: [A], password: hunter2}\n",
        "c.yaml",
    )
    found = validate_component(parsed.value, parsed.positions)
    assert [d.code for d in found] == ["secret-in-file", "secret-in-file"]
    for d in found:
        assert "ghp_abc123" not in d.format() and "hunter2" not in d.format()
        assert "credential" in d.hint


def test_variable_names_that_sound_secret_are_fine_in_env_lists() -> None:
    # Variable *names* like PASSWORD in `env:` are how credentials bind: not secrets.
    ok = (
        "component: x\ncredentials:\n"
        "  - {id: db, type: usernamePassword, env: [DB_USER, DB_PASSWORD]}\n"
    )
    assert _diagnostics(ok) == []


def test_the_example_of_the_design_validates() -> None:
    text = """\
component: frontend
description: JavaScript UI
repo: https://github.com/somesite/core-system.git
branch: main
path: frontend/src
requirements: {node: 8.12.0, labels: [linux], docker: node:8}
steps:
  build: [npm install, npm run build]
  test: npm test
  stage: s3cmd cp build/* s3://somesite-public/release/${GIT_HASH}
  release: heroku config:set -a ${HEROKU_APP}
  integration_test: npm run test:integration
environments:
  qa:         {variables: {HEROKU_APP: somesite-qa}}
  production: {variables: {HEROKU_APP: somesite}, approval: release-managers}
dependencies: [platform-api, teams-api]
credentials:
  - {id: s3-deploy, type: usernamePassword, env: [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY]}
schedule: "H 6 1 * *"
notify: {on: [failure, fixed], email: [team@example.com], webhook_credential: opsgenie-hook}
retention: {days: 3, builds: 200}
jobs:
  process_model:
    groovy: model-processing/process_model.groovy
    parameters: {SOURCE_S3_FILE_PATH: {required: true}, TOOLS_COMMIT: {default: master}}
  inspect_manifold:
    bash: model-processing/inspect_manifold.bash
"""
    assert _diagnostics(text) == []
