"""The team's Groovy library is read from groovy_lib/; a function defined twice is an error."""

from __future__ import annotations

from pathlib import Path

from jobgen.diagnostics import Diagnostic, SourcePos
from jobgen.load.team_library import read_team_library


def _library(root: Path, files: dict[str, str]) -> None:
    (root / "groovy_lib").mkdir()
    for name, text in files.items():
        (root / "groovy_lib" / name).write_text(text, "utf-8")


def test_files_and_their_top_level_functions(tmp_path: Path) -> None:
    _library(
        tmp_path,
        {
            "b.groovy": "String teamPrefix() {\n  'x'\n}\n",
            "a.groovy": "// helpers\ndef notifyTeam(String m) {\n    def inner(x) { x }\n}\n",
        },
    )
    found = read_team_library(tmp_path, [])
    assert [(f.path, f.functions) for f in found] == [
        ("groovy_lib/a.groovy", ("notifyTeam",)),
        ("groovy_lib/b.groovy", ("teamPrefix",)),
    ]


def test_a_name_defined_twice_or_by_jobgen_is_an_error_at_its_definition(tmp_path: Path) -> None:
    _library(
        tmp_path,
        {
            "a.groovy": "def notifyTeam() {\n}\n",
            "b.groovy": "\n\ndef notifyTeam() {\n}\ndef withPromise(String p, Closure c) {\n}\n",
        },
    )
    problems: list[Diagnostic] = []
    read_team_library(tmp_path, problems)
    assert [(d.pos, d.message) for d in problems] == [
        (
            SourcePos("groovy_lib/b.groovy", 3, 5),
            "function `notifyTeam` is already defined in groovy_lib/a.groovy",
        ),
        (
            SourcePos("groovy_lib/b.groovy", 5, 5),
            "function `withPromise` is already defined in jobgen's own library",
        ),
    ]


def test_no_folder_no_library(tmp_path: Path) -> None:
    assert read_team_library(tmp_path, []) == ()
