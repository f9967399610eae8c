"""`defaults:` in jobgen.yaml: every component starts from them, and errors point there."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.commands.validate import format_text
from jobgen.load.defaults import DEFAULTS_INPUT
from jobgen.load.loader import load

SETTINGS = """\
jobgen: 0.1.0
defaults:
  requirements: {labels: [linux], docker: "ruby:2.6"}
  notify: {on: [failure], email: [team@example.com]}
  retention: {days: 30}
"""


def _repo(root: Path, settings: str, files: dict[str, str]) -> None:
    (root / "jobgen.yaml").write_text(settings, "utf-8")
    (root / "components").mkdir()
    for name, text in files.items():
        (root / "components" / name).write_text(text, "utf-8")


def test_components_take_the_defaults_and_override_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        SETTINGS,
        {
            "a.yaml": "component: a\nsteps: {build: make}\n",
            "b.yaml": "component: b\nsteps: {build: make}\nrequirements: {docker: null}\n"
            "notify: ~\nretention: {builds: 5}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = load([Path("components")])
    assert result.diagnostics == ()
    a, b = result.repo.components
    assert (a.requirements.labels, a.requirements.docker) == (("linux",), "ruby:2.6")
    assert a.notify is not None and a.notify.email == ("team@example.com",)
    assert a.notify.pos.path == "jobgen.yaml"
    assert (b.requirements.labels, b.requirements.docker) == (("linux",), None)
    assert b.notify is None
    assert b.retention is not None and (b.retention.days, b.retention.builds) == (30, 5)
    assert DEFAULTS_INPUT in a.sources


def test_a_bad_default_is_reported_once_in_jobgen_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = "jobgen: 0.1.0\ndefaults:\n  retention: {days: -1}\n  component: x\n"
    files = {f"c{i}.yaml": f"component: c{i}\nsteps: {{build: make}}\n" for i in range(5)}
    _repo(tmp_path, settings, files)
    monkeypatch.chdir(tmp_path)
    result = load([Path("components")])
    text = format_text(result.diagnostics, len(result.files))
    assert text.count("retention.days") == 1, text
    assert "jobgen.yaml:3:21: error: retention.days" in text
    assert (
        "used by components/c0.yaml:1, components/c1.yaml:1, components/c2.yaml:1 and 2 more"
        in text
    )
    assert "jobgen.yaml:4:3: error: defaults: `component` cannot have a default" in text


def test_a_folder_defaults_file_lies_between_jobgen_yaml_and_the_component(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        SETTINGS,
        {
            "_defaults.yaml": "requirements: {labels: [mac]}\nretention: {builds: 9}\n",
            "a.yaml": "component: a\nsteps: {build: make}\nretention: {days: 1}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = load([Path("components")])
    assert result.diagnostics == ()
    (a,) = result.repo.components  # _defaults.yaml is not a component
    assert a.requirements.labels == ("mac",)  # the folder's list replaces jobgen.yaml's
    assert a.requirements.docker == "ruby:2.6"  # jobgen.yaml's, merged under it
    assert a.retention is not None and (a.retention.days, a.retention.builds) == (1, 9)
    assert "components/_defaults.yaml" in a.sources


def test_a_bad_folder_default_is_reported_in_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(
        tmp_path,
        "jobgen: 0.1.0\n",
        {
            "_defaults.yaml": "extends: x\nretention: {days: 0}\n",
            "a.yaml": "component: a\nsteps: {build: make}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    # Naming _defaults.yaml (as the pre-commit hook does) checks its folder's components.
    result = load([Path("components/_defaults.yaml")])
    text = format_text(result.diagnostics, len(result.files))
    assert "components/_defaults.yaml:1:1: error: defaults: `extends` cannot have a default" in text
    assert "components/_defaults.yaml:2:19: error: retention.days" in text
    assert "used by components/a.yaml:1" in text
