"""`sh` and credentials on a master started with run_shell: real `sh`, real files."""

from pathlib import Path

from jobgen.master.pipeline.shell import add_credentials, credentials, run_sh


def test_sh_runs_in_the_jobs_workspace_with_the_builds_environment(tmp_path: Path) -> None:
    # docs/jenkins-facts.md (package): `sh` runs its script as `sh -xe`.
    answer = run_sh(tmp_path, "f/job", {"script": "pwd; echo $GREETING", "env": {"GREETING": "hi"}})
    assert answer["ran"] and answer["status"] == 0
    assert answer["log"] == f"+ pwd\n{tmp_path}/workspace/f/job\n+ echo hi\nhi\n"  # sh -x


def test_a_failing_command_stops_the_script_with_its_status(tmp_path: Path) -> None:
    answer = run_sh(tmp_path, "job", {"script": "false\necho never"})
    assert answer["status"] == 1 and "never" not in answer["log"].replace("+ echo", "")


def test_return_stdout_gives_stdout_and_logs_stderr(tmp_path: Path) -> None:
    answer = run_sh(tmp_path, "job", {"script": "echo out; echo err >&2", "returnStdout": True})
    assert answer["stdout"] == "out\n" and "err" in answer["log"]


def test_credentials_come_from_the_homes_store_and_an_unknown_id_is_named(tmp_path: Path) -> None:
    # docs/jenkins-facts.md (package): MultiBinding's message for an unknown id.
    add_credentials(tmp_path, "deploy", "bot", "s3cret")
    assert credentials(tmp_path, "deploy") == {"username": "bot", "password": "s3cret"}
    assert (tmp_path / "credentials.json").stat().st_mode & 0o077 == 0
    assert credentials(tmp_path, "other")["error"] == (
        "Could not find credentials entry with ID 'other'"
    )
