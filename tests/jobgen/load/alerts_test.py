"""Threshold alerts: `when:` parsed once at load time; a bad one is an error at its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.load.alerts import parse_threshold
from jobgen.load.loader import load

REPORT = """\
component: report
repo: https://git.example.com/report.git
steps:
  build:
    sh: ./report.sh
    metrics: out/metrics.json
    alerts:
      - {when: "renewal_rate < 0.70", webhook_credential: opsgenie-hook, message: Renewals dropped}
      - {when: "errors >= 3", webhook_credential: pager-hook}
"""


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("renewal_rate < 0.70", ("renewal_rate", "<", "0.70")),
        ("  errors>=3 ", ("errors", ">=", "3")),
        ("drop != -1.5", ("drop", "!=", "-1.5")),
        ("rate <= .5", ("rate", "<=", "0.5")),  # Groovy reads `.5` as a property: written out
        ("rate > 5.", ("rate", ">", "5.0")),
        ("count == 0", ("count", "==", "0")),
        # Groovy reads `010` as octal 8 and `08` does not compile: leading zeros go (walk16).
        ("rate < 010", ("rate", "<", "10")),
        ("rate < 08", ("rate", "<", "8")),
        ("rate < -007.50", ("rate", "<", "-7.50")),
        ("rate < 00.5", ("rate", "<", "0.5")),
        ("rate < 000", ("rate", "<", "0")),
    ],
)
def test_a_threshold_becomes_metric_operator_and_number(text: str, parsed: tuple) -> None:
    assert parse_threshold(text) == parsed


@pytest.mark.parametrize(
    "text",
    [
        "renewal_rate < 0.70; System.exit(0)",  # nothing after the number
        "rate < threshold",  # a number, never a name or an expression
        "rate < 1e3",
        "rate =< 1",
        "${rate} < 1",
        "rate < 0.7 or 1",
        "a.b < 1",  # a top-level key of the metrics file
        "rate",
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    assert parse_threshold(text) is None


def test_alerts_load_with_their_message_or_the_threshold_as_message(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text(REPORT)
    loaded = load([tmp_path])
    assert not loaded.diagnostics
    step = loaded.repo.components[0].steps[0]
    assert step.metrics == "out/metrics.json"
    first, second = step.alerts
    assert (first.metric, first.op, first.threshold, first.webhook_credential, first.message) == (
        "renewal_rate",
        "<",
        "0.70",
        "opsgenie-hook",
        "Renewals dropped",
    )
    assert second.message == "errors >= 3"


def test_a_bad_threshold_is_reported_at_its_place_with_a_hint(tmp_path: Path) -> None:
    text = REPORT.replace('"errors >= 3"', '"errors >= max(3, 4)"')
    (tmp_path / "report.yaml").write_text(text)
    found = [d for d in load([tmp_path]).diagnostics if d.code == "bad-threshold"]
    assert [(d.pos.line, d.pos.col) for d in found] == [(9, 16)]
    assert "`errors >= max(3, 4)` is not a threshold" in found[0].message
    assert "METRIC OP NUMBER" in found[0].hint


def test_alerts_without_metrics_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text(REPORT.replace("    metrics: out/metrics.json\n", ""))
    messages = [d.message for d in load([tmp_path]).diagnostics]
    assert any("alerts: needs metrics:" in m for m in messages), messages
