"""Matching recorded calls and showing mismatches."""

from jobgen.groovy.report import call_line, calls_diff, matches


def test_mappings_match_on_the_keys_written():
    actual = {"build": {"job": "x", "parameters": [{"string": {"name": "A", "value": "1"}}]}}
    assert matches({"build": {"job": "x"}}, actual)
    assert not matches({"build": {"job": "y"}}, actual)
    assert not matches({"build": {"job": "x", "wait": False}}, actual)


def test_lists_and_scalars_match_exactly():
    assert not matches([1], [1, 2])
    assert not matches("1", 1)
    assert not matches(True, 1)
    assert matches(1, 1.0)


def test_a_call_is_one_line_of_yaml():
    assert call_line({"stage": ["it's", "{...}"]}) == "stage: [it's, '{...}']"
    assert call_line({"echo": "a\nb"}) == 'echo: "a\\nb"'


def test_the_diff_shows_only_what_differs():
    expected = [{"build": {"job": "a"}}, {"build": {"job": "b"}}]
    actual = [{"build": {"job": "a", "parameters": []}}, {"build": {"job": "c", "parameters": []}}]
    diff = calls_diff(expected, actual)
    assert "     build: {job: a}" in diff
    assert "-build: {job: b}" in diff and "+build: {job: c}" in diff
