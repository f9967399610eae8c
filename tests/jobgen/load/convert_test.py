"""Converting parsed documents into the model: normal forms and defaults."""

from __future__ import annotations

from pathlib import Path

from jobgen.load.convert import Converter
from jobgen.load.model import Component
from jobgen.load.yaml_nodes import parse_yaml


def _convert(text: str, root: Path = Path("/nonexistent")) -> Component:
    parsed = parse_yaml(text, "components/c.yaml")
    component = Converter(parsed.positions, root, Path("components/c.yaml"), []).component(
        parsed.value
    )
    assert component is not None
    return component


def test_step_forms_normalise_to_one_command() -> None:
    c = _convert(
        "component: c\nsteps:\n  build: [a, b]\n  test: {sh: [c, d], timeout: 3}\n  stage: e\n"
    )
    assert [(s.name, s.command, s.timeout_minutes) for s in c.steps] == [
        ("build", "a\nb", None),
        ("test", "c\nd", 3),
        ("stage", "e", None),
    ]


def test_steps_come_in_pipeline_order_whatever_the_file_order() -> None:
    c = _convert("component: c\nsteps:\n  release: r\n  build: b\n  test: t\n")
    assert [s.name for s in c.steps] == ["build", "test", "release"]


def test_a_script_step_carries_the_file_text_and_path(tmp_path: Path) -> None:
    (tmp_path / "components" / "c").mkdir(parents=True)
    (tmp_path / "components" / "c" / "build.sh").write_text("make 'all'\n")
    c = _convert("component: c\nsteps:\n  build: {script: c/build.sh}\n", tmp_path)
    (step,) = c.steps
    assert step.script_file == Path("components/c/build.sh")
    assert step.command == "make 'all'\n"
    assert step.script_pos is not None and (step.script_pos.line, step.script_pos.col) == (3, 19)


def test_defaults_and_single_label() -> None:
    c = _convert(
        "component: c\nrequirements: {labels: linux, ruby: 2.6}\nnotify: {email: [a@b.c]}\n"
        "jobs:\n  j: {bash: j.sh}\n"
    )
    assert c.branch == "main"
    assert c.requirements.labels == ("linux",) and c.requirements.ruby == "2.6"
    assert c.notify is not None and c.notify.on == ("failure",)
    assert c.retention is None and c.schedule is None
    (job,) = c.jobs
    assert job.requirements is None and job.bash == Path("components/j.sh")


def test_values_of_the_wrong_shape_are_skipped_not_fatal() -> None:
    c = _convert(
        "component: c\nrepo: 5\nrequirements: x\nsteps: {build: 5, test: {timeout: true}}\n"
        "environments: {qa: 3}\ndependencies: [1, ok]\ncredentials: [x, {id: a, type: nope}]\n"
        "notify: {on: [never]}\nretention: {days: x}\njobs: {j: 4}\n"
    )
    assert c.repo == "" and c.requirements.labels == ()
    assert [s.name for s in c.steps] == ["test"] and c.steps[0].timeout_minutes is None
    assert [d.value for d in c.dependencies] == ["ok"]
    assert c.credentials == ()
    assert c.retention is not None and c.retention.days is None
    assert [(e.name, e.variables) for e in c.environments] == [("qa", ())]
    assert [j.name for j in c.jobs] == ["j"]
