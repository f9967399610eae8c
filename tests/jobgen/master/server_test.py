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
    with EmbeddedMaster.start(home=home, user=USER, token=TOKEN, quiet_period=0) as first:
        client = jenkins.Jenkins(first.url, username=USER, password=TOKEN)
        client.create_folder("f")
        client.create_job("f/kept", freestyle("survives"))
        number = build_number(client, client.build_job("f/kept"))
        assert first.wait_idle()
    with EmbeddedMaster.start(home=home, user=USER, token=TOKEN, quiet_period=0) as second:
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
    with EmbeddedMaster.start(
        home=tmp_path / "home", user=USER, token=TOKEN, quiet_period=0
    ) as master:
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


# Request framing follows Jetty 12's HttpParser and the master's own limits:
# docs/jenkins-facts.md (ownership: request bodies), jobgen/master/body.py.


def _raw(master: EmbeddedMaster, head: str, body: bytes = b"") -> bytes:
    """Send one request byte for byte on a fresh socket; the first answer's head and body.

    The 5 s socket timeout only bounds a test that would otherwise hang forever.
    """
    import socket

    with socket.create_connection(("127.0.0.1", master.port), timeout=5) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data


def _auth(user: str = USER, token: str = TOKEN) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "5, 6"])
def test_a_bad_content_length_is_400_not_a_hang(master, length):
    head = (
        f"POST /createItem?name=x HTTP/1.1\nHost: 127.0.0.1\nAuthorization: {_auth()}\n"
        f"Content-Type: text/xml\nContent-Length: {length}\n"
    )
    assert _status(_raw(master, head)) == 400


def test_a_post_without_content_length_has_an_empty_body_as_curl_x_post_sends_it(master, server):
    server.create_job("plain", freestyle())
    head = f"POST /job/plain/build HTTP/1.1\nHost: 127.0.0.1\nAuthorization: {_auth()}\n"
    assert _status(_raw(master, head)) == 201


def test_a_chunked_body_is_read_as_jenkins_reads_it(master, server):
    import http.client

    config = freestyle("sent in chunks").encode()
    connection = http.client.HTTPConnection("127.0.0.1", master.port, timeout=5)
    chunks = [config[i : i + 50] for i in range(0, len(config), 50)]
    headers = {"Authorization": _auth(), "Content-Type": "text/xml"}
    connection.request(
        "POST", "/createItem?name=chunked", iter(chunks), headers, encode_chunked=True
    )
    assert connection.getresponse().status == 200
    assert server.get_job_info("chunked")["description"] == "sent in chunks"


def test_a_body_over_the_limit_is_refused_without_reading_it(master):
    from jobgen.master.server import MAX_BODY

    head = (
        f"POST /createItem?name=x HTTP/1.1\nHost: 127.0.0.1\nAuthorization: {_auth()}\n"
        f"Content-Type: text/xml\nContent-Length: {MAX_BODY + 1}\n"
    )
    assert _status(_raw(master, head)) == 413


def test_the_body_of_an_unauthenticated_request_is_never_read(master):
    big = 50 * 1024 * 1024  # declared, never sent: a server that read it would wait for it
    head = (
        f"POST /createItem?name=x HTTP/1.1\nHost: 127.0.0.1\nAuthorization: {_auth(token='bad')}\n"
        f"Content-Type: text/xml\nContent-Length: {big}\n"
    )
    assert _status(_raw(master, head)) == 401
    # A client that waits for `100 Continue` is refused before it is invited to send.
    waiting = head.replace("Content-Type", "Expect: 100-continue\nContent-Type")
    answer = _raw(master, waiting)
    assert _status(answer) == 401 and b"100 Continue" not in answer


def test_redirects_name_the_master_not_the_host_header(master, server):
    server.create_job("original", freestyle())
    head = (
        "POST /createItem?name=copied&mode=copy&from=original HTTP/1.1\n"
        f"Host: evil.example\nAuthorization: {_auth()}\nContent-Length: 0\n"
    )
    answer = _raw(master, head).decode()
    assert _status(answer.encode()) == 302
    location = next(line for line in answer.splitlines() if line.lower().startswith("location:"))
    assert "evil.example" not in location and master.url in location
