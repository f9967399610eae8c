"""`jobgen trigger` against a pipeline-running embedded master, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jobgen.main import main
from tests.jobgen.master.pipeline.support import TOKEN, USER, Estate, deployed_estate


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Estate]:
    with deployed_estate(tmp_path_factory.mktemp("trigger")) as running:
        yield running


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBGEN_USER", USER)
    monkeypatch.setenv("JOBGEN_TOKEN", TOKEN)


def _trigger(estate: Estate, job: str, key: str, *extra: str) -> int:
    params = [
        f"SOURCE_S3_FILE_PATH=s3://uploads/{key}.stl",
        f"RESULT_S3_FILE_PATH=s3://results/{key}/",
        f"REGISTRATION_RETURN_URL={estate.listener.url('register', key)}",
        f"REPORT_RETURN_URL={estate.listener.url('report', key)}",
    ]
    argv = ["trigger", job, "--url", estate.master.url, "-c", str(estate.components)]
    return main([*argv, *(a for p in params for a in ("--param", p)), *extra])


def test_wait_exits_0_on_success_and_prints_the_build_url_and_result(
    estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _trigger(estate, "process_model", "t1", "--wait") == 0
    url, result = capsys.readouterr().out.splitlines()
    assert url.startswith(f"{estate.master.url}job/model-processing/job/process_model/")
    assert result == "SUCCESS"
    [report] = estate.listener.received("report", "t1")
    assert report.body["Status"] == "SUCCESS"


def test_wait_exits_1_when_a_worker_fails(
    estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    worker = estate.names["measure_size"]
    estate.master.set_result(worker, "FAILURE")
    try:
        assert _trigger(estate, "process_model", "t2", "--wait") == 1
    finally:
        estate.master.set_result(worker, "SUCCESS")
    assert capsys.readouterr().out.splitlines()[-1] == "FAILURE"
    [report] = estate.listener.received("report", "t2")
    assert report.body["Status"] == "FAILURE"


def test_a_full_name_of_a_version_runs_that_version(
    estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    version = estate.names["process_model"]
    assert _trigger(estate, version, "t3", "--wait") == 0
    assert f"job/{version.split('/')[1]}/" in capsys.readouterr().out


def test_without_wait_it_exits_0_once_the_build_started(
    estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _trigger(estate, "model-processing/process_model", "t4") == 0
    assert "/job/process_model/" in capsys.readouterr().out
    assert estate.listener.wait_for("report", {"t4"}, 60)


def test_an_unknown_job_exits_1_and_says_so(
    estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _trigger(estate, "no_such_job", "t5") == 1
    assert "no job 'no_such_job'" in capsys.readouterr().err


def test_a_malformed_param_is_a_usage_error(
    estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["trigger", "process_model", "--url", estate.master.url, "--param", "NOEQUALS"]
    assert main(argv) == 2
    assert "expected NAME=VALUE" in capsys.readouterr().err


def test_a_parameterized_job_runs_with_its_defaults_when_no_param_is_given(
    estate: Estate, capsys: pytest.CaptureFixture[str]
) -> None:
    # Jenkins' `build` on a parameterized job wants a form submission (400 without one);
    # `buildWithParameters` takes the defaults (docs/jenkins-facts.md, walk16).
    worker = estate.names["renewal-report-build"]
    argv = ["trigger", worker, "--url", estate.master.url, "-c", str(estate.components)]
    assert main([*argv, "--wait"]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.splitlines()[-1] == "SUCCESS"
