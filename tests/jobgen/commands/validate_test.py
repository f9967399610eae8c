"""`jobgen validate` as a user runs it: a subprocess, its output and exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GOOD = """\
component: api
repo: https://example.com/api.git
steps:
  build: make
  release: deploy --app ${APP}
environments:
  qa: {variables: {APP: api-qa}}
"""


def _validate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobgen", "validate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _repo(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    components = tmp_path / "components"
    components.mkdir()
    for name, text in files.items():
        (components / f"{name}.yaml").write_text(text)
    return tmp_path


def test_a_valid_repository_exits_0_with_a_summary(tmp_path: Path) -> None:
    repo = _repo(tmp_path, api=GOOD)
    result = _validate(repo)  # default: components/
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    repo = _repo(tmp_path, api=GOOD.replace("APP: api-qa", "APP: api-qa, UNUSED: x"))
    result = _validate(repo, "components")
    assert result.returncode == 0
    assert "components/api.yaml:7:33: warning: variable `UNUSED`" in result.stdout
    assert result.stdout.endswith("0 errors, 1 warning in 1 file\n")


def test_every_error_of_every_file_with_source_line_caret_and_hint(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        api=GOOD.replace("repo:", "rpeo:"),
        web="component: web\ndependencies: [api, auth]\nsteps:\n  build: {sh: make, timeout: x}\n",
    )
    result = _validate(repo, "components")
    assert result.returncode == 1
    assert result.stdout == (
        "components/api.yaml:2:1: error: unknown field `rpeo` at the top level [unknown-key]\n"
        " 2 | rpeo: https://example.com/api.git\n"
        "   | ^\n"
        "    hint: did you mean `repo`?\n"
        "components/web.yaml:2:21: error: `web` depends on `auth`, which is not a component here"
        " [unknown-dependency]\n"
        " 2 | dependencies: [api, auth]\n"
        "   |                     ^\n"
        "    hint: known components: api, web\n"
        "components/web.yaml:4:30: error: steps.build.timeout: expected a whole number of"
        " minutes, got a string [schema-type]\n"
        " 4 |   build: {sh: make, timeout: x}\n"
        "   |                              ^\n"
        "3 errors, 0 warnings in 2 files\n"
    )


def test_json_format_is_a_list_of_records(tmp_path: Path) -> None:
    repo = _repo(tmp_path, api=GOOD.replace("make", "{sh: make, script: b.sh}"))
    result = _validate(repo, "--format", "json", "components/api.yaml")
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [(r["file"], r["line"], r["col"], r["severity"], r["code"]) for r in records] == [
        ("components/api.yaml", 4, 10, "error", "schema-oneOf"),
        ("components/api.yaml", 4, 29, "error", "missing-file"),
    ]
    assert records[0]["hint"] == "" and records[1]["hint"].startswith("paths are relative")


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, api=GOOD)
    result = _validate(repo, "components", "compnents/web.yaml")
    assert result.returncode == 2
    assert "compnents/web.yaml: no such file or folder" in result.stderr
    assert result.stdout == ""


def test_no_components_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = _validate(tmp_path)
    assert result.returncode == 2
    assert "no jobgen.yaml in . or any folder above it, and no components/ here" in result.stderr


def test_secrets_are_masked_in_the_printed_source_line(tmp_path: Path) -> None:
    leaked = GOOD.replace("APP: api-qa", "APP: api-qa, DEPLOY_TOKEN: 'tok,en''s'")
    repo = _repo(tmp_path, api=leaked)
    result = _validate(repo)
    assert result.returncode == 1
    assert "secret-in-file" in result.stdout
    assert "tok,en" not in result.stdout + result.stderr
    assert " 7 |   qa: {variables: {APP: api-qa, DEPLOY_TOKEN: ****}}\n" in result.stdout


def test_two_jobs_with_one_name_come_from_the_planner(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        a="component: a\njobs:\n  deploy: {bash: a.bash}\n",
        b="component: b\njobs:\n  deploy: {bash: b.bash}\n",
    )
    (repo / "components" / "a.bash").write_text("echo a\n")
    (repo / "components" / "b.bash").write_text("echo b\n")
    result = _validate(repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "deploy" in result.stdout


def test_named_files_resolve_against_their_siblings_like_a_pre_commit_hook(
    tmp_path: Path,
) -> None:
    repo = _repo(
        tmp_path,
        web="component: web\ndependencies: [api]\n",
        api="component: api\nrpeo: broken but not named\n",
        cyc1="component: cyc1\ndependencies: [cyc2]\n",
        cyc2="component: cyc2\ndependencies: [cyc1]\n",
        copy="component: web\n",
    )
    clean = _validate(repo, "components/web.yaml")
    # `copy.yaml` names `web` too: reported at the copy, with a note pointing at web.yaml.
    assert clean.returncode == 1
    assert "components/copy.yaml:1:12: error: component `web` is defined twice" in clean.stdout
    assert "components/web.yaml:1:12: first defined here" in clean.stdout
    assert "rpeo" not in clean.stdout  # api.yaml was read for context, not judged
    assert clean.stdout.endswith("1 error, 0 warnings in 1 file\n")

    cycle = _validate(repo, "components/cyc2.yaml")
    assert cycle.returncode == 1
    assert "dependency cycle: cyc1 -> cyc2 -> cyc1" in cycle.stdout


def test_at_most_100_diagnostics_are_printed_then_a_count(tmp_path: Path) -> None:
    unknown = "".join(f"x{i}: v\n" for i in range(250))
    root = _repo(tmp_path, many=f"component: many\n{unknown}")
    result = _validate(root)
    assert result.returncode == 1
    assert result.stdout.count("error:") == 100
    assert "... and 150 more\n" in result.stdout
    assert "250 errors, 0 warnings in 1 file" in result.stdout


SECRETS = {
    "duplicate key": "component: a\npassword: hunter2\npassword: hunter2\n",
    "yaml syntax": "component: a\napi_token: hunter2\n  bad: [\n",
    "tab": "component: a\nsecret: hunter2\n\tx: 1\n",
    "unused variable": "component: a\nsteps: {build: make}\nenvironments:\n"
    "  qa: {variables: {DB_PASSWORD: hunter2}}\n",
    "url userinfo": "component: a\nrepo: https://deploy:hunter2@git.example.com/a.git\n",
    "parameter default": "component: a\njobs:\n  j:\n    bash: j.sh\n    parameters:\n"
    "      API_TOKEN: {default: hunter2}\n",
}


def test_no_diagnostic_prints_a_secret(tmp_path: Path) -> None:
    for n, (case, text) in enumerate(SECRETS.items()):
        (tmp_path / str(n)).mkdir()
        root = _repo(tmp_path / str(n), a=text)
        (root / "components" / "j.sh").write_text("true\n")
        result = _validate(root)
        assert result.returncode == 1, case
        assert "hunter2" not in result.stdout + result.stderr, case


def test_control_characters_in_names_are_printed_escaped(tmp_path: Path) -> None:
    root = _repo(tmp_path, a='component: a\njobs:\n  "x\\u001b[2Jy\\nz": {bash: j.sh}\n')
    result = _validate(root)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "x\\x1b[2Jy\\nz" in result.stdout


def test_hostile_file_names_and_job_names_are_positioned_errors(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / "components" / "my comp+1.yaml").write_text(
        "component: a\njobs:\n  with space: {bash: j.sh}\n  a+b: {bash: j.sh}\n"
        f"  {'j' * 300}: {{bash: {'x' * 300}.sh}}\n"
    )
    (root / "components" / "j.sh").write_text("true\n")
    result = _validate(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for where in ("3:3", "4:3", "5:3", "5:312"):
        assert f"components/my comp+1.yaml:{where}: error:" in result.stdout, where
