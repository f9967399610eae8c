"""The server as a whole: request log, seeded faults, restart from JENKINS_HOME."""

import jenkins
import pytest
import requests

from jobgen.master import EmbeddedMaster
from tests.jobgen.master.support import TOKEN, USER, build_number, freestyle


def test_every_request_is_recorded(master, server):
    server.create_job("logged", freestyle())
    with pytest.raises(jenkins.NotFoundException):
        server.get_job_config("missing")
    seen = [(r.method, r.path, r.status) for r in master.requests]
    assert ("POST", "/createItem?name=logged", 200) in seen
    assert ("GET", "/job/missing/config.xml", 404) in seen
    assert all(r.user == USER for r in master.requests if r.path.startswith("/createItem"))


def _statuses(master: EmbeddedMaster, seed: int) -> list[int]:
    master.faults(rate=0.5, statuses=(500, 502, 503), seed=seed)
    session = requests.Session()
    session.auth = (USER, TOKEN)
    return [session.get(f"{master.url}api/json").status_code for _ in range(30)]


def test_faults_are_repeatable_with_a_seed(master):
    first = _statuses(master, seed=7)
    again = _statuses(master, seed=7)
    other = _statuses(master, seed=8)
    assert first == again
    assert first != other
    assert {500, 502, 503} & set(first) and 200 in first


def test_dropped_connections_and_python_jenkins_errors(master, server):
    master.faults(rate=1.0, statuses=(), drop=True, seed=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{master.url}api/json", auth=(USER, TOKEN))
    master.faults(rate=1.0, statuses=(502,), seed=1)
    with pytest.raises(requests.HTTPError):  # python-jenkins re-raises a 502 unchanged
        server.get_job_config("x")
    master.faults(rate=1.0, statuses=(500,), seed=1)
    with pytest.raises(jenkins.JenkinsException, match=r"\[500\]"):
        server.get_job_config("x")
    master.faults(rate=0.0)
    assert server.get_whoami()["id"] == USER


def test_restart_keeps_items_and_builds(tmp_path):
    home = tmp_path / "home"
    with EmbeddedMaster.start(home=home, user=USER, token=TOKEN) as first:
        client = jenkins.Jenkins(first.url, username=USER, password=TOKEN)
        client.create_folder("f")
        client.create_job("f/kept", freestyle("survives"))
        number = build_number(client, client.build_job("f/kept"))
        assert first.wait_idle()
    with EmbeddedMaster.start(home=home, user=USER, token=TOKEN) as second:
        client = jenkins.Jenkins(second.url, username=USER, password=TOKEN)
        info = client.get_job_info("f/kept")
        assert info["description"] == "survives"
        assert info["lastBuild"]["number"] == number and info["nextBuildNumber"] == number + 1
        assert client.get_build_info("f/kept", number)["result"] == "SUCCESS"


def test_get_version_on_a_failing_master_is_bad_http(master):
    master.faults(rate=1.0, statuses=(503,), seed=3)
    with pytest.raises(jenkins.BadHTTPException):
        jenkins.Jenkins(master.url).get_version()


def test_a_closed_master_stops_answering_kept_alive_connections(tmp_path):
    with EmbeddedMaster.start(home=tmp_path / "home", user=USER, token=TOKEN) as master:
        client = jenkins.Jenkins(master.url, username=USER, password=TOKEN)
        assert client.get_whoami()["id"] == USER
    with pytest.raises(requests.exceptions.ConnectionError):  # python-jenkins does not wrap it
        client.get_whoami()


def test_a_request_is_recorded_before_its_answer_arrives(master, server):
    server.create_job("counted", freestyle())
    before = sum(r.method == "POST" for r in master.requests)
    for n in range(1, 31):
        server.reconfig_job("counted", freestyle(f"v{n}"))
        assert sum(r.method == "POST" for r in master.requests) == before + n
