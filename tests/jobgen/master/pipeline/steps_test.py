"""The steps the lifecycle needs, on the pipeline-running master: input, artifacts, queueing.

Each follows a fact in docs/jenkins-facts.md (## lifecycle).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.sax.saxutils import escape

import pytest
import requests

from jobgen.master import EmbeddedMaster
from jobgen.master.inputs import input_id
from tests.lifecycle import TOKEN, WAIT_S, Life
from tests.masters import USER


def _pipeline(script: str, extra: str = "") -> str:
    return (
        "<flow-definition><description/><properties>"
        + extra
        + "</properties><definition class='org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition'>"
        + f"<script>{escape(script)}</script><sandbox>true</sandbox></definition>"
        + "<disabled>false</disabled></flow-definition>"
    )


def _answer(url: str, meanwhile: Callable[[], bool] = lambda: True) -> None:
    """POST an input's answer until the run waits for it; `meanwhile` must hold until then."""
    deadline = time.monotonic() + WAIT_S
    while requests.post(url, auth=(USER, TOKEN), timeout=30).status_code != 200:
        assert meanwhile()
        assert time.monotonic() < deadline, f"no input at {url}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def life(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Life]:
    home = tmp_path_factory.mktemp("steps")
    with EmbeddedMaster.start(home, USER, TOKEN, run_pipelines=True, quiet_period=0) as master:
        yield Life(master, home)


def test_input_waits_for_proceed_or_abort_over_rest(life: Life) -> None:
    # pipeline-input-step: id = MD5 of the message, first letter upper-cased; abort: ABORTED.
    life.server.create_job("gate", _pipeline("input(message: 'Ship it?')\necho('shipped')"))
    url = f"{life.master.url}job/gate/1/input/{input_id('Ship it?')}"
    queued = life.start("gate")
    _answer(f"{url}/proceedEmpty")  # 404 until the run reaches the step
    done = life.wait("gate", queued)
    assert done["result"] == "SUCCESS" and "shipped" in life.console("gate", 1)
    queued = life.start("gate")
    url = url.replace("/1/", "/2/")
    _answer(f"{url}/abort")
    assert life.wait("gate", queued)["result"] == "ABORTED"
    assert requests.get(f"{url}/proceedEmpty", auth=(USER, TOKEN), timeout=30).status_code != 200


def test_archived_files_are_copied_from_the_newest_successful_build(life: Life) -> None:
    life.server.create_job("f", "<com.cloudbees.hudson.plugins.folder.Folder/>")
    writer = (
        "node {\n  writeFile(file: 'out/v.txt', text: params.V)\n"
        "  archiveArtifacts(artifacts: 'out/*')\n}\n"
        "if (params.V == 'bad') { error('broken') }"
    )
    param = (
        "<hudson.model.ParametersDefinitionProperty><parameterDefinitions>"
        "<hudson.model.StringParameterDefinition><name>V</name><defaultValue/>"
        "</hudson.model.StringParameterDefinition></parameterDefinitions>"
        "</hudson.model.ParametersDefinitionProperty>"
    )
    life.server.create_job("f/writer", _pipeline(writer, param))
    reader = (
        "node {\n  copyArtifacts(projectName: 'writer', selector: lastSuccessful(), "
        "filter: 'out/v.txt', target: 'got')\n  echo('read ' + readFile('got/out/v.txt'))\n}"
    )
    life.server.create_job("f/reader", _pipeline(reader))
    assert life.run("f/reader")["result"] == "FAILURE"  # no build to copy from yet
    assert "Unable to find a build for artifact copy from: writer" in life.console("f/reader", 1)
    assert life.run("f/writer", {"V": "one"})["result"] == "SUCCESS"
    assert life.run("f/writer", {"V": "bad"})["result"] == "FAILURE"  # not selected
    assert life.run("f/reader")["result"] == "SUCCESS"
    assert "read one" in life.console("f/reader", 2)


def test_builds_of_a_job_that_disallows_concurrency_wait_for_each_other(life: Life) -> None:
    # WorkflowJob.getCauseOfBlockage: blocked while a build of it runs.
    blocked = "<org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty/>"
    life.server.create_job("one-at-a-time", _pipeline("input(message: 'go?')", blocked))
    first = life.start("one-at-a-time")
    second = life.start("one-at-a-time")  # stays in the queue: the first waits at its input
    url = f"{life.master.url}job/one-at-a-time/1/input/{input_id('go?')}/proceedEmpty"
    _answer(url, lambda: not life.server.get_queue_item(second).get("executable"))
    assert life.wait("one-at-a-time", first)["result"] == "SUCCESS"
    url = url.replace("/1/", "/2/")
    _answer(url)
    assert life.wait("one-at-a-time", second)["number"] == 2


def test_previous_build_and_build_variables_reach_the_script(life: Life) -> None:
    life.server.create_job("child", _pipeline("env.MADE = 'by child'"))
    parent = (
        "def run = build(job: 'child')\n"
        "echo('child said ' + run.buildVariables.MADE)\n"
        "echo('previous ' + currentBuild.previousBuild?.result)"
    )
    life.server.create_job("parent", _pipeline(parent))
    life.run("parent")
    life.run("parent")
    log = life.console("parent", 2)
    assert "child said by child" in log and "previous SUCCESS" in log


def test_a_bound_secret_is_masked_in_every_line_of_the_block(life: Life) -> None:
    # credentials-binding masks the bound secrets in all the console output of the
    # withCredentials block (its ConsoleLogFilter), http_request's "URL:" line included:
    # an alert's webhook URL is the secret (docs/jenkins-facts.md, walk16).
    with _hook() as url:
        life.master.add_credentials("hook", "", url)
        script = (
            "withCredentials([string(credentialsId: 'hook', variable: 'HOOK')]) {\n"
            "  httpRequest(url: env.HOOK, httpMode: 'POST', requestBody: '{}')\n"
            "  echo('posted to ' + env.HOOK)\n"
            "}"
        )
        life.server.create_job("alerting", _pipeline(script))
        done = life.run("alerting")
        log = life.console("alerting", done["number"])
    assert done["result"] == "SUCCESS", log
    assert "Response Code: HTTP/1.1 200" in log and "posted to ****" in log
    assert url not in log and "127.0.0.1" not in log


@contextmanager
def _hook() -> Iterator[str]:
    """A loopback HTTP server answering 200 to every POST; yields its URL."""

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/alert/s3cret-key"
    finally:
        server.shutdown()
        server.server_close()
