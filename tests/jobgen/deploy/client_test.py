"""What deploy says when a real master refuses: which permission, which variable, how to go on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jobgen.deploy.client import MasterClient, MasterError, PluginListForbidden, RetryPolicy
from jobgen.deploy.deployer import DeployError, deploy
from jobgen.deploy.targets import Target
from tests.masters import TOKEN, USER, client_for, python_jenkins

OWNER = "somesite-jobs"


class _Jenkins403(BaseHTTPRequestHandler):
    """Answers as Jenkins 2.4xx does for an account without Overall/SystemRead.

    jenkinsci/jenkins core/src/main/java/hudson/PluginManager.java:416-417: getApi() checks
    Jenkins.SYSTEM_READ, so pluginManager/api/json is 403 for a deployer that may still create
    and configure jobs; a request without credentials is 401 like the rest. Until the embedded
    master enforces Overall/SystemRead (the strictmaster slice), this stand-in answers it.
    """

    def do_GET(self) -> None:
        if "Authorization" not in self.headers:
            self._answer(401, "Authentication required")
        elif self.path.startswith("/pluginManager/"):
            self._answer(403, f"{USER} is missing the Overall/SystemRead permission")
        else:
            self._answer(200, "{}")

    def _answer(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def refusing() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Jenkins403)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _client(url: str, user: str | None, token: str | None) -> MasterClient:
    target = Target(
        name="prod", url=url, user=user, token=token, credentials_env=("PROD_USER", "PROD_TOKEN")
    )
    return MasterClient(target, RetryPolicy(attempts=1))


def test_a_403_on_the_plugin_list_names_the_permission_and_the_ways_on(refusing: str) -> None:
    with pytest.raises(PluginListForbidden) as raised:
        _client(refusing, USER, TOKEN).plugins()
    message = str(raised.value)
    assert "needs Overall/SystemRead, which deployer lacks" in message
    assert f"grant {USER} Overall/SystemRead" in message
    assert "--skip-plugin-check" in message
    assert "check the user and API token" not in message


def test_missing_credential_variables_are_named(refusing: str) -> None:
    with pytest.raises(MasterError) as raised:
        _client(refusing, USER, None).listing()
    assert "PROD_TOKEN is not set (target prod reads its user and API token from PROD_USER" in str(
        raised.value
    )
    with pytest.raises(MasterError, match="PROD_USER and PROD_TOKEN are not set"):
        _client(refusing, None, None).listing()


def test_skip_plugin_check_deploys_without_reading_the_plugin_list(master, artifacts):  # type: ignore[no-untyped-def]
    master.set_plugins({})
    with pytest.raises(DeployError, match="lacks plugins"):
        deploy(artifacts, client_for(master), OWNER)
    before = len(master.requests)
    report = deploy(artifacts, client_for(master), OWNER, check_plugins=False)
    assert len(report.created) == len(artifacts.jobs)
    assert not any("pluginManager" in r.path for r in master.requests[before:])
    assert python_jenkins(master).get_job_name("frontend") == "frontend"
