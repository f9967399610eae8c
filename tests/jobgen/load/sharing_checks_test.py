"""`uses:` must name an earlier step of the component that `produces:` files."""

from __future__ import annotations

from pathlib import Path

from jobgen.load.loader import load

SHARED = """\
component: report
repo: https://git.example.com/report.git
steps:
  build: {sh: ./build.sh, produces: [out/report.html]}
  test: {sh: ./check.sh, uses: [build]}
  stage: {sh: ./stage.sh, uses: [release]}
  release: {sh: ./upload.sh, uses: [test, integration_test]}
"""


def test_uses_naming_a_later_absent_or_empty_step_is_an_error_at_its_place(
    tmp_path: Path,
) -> None:
    (tmp_path / "report.yaml").write_text(SHARED)
    found = [d for d in load([tmp_path]).diagnostics if d.code == "bad-uses"]
    assert [(d.pos.line, d.pos.col, d.message) for d in found] == [
        (6, 34, "step `stage` uses step `release`, which runs after it"),
        (7, 37, "step `release` uses step `test`, which produces no files"),
        (7, 43, "step `release` uses step `integration_test`, which the component does not have"),
    ]
    assert "produces:" in found[1].hint


def test_a_step_using_an_earlier_producer_is_fine(tmp_path: Path) -> None:
    text = SHARED.replace("uses: [release]", "uses: [build]").replace(
        "uses: [test, integration_test]", "uses: [build]"
    )
    (tmp_path / "report.yaml").write_text(text)
    assert load([tmp_path]).diagnostics == ()
