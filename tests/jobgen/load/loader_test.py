"""The loader, end to end: golden fixtures, the model it returns, hostile strings.

Golden cases are found by glob: `fixtures/NAME.yaml` (one component file) and
`fixtures/repos/NAME/` (a folder of them), each next to `NAME.error` holding the
exact text `jobgen validate` prints for the load phase (for a single file, as if
it were alone in its folder). Regenerate them with
`JOBGEN_REGEN_GOLDEN=1 .venv/bin/pytest tests/jobgen/load` and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from jobgen.commands.validate import format_text
from jobgen.load.loader import find_root, load

FIXTURES = Path(__file__).parent / "fixtures"
REGEN = os.environ.get("JOBGEN_REGEN_GOLDEN") == "1"
CASES = sorted(
    [p.relative_to(FIXTURES) for p in FIXTURES.glob("*.yaml") if p.name != "jobgen.yaml"]
    + [p.relative_to(FIXTURES) for p in (FIXTURES / "repos").iterdir() if p.is_dir()],
    key=str,
)


def _expected_path(case: Path) -> Path:
    return FIXTURES / case.parent / f"{case.stem if case.suffix else case.name}.error"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_golden(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)  # paths in the output are as the user typed them
    result = load([case], siblings=False)  # the other fixtures are not its repository
    actual = format_text(result.diagnostics, len(result.files))
    expected = _expected_path(case)
    if REGEN:
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8")


def test_every_golden_output_has_its_input() -> None:
    stale = [
        e.name
        for e in [*FIXTURES.glob("*.error"), *FIXTURES.glob("repos/*.error")]
        if not (e.with_suffix(".yaml").exists() or e.with_suffix("").is_dir())
    ]
    assert stale == []


def test_valid_example_loads_into_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    result = load([Path("valid.yaml")], siblings=False)
    assert result.diagnostics == ()
    assert result.repo.root == FIXTURES.resolve()
    assert result.repo.jobgen_version == "0.1.0"
    (component,) = result.repo.components
    assert component.file == Path("valid.yaml")
    assert (component.pos.line, component.pos.col) == (2, 12)
    assert component.requirements.python == "3.10"  # not the float 3.1
    assert component.requirements.labels == ("linux",)
    build, test, stage, release, integration = component.steps
    assert (test.command, release.command.split()[0]) == ("npm test", "heroku")
    assert build.command == "npm install\nnpm run build"
    assert (build.pos.line, build.pos.col) == (13, 3)
    assert stage.script_file == Path("scripts/stage.bash")
    assert stage.command.startswith("s3cmd cp build/*")  # the script's text
    assert stage.timeout_minutes == 30
    assert [c.value for c in stage.credentials] == ["s3-deploy"]
    assert stage.artifacts == ("build/*.tgz",)
    assert integration.command == "npm ci\nnpm run test:integration"
    qa, production = component.environments
    assert qa.approval is None
    assert [(v.name, v.value) for v in production.variables] == [("HEROKU_APP", "somesite")]
    assert production.approval == "release-managers"
    assert component.notify is not None and component.notify.on == ("failure", "fixed")
    assert component.retention is not None and component.retention.days == 3
    process, inspect = component.jobs
    assert process.groovy == Path("scripts/process_model.groovy")
    assert process.entrypoint and [n.value for n in process.may_call] == ["inspect_manifold"]
    assert [(p.name, p.required, p.default) for p in process.parameters] == [
        ("SOURCE_S3_FILE_PATH", True, None),
        ("REPORT_RETURN_URL", True, None),
        ("TOOLS_COMMIT", False, "master"),
    ]
    assert inspect.bash == Path("scripts/inspect_manifold.bash")
    assert inspect.requirements is not None and inspect.requirements.python == "3.7.4"


HOSTILE = "q'uo\"te ${HOME} $(id) `id` back\\slash\nnew line ]]> </script> é中𝄞 \u2028 %s {{x}}"


def test_hostile_strings_load_as_literal_values_in_free_text(tmp_path: Path) -> None:
    doc = {
        "component": "hostile",
        "description": HOSTILE,
        "steps": {
            "build": HOSTILE + " ${APP}",
            "test": [HOSTILE, HOSTILE],
            "stage": {"sh": HOSTILE},
        },
        "environments": {"qa": {"variables": {"APP": HOSTILE}}},
        "jobs": {
            "hand": {
                "bash": "hand.bash",
                "description": HOSTILE,
                "parameters": {"P": {"default": HOSTILE, "description": HOSTILE}},
            }
        },
    }
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    (tmp_path / "hand.bash").write_text("true\n")
    (tmp_path / "hostile.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    result = load([tmp_path / "hostile.yaml"])
    assert result.diagnostics == ()
    (c,) = result.repo.components
    assert c.description == HOSTILE
    build, test, stage = c.steps
    assert build.command == HOSTILE + " ${APP}"
    assert test.command == HOSTILE + "\n" + HOSTILE
    assert stage.command == HOSTILE
    (qa,) = c.environments
    assert qa.variables[0].value == HOSTILE
    (hand,) = c.jobs
    assert hand.description == HOSTILE
    assert (hand.parameters[0].default, hand.parameters[0].description) == (HOSTILE, HOSTILE)


def test_hostile_strings_in_named_fields_are_errors_at_each_field(tmp_path: Path) -> None:
    doc = {
        "component": "hostile",
        "repo": HOSTILE,
        "branch": HOSTILE,
        "path": HOSTILE,
        "requirements": {"node": HOSTILE, "labels": [HOSTILE], "docker": HOSTILE},
        "steps": {"stage": {"sh": "make", "artifacts": [HOSTILE]}},
        "environments": {"qa": {"approval": HOSTILE}},
    }
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)
    (tmp_path / "hostile.yaml").write_text(text, "utf-8")
    result = load([tmp_path / "hostile.yaml"])
    lines = {d.pos.line for d in result.diagnostics if d.pos and d.code == "schema-format"}
    expected = {i + 1 for i, line in enumerate(text.splitlines()) if "q'uo" in line}
    assert lines == expected and len(expected) == 8


def test_a_folder_means_its_top_level_component_files_only(tmp_path: Path) -> None:
    components = tmp_path / "components"
    (components / "api" / "tests").mkdir(parents=True)
    (components / "api.yaml").write_text("component: api\n")
    (components / "web.yml").write_text("component: web\n")
    (components / "api" / "tests" / "scenario.yaml").write_text("not: [a component\n")
    (components / "README.md").write_text("# notes\n")
    result = load([components])
    assert [c.name for c in result.repo.components] == ["api", "web"]
    assert result.diagnostics == ()


def test_root_is_found_upward_from_jobgen_yaml_then_git(tmp_path: Path) -> None:
    nested = tmp_path / "repo" / "ci" / "components"
    nested.mkdir(parents=True)
    assert find_root(nested) == nested.parent  # neither marker: the folder's parent
    (tmp_path / "repo" / ".git").mkdir()
    assert find_root(nested) == tmp_path / "repo"
    (tmp_path / "repo" / "ci" / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    assert find_root(nested) == tmp_path / "repo" / "ci"


def test_files_are_named_relative_to_the_component_file_and_stored_from_the_root(
    tmp_path: Path,
) -> None:
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    folder = tmp_path / "components" / "model-processing"
    folder.mkdir(parents=True)
    (folder / "process_model.groovy").write_text("echo 'hi'\n")
    (tmp_path / "components" / "model-processing.yaml").write_text(
        "component: model-processing\n"
        "jobs:\n  process_model: {groovy: model-processing/process_model.groovy}\n"
    )
    result = load([tmp_path / "components"])
    assert result.diagnostics == ()
    (job,) = result.repo.components[0].jobs
    assert job.groovy == Path("components/model-processing/process_model.groovy")
    assert result.repo.components[0].file == Path("components/model-processing.yaml")


def test_jobgen_yaml_without_a_pin_is_reported(tmp_path: Path) -> None:
    (tmp_path / "jobgen.yaml").write_text("targets: {}\n")
    (tmp_path / "a.yaml").write_text("component: a\n")
    result = load([tmp_path / "a.yaml"])
    assert [d.code for d in result.diagnostics] == ["pin-missing"]
    assert result.repo.jobgen_version is None


def test_a_pin_to_another_jobgen_version_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "jobgen.yaml").write_text("jobgen: 9.9.9\n")
    (tmp_path / "a.yaml").write_text("component: a\n")
    result = load([tmp_path / "a.yaml"])
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "pin-mismatch" and "9.9.9" in diagnostic.message
    assert diagnostic.pos is not None and (diagnostic.pos.line, diagnostic.pos.col) == (1, 9)
    assert result.repo.jobgen_version == "9.9.9"


def test_an_empty_folder_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "components").mkdir()
    result = load([tmp_path / "components"])
    assert [(d.code, d.severity) for d in result.diagnostics] == [("no-components", "warning")]


def _shared_problems_repo(root: Path) -> None:
    """Twelve components over a template and a folder defaults file that both have problems,
    two of them broken themselves, one of them depending on a component that is absent; and
    two files that cannot be read: one not UTF-8, one a link out of the repository."""
    (root / "jobgen.yaml").write_text("jobgen: 0.1.0\n", "utf-8")
    components = root / "components"
    (components / "_templates").mkdir(parents=True)
    (components / "_templates" / "service.yaml").write_text(
        "component: not-here\nsteps: {build: make}\n", "utf-8"
    )
    (components / "_defaults.yaml").write_text("requirements: [not, a, mapping]\n", "utf-8")
    for index in range(12):
        text = f"component: svc-{index}\nextends: service\n"
        if index in (4, 9):
            text += "steps: {build: 5}\ncolour: blue\n"
        if index == 7:
            text += "dependencies: [absent]\n"
        (components / f"svc-{index}.yaml").write_text(text, "utf-8")
    (components / "latin.yaml").write_bytes("component: caf\xe9\n".encode("latin-1"))
    outside = root.parent / f"{root.name}-outside.yaml"
    outside.write_text("component: elsewhere\n", "utf-8")
    (components / "linked.yaml").symlink_to(outside)


def test_a_load_on_three_processes_finds_what_a_load_in_one_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each process reads the shared template and defaults file itself (jobgen/parallel.py):
    their problems are still reported once, the components and every finding are the same."""
    from jobgen import parallel

    _shared_problems_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # see parallel_test.py
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    alone = load([Path("components")])
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)  # twelve files are far below a real share
    monkeypatch.setattr(parallel, "RUN", 1)  # runs of one item: every process has work
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    shared = load([Path("components")])
    assert len(forks) == 2
    assert shared.repo == alone.repo
    assert shared.diagnostics == alone.diagnostics
    text = format_text(shared.diagnostics, len(shared.files))
    assert text.count("a template does not name a component") == 1
    assert "svc-4.yaml" in text and "svc-9.yaml" in text and "absent" in text
    # Read in the children on a first load: refused there with the same words.
    assert "latin.yaml:1:1" in text and "is not UTF-8 text" in text
    assert "linked.yaml:1:1" in text and "leads outside the repository" in text
