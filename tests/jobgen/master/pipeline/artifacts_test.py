"""The monthly report's scheduled chain on a pipeline-running master, to the publish step.

Deployed by jobgen from the examples; the no-op build worker archives the report and the
metrics a test chooses; the chain's alert copies them in by build number (copyartifact's
SpecificBuildSelector), reads them (readJSON) and checks the threshold; later steps get
that number to copy the report in. GIT_HASH is given, as the resolve stage would find it
(the master runs no `git ls-remote`); CONFLUENCE_PAGE as the schedule's parameters set it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import jenkins
import pytest

from tests.jobgen.master.pipeline.support import TOKEN, USER, Estate, deployed_estate

WAIT_S = 60.0
CHAIN = "renewal-report-build-test-stage-release"
SCHEDULED = {
    "GIT_HASH": "0123456789abcdef0123456789abcdef01234567",
    "CONFLUENCE_PAGE": "Renewal reports",
}


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Estate]:
    with deployed_estate(tmp_path_factory.mktemp("report")) as running:
        yield running


def _run(estate: Estate, rate: object, test_result: str = "SUCCESS") -> tuple[jenkins.Jenkins, int]:
    """Archive metrics with `rate` from the build worker, run the chain, wait for its end."""
    metrics = json.dumps({"renewal_rate": rate, "renewals": 212}).encode()
    estate.master.set_result(
        estate.names["renewal-report-build"],
        artifacts={"out/renewal-report.html": b"<html>report</html>", "out/metrics.json": metrics},
    )
    estate.master.set_result(estate.names["renewal-report-test"], test_result)
    server = jenkins.Jenkins(estate.master.url, username=USER, password=TOKEN)
    chain = estate.names[CHAIN]
    before = (server.get_job_info(chain)["lastBuild"] or {}).get("number", 0)
    server.build_job(chain, SCHEDULED)
    assert estate.master.wait_idle(WAIT_S)
    number = server.get_job_info(chain)["lastBuild"]["number"]
    assert number == before + 1
    return server, number


def _parameters(server: jenkins.Jenkins, job: str) -> dict[str, str]:
    number = server.get_job_info(job)["lastBuild"]["number"]
    build = server.get_build_info(job, number)
    return {p["name"]: p["value"] for a in build["actions"] for p in a.get("parameters", [])}


def test_the_scheduled_chain_builds_checks_and_publishes_this_runs_report(estate: Estate):
    server, number = _run(estate, 0.74)
    chain = estate.names[CHAIN]
    console = server.get_build_console_output(chain, number)
    assert server.get_build_info(chain, number)["result"] == "SUCCESS", console
    assert "jobgen: alert quiet: renewal_rate = 0.74, not < 0.70" in console
    build = estate.names["renewal-report-build"]
    built = server.get_job_info(build)["lastBuild"]["number"]
    assert f'Copied 1 artifact from "{build}" build number {built}' in console
    # The publish step ran, on the real page, copying in the report of the build this run made.
    upload = _parameters(server, estate.names["renewal-report-release"])
    assert upload["CONFLUENCE_PAGE"] == "Renewal reports"
    assert upload["BUILD_BUILD_NUMBER"] == str(built)
    assert _parameters(server, estate.names["renewal-report-test"])["BUILD_BUILD_NUMBER"] == str(
        built
    )


def test_failing_checks_keep_the_run_unstable_and_nothing_is_published(estate: Estate):
    release = estate.names["renewal-report-release"]
    server = jenkins.Jenkins(estate.master.url, username=USER, password=TOKEN)
    published = (server.get_job_info(release)["lastBuild"] or {}).get("number", 0)
    server, number = _run(estate, 0.74, test_result="UNSTABLE")
    info = server.get_build_info(estate.names[CHAIN], number)
    assert info["result"] == "UNSTABLE"
    assert (server.get_job_info(release)["lastBuild"] or {}).get("number", 0) == published


def test_metrics_without_the_number_fail_the_run_before_the_checks(estate: Estate):
    server, number = _run(estate, "seventy")
    chain = estate.names[CHAIN]
    console = server.get_build_console_output(chain, number)
    assert server.get_build_info(chain, number)["result"] == "FAILURE"
    assert "the metrics hold no number `renewal_rate` (found seventy)" in console
