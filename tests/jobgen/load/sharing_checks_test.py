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


def test_an_unknown_used_step_is_one_error_at_its_place_with_the_close_name(
    tmp_path: Path,
) -> None:
    # The walk of issue 16 found `uses: [buidl]` reported twice at one place: once by
    # the schema's list of step names, once by this check; a user wants one message.
    text = SHARED.replace("uses: [build]", "uses: [buidl]").replace(
        "uses: [test, integration_test]", "uses: [nosuchstep]"
    )
    (tmp_path / "report.yaml").write_text(text)
    found = [d for d in load([tmp_path]).diagnostics if d.pos.line in (5, 7)]
    assert [(d.pos.line, d.pos.col, d.code) for d in found] == [
        (5, 33, "bad-uses"),
        (7, 37, "bad-uses"),
    ]
    assert found[0].message == "step `test` uses step `buidl`, which the component does not have"
    assert found[0].hint == "did you mean `build`?"
    # Nothing close: the hint names what `release` could copy in.
    assert found[1].hint == "name an earlier step that produces files: build"


def test_uses_written_as_one_name_is_one_error_showing_the_list(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text(SHARED.replace("uses: [build]", "uses: build"))
    found = [d for d in load([tmp_path]).diagnostics if d.pos.line == 5]
    assert [(d.pos.col, d.code) for d in found] == [(32, "schema-type")]
    assert "`uses: [build]`" in found[0].hint
