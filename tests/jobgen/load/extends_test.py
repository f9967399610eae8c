"""Templates: `extends:` chains, cycles, `with:` parameters, and where their errors point."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.commands.validate import format_text
from jobgen.load.loader import load
from jobgen.load.model import LoadResult
from tests.hostile import HOSTILE


def _repo(root: Path, files: dict[str, str]) -> Path:
    (root / "jobgen.yaml").write_text("jobgen: 0.1.0\n", "utf-8")
    for name, text in files.items():
        path = root / "components" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root / "components"


def _load(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[LoadResult, str]:
    monkeypatch.chdir(root)
    result = load([Path("components")])
    return result, format_text(result.diagnostics, len(result.files))


SERVICE = """\
extends: base
with: {ruby: "2.6"}
steps:
  build: bundle install
  test: bundle exec rspec --port {{ port }}
"""
BASE = """\
requirements:
  ruby: "{{ ruby }}"
  labels: [linux]
retention: {days: 30, builds: 50}
"""


def test_a_chain_of_templates_with_parameters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        {
            "_templates/service.yaml": SERVICE,
            "_templates/base.yaml": BASE,
            "api.yaml": "component: api\nextends: service\nwith: {port: 8080}\n"
            "retention: {days: 7}\n",
        },
    )
    result, text = _load(tmp_path, monkeypatch)
    assert result.diagnostics == (), text
    (api,) = result.repo.components  # files under _templates/ are not components
    assert api.requirements.ruby == "2.6"
    assert api.requirements.labels == ("linux",)
    assert api.step("test").command == "bundle exec rspec --port 8080"  # type: ignore[union-attr]
    assert api.retention is not None and (api.retention.days, api.retention.builds) == (7, 50)
    # The step came from the template: its position is there, where it can be edited.
    assert api.step("build").pos.path == "components/_templates/service.yaml"  # type: ignore[union-attr]
    assert api.sources[:2] == (
        "components/_templates/base.yaml",
        "components/_templates/service.yaml",
    )


def test_a_value_that_is_a_whole_parameter_keeps_its_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        {
            "_templates/kept.yaml": "retention: {days: '{{ days }}'}\n",
            "a.yaml": "component: a\nextends: kept\nwith: {days: 14}\n",
        },
    )
    result, text = _load(tmp_path, monkeypatch)
    assert result.diagnostics == (), text
    assert result.repo.components[0].retention.days == 14  # type: ignore[union-attr]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_parameter_never_changes_the_document_structure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    # Substituted into parsed values, never into text: newlines, quotes, `: ` and `{`
    # stay inside the one string they were substituted into.
    _repo(
        tmp_path,
        {
            "_templates/t.yaml": "description: 'app {{ app }}'\nsteps: {build: make}\n",
            "a.yaml": "component: a\nextends: t\nwith:\n  app: " + _quoted(value) + "\n",
        },
    )
    result, text = _load(tmp_path, monkeypatch)
    assert not [d for d in result.diagnostics if d.code.startswith("template")], text
    (a,) = result.repo.components
    assert a.description == f"app {value}"
    assert [s.name for s in a.steps] == ["build"]


def _quoted(value: str) -> str:
    import json

    return json.dumps(value)


def test_a_cycle_is_an_error_at_the_extends_that_closes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        {
            "_templates/a.yaml": "extends: b\n",
            "_templates/b.yaml": "extends: a\n",
            "x.yaml": "component: x\nextends: a\n",
        },
    )
    _, text = _load(tmp_path, monkeypatch)
    cycle = "templates extend each other in a cycle: a -> b -> a"
    assert f"components/_templates/b.yaml:1:10: error: {cycle}" in text
    assert "used by components/x.yaml:2" in text


def test_an_unknown_template_suggests_the_closest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        {
            "_templates/service.yaml": "steps: {build: make}\n",
            "x.yaml": "component: x\nextends: servce\n",
        },
    )
    _, text = _load(tmp_path, monkeypatch)
    assert (
        "components/x.yaml:2:10: error: no template `servce` (components/_templates/servce.yaml)"
        in text
    )
    assert "hint: did you mean `service`?" in text


def test_an_inherited_bad_value_is_reported_in_the_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        {
            "_templates/base.yaml": "retention: {days: nope}\n",
            "_templates/service.yaml": "extends: base\nsteps: {build: make}\n",
            "a.yaml": "component: a\n\nextends: service\n",
            "b.yaml": "component: b\nextends: service\n",
        },
    )
    _, text = _load(tmp_path, monkeypatch)
    # Reported once, at the template's FILE:LINE:COL, naming every component that uses it.
    assert text.count("retention.days") == 1, text
    assert text.startswith(
        "components/_templates/base.yaml:1:19: error: retention.days: "
        "expected a whole number of days, got a string [schema-type]\n"
        " 1 | retention: {days: nope}\n"
    )
    assert "    used by components/a.yaml:3, components/b.yaml:2\n" in text


def test_missing_and_unused_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo(
        tmp_path,
        {
            "_templates/t.yaml": "steps:\n  build: make PORT={{ port }}\n",
            "a.yaml": "component: a\nextends: t\nwith: {prot: 1}\n",
        },
    )
    _, text = _load(tmp_path, monkeypatch)
    assert (
        "components/_templates/t.yaml:2:10: error: the template's parameter `port` has no value"
        in text
    )
    assert "components/a.yaml:3:8: error: no template uses `prot`" in text


def test_a_template_names_no_component(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo(tmp_path, {"_templates/t.yaml": "component: t\n", "a.yaml": "component: a\nextends: t\n"})
    _, text = _load(tmp_path, monkeypatch)
    assert "components/_templates/t.yaml:1:1: error: a template does not name a component" in text


def test_naming_a_template_checks_the_components_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pre-commit hook passes the changed files: a changed template means its users.
    _repo(
        tmp_path,
        {"_templates/t.yaml": "retention: {days: x}\n", "a.yaml": "component: a\nextends: t\n"},
    )
    monkeypatch.chdir(tmp_path)
    result = load([Path("components/_templates/t.yaml")])
    assert [c.name for c in result.repo.components] == ["a"]
    assert any(d.pos and d.pos.path.endswith("t.yaml") for d in result.diagnostics)


def test_a_secret_given_as_a_parameter_is_an_error_and_never_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        {
            "_templates/t.yaml": "description: 'uses {{ api_token }}'\n",
            "a.yaml": "component: a\nextends: t\nwith: {api_token: hunter2hunter2}\n",
        },
    )
    _, text = _load(tmp_path, monkeypatch)
    assert "components/a.yaml:3:19: error: `api_token` looks like a secret value" in text
    assert "hunter2" not in text
