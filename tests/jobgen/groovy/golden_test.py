"""Golden call files round-trip exactly, whatever the strings hold."""

from pathlib import Path

from jobgen.diagnostics import SourcePos
from jobgen.groovy.golden import read_golden, write_golden
from jobgen.groovy.scenario import Scenario

HOSTILE = 'it\'s "q" ${x} \\ \n ☃ #not-a-comment: [x]'
CALLS = [
    {"stage": ["build", "{...}"]},
    {"build": {"job": "w", "parameters": [{"string": {"name": "A", "value": HOSTILE}}]}},
    {"echo": HOSTILE},
]


def _scenario(tmp_path: Path, name: str = "s", in_list: bool = False) -> Scenario:
    pos = SourcePos("s.yaml")
    return Scenario(f"c/{name}", name, "c", tmp_path / "s.yaml", pos, "j", pos, in_list=in_list)


def test_a_single_scenario_round_trips(tmp_path):
    scenario = _scenario(tmp_path)
    assert read_golden(scenario) is None
    assert write_golden(scenario, CALLS) is True
    assert read_golden(scenario) == CALLS
    assert len((tmp_path / "s.calls.yaml").read_text().splitlines()) == 1 + len(CALLS)
    assert write_golden(scenario, CALLS) is False  # same content: untouched


def test_list_files_keep_one_entry_per_scenario(tmp_path):
    first, second = _scenario(tmp_path, "one", True), _scenario(tmp_path, "two", True)
    write_golden(first, CALLS)
    write_golden(second, [])
    assert read_golden(first) == CALLS and read_golden(second) == []
    assert (tmp_path / "s.calls.yaml").read_text().count("\none:\n") == 1


TREE = [
    {
        "stage": ["checks", "{...}"],
        "calls": [
            {
                "parallel": {"lint": "{...}"},
                "calls": [{"branch": "lint", "calls": [{"build": {"job": "lint"}}]}],
            }
        ],
    },
    {"echo": HOSTILE},
]


def test_golden_files_show_the_call_tree_one_call_a_line(tmp_path):
    scenario = _scenario(tmp_path)
    write_golden(scenario, TREE)
    assert read_golden(scenario) == TREE
    lines = (tmp_path / "s.calls.yaml").read_text().splitlines()[1:]
    assert lines[:7] == [
        "- stage: [checks, '{...}']",
        "  calls:",
        "  - parallel: {lint: '{...}'}",
        "    calls:",
        "    - branch: lint",
        "      calls:",
        "      - build: {job: lint}",
    ]
