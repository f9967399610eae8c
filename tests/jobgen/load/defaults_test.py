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
