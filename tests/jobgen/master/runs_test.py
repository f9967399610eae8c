"""Builds through python-jenkins: queue to build number, results, parameters, artifacts, tokens."""

import json
import time

import jenkins
import pytest
import requests

from jobgen.master import EmbeddedMaster
from tests.jobgen.master.support import TOKEN, USER, build_number, freestyle, wait_for


def _finished(server, name, number):
    return wait_for(lambda: (i := server.get_build_info(name, number)) and not i["building"] and i)


def test_build_with_parameters_queues_then_runs_to_success(server, master):
    server.create_folder("f")
    server.create_job("f/worker", freestyle(params=("GIT_REF", "ENV")))
    queue_id = server.build_job("f/worker", {"GIT_REF": "main"})
    number = build_number(server, queue_id)
    info = _finished(server, "f/worker", number)
    assert info["result"] == "SUCCESS"
    assert info["url"].endswith("/job/f/job/worker/1/")
    assert info["queueId"] == queue_id
    parameters = next(a for a in info["actions"] if a.get("parameters"))["parameters"]
    # Parameters left out take their defaults, as Jenkins does.
    assert {p["name"]: p["value"] for p in parameters} == {"GIT_REF": "main", "ENV": "d-ENV"}
    console = server.get_build_console_output("f/worker", number)
    assert "GIT_REF=main" in console and "Finished: SUCCESS" in console
    job = server.get_job_info("f/worker")
    assert job["lastBuild"]["number"] == 1 and job["color"] == "blue"


def test_result_and_delay_chosen_by_the_test(server, master):
    server.create_job("flaky", freestyle())
    master.set_result("flaky", "FAILURE", delay=0.3)
    number = build_number(server, server.build_job("flaky"))
    assert server.get_build_info("flaky", number)["building"] is True
    assert _finished(server, "flaky", number)["result"] == "FAILURE"
    assert server.get_job_info("flaky")["color"] == "red"


def test_report_json_is_archived_when_the_job_takes_a_return_url(server, master):
    server.create_job("reporter", freestyle(params=("REPORT_RETURN_URL",)))
    master.set_result("reporter", "UNSTABLE")
    number = build_number(server, server.build_job("reporter", {"REPORT_RETURN_URL": "http://x/"}))
    info = _finished(server, "reporter", number)
    assert [a["relativePath"] for a in info["artifacts"]] == ["report.json"]
    response = requests.get(f"{info['url']}artifact/report.json", auth=server._auths[0][1])
    report = json.loads(response.text)
    assert set(report) == {"Process", "Status", "Reason", "Data", "Log"}
    assert report["Status"] == "UNSTABLE" and report["Process"] == "reporter"


def test_missing_build_and_queue_item_errors(server):
    server.create_job("j", freestyle())
    with pytest.raises(jenkins.JenkinsException, match=r"job\[j\] number\[7\] does not exist"):
        server.get_build_info("j", 7)
    with pytest.raises(jenkins.JenkinsException, match=r"queue number\[999999\] does not exist"):
        server.get_queue_item(999999)


def test_disabled_job_is_409_and_unparameterized_job_is_400(server):
    server.create_job("off", freestyle())
    server.disable_job("off")
    with pytest.raises(requests.HTTPError) as raised:
        server.build_job("off")
    assert raised.value.response.status_code == 409
    server.create_job("plain", freestyle())
    with pytest.raises(requests.HTTPError) as raised:
        server.build_job("plain", {"X": "1"})
    assert raised.value.response.status_code == 400


def test_remote_trigger_token(server, master):
    server.create_job("remote", freestyle(params=("P",), token="s3cret"))
    anonymous = jenkins.Jenkins(master.url)
    with pytest.raises(jenkins.JenkinsException, match=r"\[403\]"):
        server.build_job("remote", {"P": "1"}, token="wrong")
    number = build_number(server, server.build_job("remote", {"P": "1"}, token="s3cret"))
    assert number == 1
    # The token is never shown in the request log.
    assert all("s3cret" not in r.path for r in master.requests)
    # Anonymous callers still need Overall/Read to reach /job/... (reference §5.1).
    with pytest.raises(jenkins.JenkinsException, match=r"\[403\]"):
        anonymous.build_job("remote", {"P": "1"}, token="s3cret")


def test_build_by_token_root(server, master):
    server.create_folder("f")
    server.create_job("f/byt", freestyle(params=("P",), token="tok"))
    server.create_job("f/none", freestyle())
    url = f"{master.url}buildByToken/buildWithParameters"
    ok = requests.post(
        url, params={"job": "f/byt", "token": "tok", "P": "v"}, allow_redirects=False
    )
    assert ok.status_code == 201 and ok.headers["Location"].startswith("/queue/item/")
    assert requests.get(url, params={"job": "f/byt", "token": "bad"}).status_code == 403
    assert requests.get(url, params={"job": "f/none", "token": "tok"}).status_code == 404
    assert requests.get(url, params={"job": "f/ghost", "token": "tok"}).status_code == 404
    wrong = requests.get(f"{master.url}buildByToken/build", params={"job": "f/byt", "token": "tok"})
    assert wrong.status_code == 400
    queue_id = int(ok.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert build_number(server, queue_id) == 1


def test_last_build_time_can_be_set_for_pruning(server, master):
    server.create_job("old", freestyle())
    eight_days_ago = int(time.time() * 1000) - 8 * 24 * 3600 * 1000
    master.set_last_build_time("old", eight_days_ago)
    listing = server.get_info(query="?tree=jobs[name,lastBuild[timestamp,building]]")
    assert listing["jobs"][0]["lastBuild"] == {
        "_class": "hudson.model.FreeStyleBuild",
        "timestamp": eight_days_ago,
        "building": False,
    }


def test_queue_item_shows_the_job_then_the_build_it_started(server, master):
    server.create_job("q", freestyle())
    master.set_result("q", delay=0.2)
    queue_id = server.build_job("q")
    item = server.get_queue_item(queue_id)
    assert item["task"]["name"] == "q" and item["url"] == f"queue/item/{queue_id}/"
    number = build_number(server, queue_id)
    left = server.get_queue_item(queue_id)
    assert (
        left["_class"] == "hudson.model.Queue$LeftItem" and left["executable"]["number"] == number
    )
    assert master.wait_idle()


def test_deleted_build_stays_deleted_after_a_restart(tmp_path):
    home = tmp_path / "home"
    for round_ in range(2):
        with EmbeddedMaster.start(home=home, user=USER, token=TOKEN, quiet_period=0) as master:
            client = jenkins.Jenkins(master.url, username=USER, password=TOKEN)
            if round_ == 0:
                client.create_job("j", freestyle())
                number = build_number(client, client.build_job("j"))
                assert master.wait_idle()
                client.delete_build("j", number)
            with pytest.raises(jenkins.JenkinsException, match="does not exist"):
                client.get_build_info("j", 1)
            assert client.get_job_info("j")["nextBuildNumber"] == 2


def test_identical_queued_item_is_a_303_which_python_jenkins_reports_as_empty(server, master):
    master.state.builds.quiet_period = 0.5  # keep the first item waiting
    server.create_job("once", freestyle(params=("P",)))
    first = server.build_job("once", {"P": "same"})
    with pytest.raises(jenkins.EmptyResponseException):
        server.build_job("once", {"P": "same"})
    assert server.get_queue_item(first)["_class"] == "hudson.model.Queue$WaitingItem"
    assert server.build_job("once", {"P": "other"}) != first


def test_disabling_a_job_cancels_its_waiting_item(server, master):
    master.state.builds.quiet_period = 0.5
    server.create_job("soon-off", freestyle())
    queue_id = server.build_job("soon-off")
    server.disable_job("soon-off")
    item = server.get_queue_item(queue_id)
    assert item["cancelled"] is True and item["executable"] is None
    assert master.wait_idle()
    assert server.get_job_info("soon-off")["lastBuild"] is None


CHOICE_JOB = """<?xml version='1.1' encoding='UTF-8'?>
<project><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>
<hudson.model.ChoiceParameterDefinition><name>ENV</name><choices class="java.util.Arrays$ArrayList">
<a class="string-array"><string>dev</string><string>prod</string></a></choices>
</hudson.model.ChoiceParameterDefinition></parameterDefinitions>
</hudson.model.ParametersDefinitionProperty></properties></project>
"""


def test_a_value_outside_the_choices_is_refused(server, master):
    # jenkins ChoiceParameterDefinition.checkValue throws IllegalArgumentException
    # "Illegal choice for parameter ENV: ..." out of buildWithParameters: a 500.
    server.create_job("choosy", CHOICE_JOB)
    refused = requests.post(
        f"{master.url}job/choosy/buildWithParameters?ENV=staging", auth=(USER, TOKEN)
    )
    assert refused.status_code == 500
    assert "Illegal choice for parameter ENV: staging" in refused.text
    assert server.get_queue_info() == [] and server.get_job_info("choosy")["lastBuild"] is None
    number = build_number(server, server.build_job("choosy", {"ENV": "prod"}))
    assert _finished(server, "choosy", number)["result"] == "SUCCESS"
    # Left out, it takes the first choice (ChoiceParameterDefinition.getDefaultParameterValue).
    number = build_number(server, server.build_job("choosy", {"OTHER": "x"}))
    info = _finished(server, "choosy", number)
    values = next(a for a in info["actions"] if a.get("parameters"))["parameters"]
    assert values[0]["value"] == "dev"


def test_progressive_text_reads_the_console_in_pieces(server, master):
    # stapler LargeText.doProgressText: text from byte `start`, X-Text-Size, and
    # X-More-Data only while the build runs; a start past the end reads from 0.
    server.create_job("talky", freestyle(params=("P",)))
    number = build_number(server, server.build_job("talky", {"P": "x"}))
    _finished(server, "talky", number)
    url = f"{master.url}job/talky/{number}/logText/progressiveText"
    whole = requests.get(url, auth=(USER, TOKEN))
    size = int(whole.headers["X-Text-Size"])
    assert whole.text.endswith("Finished: SUCCESS\n") and size == len(whole.content)
    assert "X-More-Data" not in whole.headers
    tail = requests.get(url, params={"start": size - 18}, auth=(USER, TOKEN))
    assert tail.text == "Finished: SUCCESS\n"
    rolled = requests.get(url, params={"start": size + 5}, auth=(USER, TOKEN))
    assert rolled.text == whole.text
