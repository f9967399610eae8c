"""The promise flow end to end on one machine: real HTTP, real Groovy, the real jobgen deploy."""

from __future__ import annotations

from collections.abc import Iterator

import jenkins
import pytest
import requests

from jobgen.deploy.client import MasterClient
from jobgen.deploy.deployer import deploy
from jobgen.deploy.targets import Target
from jobgen.master import EmbeddedMaster
from jobgen.master.pipeline.executor import resolve
from jobgen.render.plugins import MINIMUM
from tests.authoring_repo import compiled_ops
from tests.jobgen.master.pipeline.support import TOKEN, USER, Estate, deployed_estate

WAIT_S = 60.0


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Estate]:
    """One master and JVM for the module: each test uses its own callback keys."""
    with deployed_estate(tmp_path_factory.mktemp("promise")) as running:
        yield running


def _settle(estate: Estate, key: str) -> None:
    assert estate.listener.wait_for("report", {key}, WAIT_S), f"no report for {key}"
    assert estate.master.wait_idle(WAIT_S)


def test_a_run_registers_then_reports_success_once(estate: Estate) -> None:
    answer = estate.submit("model-processing/process_model", "ok1")
    assert answer.status_code == 201
    assert "/queue/item/" in answer.headers["Location"]
    _settle(estate, "ok1")
    [registration] = estate.listener.received("register", "ok1")
    [report] = estate.listener.received("report", "ok1")
    version = estate.names["process_model"]
    assert registration.body["job"] == version
    assert registration.body["build_url"].startswith(estate.master.url)
    assert f"/job/{version.split('/')[1]}/" in registration.body["build_url"]
    assert registration.at <= report.at
    assert report.body == {
        "Process": "process_model",
        "Status": "SUCCESS",
        "Reason": "process_model completed",
        "Data": {"manifold": "SUCCESS", "size": "SUCCESS", "price": "SUCCESS"},
        "Log": {"build_url": registration.body["build_url"]},
    }


def test_the_workers_run_on_the_master_with_the_callers_parameters(estate: Estate) -> None:
    estate.submit("model-processing/process_model", "ok2")
    _settle(estate, "ok2")
    server = jenkins.Jenkins(estate.master.url, username=USER, password=TOKEN)
    worker = estate.names["inspect_manifold"]
    number = server.get_job_info(worker)["lastBuild"]["number"]
    build = server.get_build_info(worker, number)
    values = {
        p["name"]: p["value"] for action in build["actions"] for p in action.get("parameters", [])
    }
    assert values["SOURCE_S3_FILE_PATH"] in {"s3://uploads/ok1.stl", "s3://uploads/ok2.stl"}
    console = server.get_build_console_output(estate.names["process_model"], 1)
    assert "completed: SUCCESS" in console and console.endswith("Finished: SUCCESS\n")


def test_a_failed_worker_reports_failure_with_the_reason_and_stops_pricing(
    estate: Estate,
) -> None:
    server = jenkins.Jenkins(estate.master.url, username=USER, password=TOKEN)
    price = estate.names["estimate_price"]
    priced_before = server.get_job_info(price)["nextBuildNumber"]
    estate.master.set_result(estate.names["inspect_manifold"], "FAILURE")
    try:
        answer = estate.submit("model-processing/process_model", "bad1")
        assert answer.status_code == 201
        _settle(estate, "bad1")
    finally:
        estate.master.set_result(estate.names["inspect_manifold"], "SUCCESS")
    assert len(estate.listener.received("register", "bad1")) == 1
    [report] = estate.listener.received("report", "bad1")
    assert report.body["Status"] == "FAILURE"
    assert estate.names["inspect_manifold"] in report.body["Reason"]
    assert "completed with status FAILURE" in report.body["Reason"]
    assert server.get_job_info(price)["nextBuildNumber"] == priced_before
    alias = server.get_job_info("model-processing/process_model")["lastCompletedBuild"]
    assert (
        server.get_build_info("model-processing/process_model", alias["number"])["result"]
        == "FAILURE"
    )


def test_a_script_calling_a_missing_step_fails_the_build_with_its_name(
    estate: Estate,
) -> None:
    config = (
        "<?xml version='1.1' encoding='UTF-8'?><flow-definition><definition>"
        "<script>echo 'hi'\nslackSend(channel: 'ops')</script></definition></flow-definition>"
    )
    server = jenkins.Jenkins(estate.master.url, username=USER, password=TOKEN)
    server.create_job("broken", config)
    server.build_job("broken")
    assert estate.master.wait_idle(WAIT_S)
    assert server.get_build_info("broken", 1)["result"] == "FAILURE"
    console = server.get_build_console_output("broken", 1)
    assert "hi" in console and "No such DSL method 'slackSend'" in console


@pytest.mark.parametrize(
    ("caller", "job", "expected"),
    [
        ("c/orch", "worker", "c/worker"),
        ("orch", "worker", "worker"),
        ("c/orch", "/other/worker", "other/worker"),
        ("a/b/orch", "../x", "a/x"),
    ],
)
def test_build_names_resolve_from_the_callers_folder(caller: str, job: str, expected: str) -> None:
    assert resolve(caller, job) == expected


def test_http_requests_leave_only_for_loopback(estate: Estate) -> None:
    config = (
        "<?xml version='1.1' encoding='UTF-8'?><flow-definition><definition><script>"
        "httpRequest(url: 'http://example.com/report', httpMode: 'POST', requestBody: '{}')"
        "</script></definition></flow-definition>"
    )
    server = jenkins.Jenkins(estate.master.url, username=USER, password=TOKEN)
    server.create_job("outward", config)
    server.build_job("outward")
    assert estate.master.wait_idle(WAIT_S)
    assert server.get_build_info("outward", 1)["result"] == "FAILURE"
    assert "only calls 127.0.0.1, not example.com" in server.get_build_console_output("outward", 1)


def test_an_external_job_is_built_by_its_full_name_and_a_missing_required_fails_fast(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Jenkins.getItem: relative to the caller's folder, then the full name
    # (docs/jenkins-facts.md, authoring); the orchestration checks TICKET before its body.
    tmp = tmp_path_factory.mktemp("ops")
    ops = compiled_ops(tmp / "repo")
    with EmbeddedMaster.start(
        tmp / "home", USER, TOKEN, run_pipelines=True, quiet_period=0
    ) as master:
        master.set_plugins({name: f"{version}.1" for name, version in MINIMUM.items()})
        server = jenkins.Jenkins(master.url, USER, TOKEN)
        server.create_folder("legacy")
        server.create_job(
            "legacy/deploy-db", "<project><description>by hand</description></project>"
        )
        deploy(ops, MasterClient(Target("test", master.url, USER, TOKEN)), "ops-jobs", workers=4)
        name = next(r.full_name for r in ops.jobs if r.job.name == "diagnose")
        url = (
            f"{master.url}{''.join(f'job/{part}/' for part in name.split('/'))}buildWithParameters"
        )
        for data in ({"DRY_RUN": "false"}, {"TICKET": "INC-9"}):
            posted = requests.post(url, data=data, auth=(USER, TOKEN), timeout=30)
            assert posted.status_code == 201
            assert master.wait_idle(WAIT_S)
        missing = server.get_build_console_output(name, 1)
        assert "ERROR: parameter TICKET is required" in missing
        assert server.get_build_info(name, 1)["result"] == "FAILURE"
        assert "probe" not in missing  # it failed before its body ran
        ran = server.get_build_console_output(name, 2)
        assert "team: diagnosing INC-9" in ran  # the team's library, compiled in
        assert "Build legacy/deploy-db #1 completed: SUCCESS" in ran
        assert server.get_build_info(name, 2)["result"] == "SUCCESS"
