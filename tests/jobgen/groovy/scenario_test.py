"""Scenario files: ids, list files, and every shape problem with its position."""

from pathlib import Path

from jobgen.groovy.scenario import load_file, load_scenarios


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    tests = tmp_path / "components" / "comp" / "tests"
    tests.mkdir(parents=True, exist_ok=True)
    (tests / name).write_text(text)
    return tests / name


def test_a_single_scenario_is_named_after_its_file(tmp_path):
    _write(tmp_path, "job: deploy\nparams: {A: '${x}'}\nexpected: {result: FAILURE}\n")
    (scenario,), problems = load_scenarios(tmp_path / "components")
    assert problems == []
    assert (scenario.id, scenario.job, scenario.params) == ("comp/s", "deploy", {"A": "${x}"})
    assert scenario.expected.result == "FAILURE" and not scenario.expected.checks_report
    assert scenario.golden.name == "s.calls.yaml"


def test_golden_files_are_not_scenarios(tmp_path):
    _write(tmp_path, "job: deploy\n")
    _write(tmp_path, "- build: x\n", "s.calls.yaml")
    scenarios, problems = load_scenarios(tmp_path / "components")
    assert [s.id for s in scenarios] == ["comp/s"] and problems == []


def test_a_list_file_needs_unique_names(tmp_path):
    path = _write(tmp_path, "- {name: a, job: j}\n- {name: b, job: j}\n")
    scenarios, _ = load_file(tmp_path, path, "comp")
    assert [s.id for s in scenarios] == ["comp/s/a", "comp/s/b"]
    path.write_text("- {name: a, job: j}\n- {job: j}\n- {name: a, job: j}\n")
    scenarios, problems = load_file(tmp_path, path, "comp")
    assert scenarios == []
    messages = [d.format() for d in problems]
    assert any(":2:3: error: a scenario in a list needs a `name:`" in m for m in messages)
    assert any("two scenarios named 'a'" in m for m in messages)


def test_every_problem_is_reported_with_its_position(tmp_path):
    path = _write(
        tmp_path,
        "job: j\nanswers:\n  echo: {}\n  build: {x: FAILED}\nexpected:\n  result: GREEN\n"
        "  calls: {build: x}\n",
    )
    _, problems = load_file(tmp_path, path, "comp")
    found = sorted((d.pos.line, d.pos.col, d.message) for d in problems)
    assert found == [
        (3, 3, "`echo` is mocked by jobgen and takes no answer"),
        (4, 14, "build of 'x': 'FAILED' is not a build result"),
        (6, 11, "'GREEN' is not a build result"),
        (7, 10, "expected.calls must be a list of calls"),
    ]
    assert "answers are read for build, sh" in problems[0].format()


def test_bad_yaml_points_at_the_line(tmp_path):
    path = _write(tmp_path, "job: j\nparams: [unclosed\n")
    _, (problem,) = load_file(tmp_path, path, "comp")
    assert problem.code == "scenario-yaml" and problem.pos.line == 3


def test_any_step_may_be_answered_and_expected_calls_say_where_and_how_often(tmp_path):
    path = _write(
        tmp_path,
        "job: j\nanswers:\n  slackSend: {ts: 1}\n  sh: {'re:^make .*': ok, 'git *': abc}\n"
        "expected:\n  calls_include:\n    - build: {job: x}\n      within: {stage: price}\n"
        "      times: 2\n",
    )
    scenarios, problems = load_file(tmp_path, path, "comp")
    assert problems == []
    assert scenarios[0].answers["slackSend"] == {"ts": 1}
    assert scenarios[0].expected.calls_include == (
        {"build": {"job": "x"}, "within": {"stage": "price"}, "times": 2},
    )


def test_bad_patterns_and_modifiers_are_reported_with_positions(tmp_path):
    path = _write(
        tmp_path,
        "job: j\nanswers:\n  sh: {'re:(': x}\nexpected:\n  calls_exclude:\n"
        "    - build: {job: x}\n      times: 2\n  calls_include:\n    - build: {job: x}\n"
        "      within: price\n      times: two\n",
    )
    _, problems = load_file(tmp_path, path, "comp")
    found = sorted((d.pos.line, d.message.split(":")[0]) for d in problems)
    assert found == [
        (3, "answers.sh"),
        (6, "a call is a mapping of one step name to its arguments, plus within"),
        (10, "expected.calls_include"),
        (11, "expected.calls_include"),
    ]
