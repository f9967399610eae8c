"""`watch:` and `schedule:` read from the component file, and their mistakes at their place."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.load.loader import load
from jobgen.load.model import Component

BASE = """\
component: report
repo: https://git.example.com/report.git
variables: {PAGE: drafts}
steps:
  build: ./build.sh
  release: ./upload.sh "$PAGE"
environments:
  qa: {variables: {PAGE: qa-page}}
"""


def _load(tmp_path: Path, extra: str) -> tuple[Component | None, list]:
    (tmp_path / "report.yaml").write_text(BASE + extra)
    loaded = load([tmp_path])
    components = loaded.repo.components if loaded.repo else ()
    return (components[0] if components else None), list(loaded.diagnostics)


@pytest.mark.parametrize(
    ("extra", "watch", "poll"),
    [
        ("", "poll", None),
        ("watch: poll\n", "poll", None),
        ('watch: {poll: "H/15 * * * *"}\n', "poll", "H/15 * * * *"),
        ("watch: webhook\n", "webhook", None),
        ("watch: false\n", "off", None),
    ],
)
def test_watch_forms(tmp_path: Path, extra: str, watch: str, poll: str | None) -> None:
    component, found = _load(tmp_path, extra)
    assert found == []
    assert component is not None and (component.watch, component.poll) == (watch, poll)


@pytest.mark.parametrize("extra", ["watch: sometimes\n", "watch: true\n", "watch: {every: 5}\n"])
def test_other_watch_values_are_refused(tmp_path: Path, extra: str) -> None:
    _, found = _load(tmp_path, extra)
    assert found and all(d.pos.line == 9 for d in found), [d.format() for d in found]


def test_a_poll_interval_is_a_cron_line(tmp_path: Path) -> None:
    _, found = _load(tmp_path, 'watch: {poll: "every 5 minutes"}\n')
    assert [(d.code, d.pos.line) for d in found] == [("schema-format", 9)]


def test_a_schedule_names_a_chain_and_its_parameters(tmp_path: Path) -> None:
    extra = 'schedule: {cron: "H 6 1 * *", run: qa-release, parameters: {PAGE: reports}}\n'
    component, found = _load(tmp_path, extra)
    assert found == []
    assert component is not None and component.schedule == "H 6 1 * *"
    assert component.schedule_run is not None and component.schedule_run.value == "qa-release"
    assert [(p.name, p.value) for p in component.schedule_parameters] == [("PAGE", "reports")]


def test_an_unknown_chain_is_an_error_naming_the_chains_there_are(tmp_path: Path) -> None:
    _, found = _load(tmp_path, 'schedule: {cron: "H 6 1 * *", run: build-test-stage}\n')
    assert [(d.code, d.pos.line, d.pos.col) for d in found] == [("unknown-chain", 9, 36)]
    assert found[0].hint == ("its chains: build-test, build-test-stage-release, qa-release")


def test_schedule_parameters_are_variables_with_plain_values(tmp_path: Path) -> None:
    extra = 'schedule: {cron: "H 6 1 * *", parameters: {NOPE: x, PAGE: "a;b"}}\n'
    _, found = _load(tmp_path, extra)
    assert [d.code for d in found] == ["unknown-parameter", "schema-pattern"]  # once each


def test_parameters_need_a_one_line_cron(tmp_path: Path) -> None:
    extra = 'schedule: {cron: "H 6 1 * *\\nH 7 1 * *", parameters: {PAGE: x}}\n'
    _, found = _load(tmp_path, extra)
    assert [d.code for d in found] == ["bad-schedule"]


@pytest.mark.parametrize("value", ['" padded"', '"padded "', '""', '"  "'])
def test_a_schedule_parameter_the_scheduler_would_trim_or_find_empty_is_refused(
    tmp_path: Path, value: str
) -> None:
    # parameterized-scheduler trims each value and refuses an empty one (docs/jenkins-facts.md,
    # walk16): the scheduled run would silently get another value than the file says.
    extra = f'schedule: {{cron: "H 6 1 * *", parameters: {{PAGE: {value}}}}}\n'
    _, found = _load(tmp_path, extra)
    assert [(d.code, d.pos.line, d.pos.col) for d in found] == [("schema-pattern", 9, 50)]
    assert "spaces at either end" in found[0].message


APPROVED = "  production: {approval: release-managers}\n"


def test_a_schedule_starting_a_chain_that_asks_for_approval_is_an_error_at_run(
    tmp_path: Path,
) -> None:
    # The walk of issue 16: every scheduled run of production-release stopped at its
    # `input` step and waited for a person, and nothing said so before the first month.
    # `input` has no time limit (docs/jenkins-facts.md, polish16: InputStepExecution.start).
    extra = APPROVED + 'schedule: {cron: "H 6 1 * *", run: production-release}\n'
    _, found = _load(tmp_path, extra)
    assert [(d.code, d.severity, d.pos.line, d.pos.col) for d in found] == [
        ("schedule-awaits-approval", "error", 10, 36)
    ]
    assert "release-managers" in found[0].message and "report.yaml:9" in found[0].message
    assert "awaits_approval: true" in found[0].hint
    assert "build-test-stage-release" in found[0].hint and "qa-release" in found[0].hint


def test_a_schedule_may_wait_for_approval_when_it_says_so(tmp_path: Path) -> None:
    extra = APPROVED + (
        'schedule: {cron: "H 6 1 * *", run: production-release, awaits_approval: true}\n'
    )
    component, found = _load(tmp_path, extra)
    assert found == []
    assert component is not None and component.schedule_run is not None


@pytest.mark.parametrize("run", ["build-test-stage-release", "qa-release", "build-test"])
def test_a_schedule_of_a_chain_nobody_approves_is_fine(tmp_path: Path, run: str) -> None:
    extra = APPROVED + f'schedule: {{cron: "H 6 1 * *", run: {run}}}\n'
    assert _load(tmp_path, extra)[1] == []


def test_awaiting_approval_where_nobody_is_asked_is_an_error_at_it(tmp_path: Path) -> None:
    # The opt-in must stay true: an approval removed later leaves a line that misleads.
    extra = APPROVED + 'schedule: {cron: "H 6 1 * *", run: qa-release, awaits_approval: true}\n'
    _, found = _load(tmp_path, extra)
    assert [(d.code, d.pos.line) for d in found] == [("bad-schedule", 10)]
    assert "qa-release" in found[0].message
