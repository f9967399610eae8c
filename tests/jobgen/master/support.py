"""Config builders and polling helpers shared by the embedded master tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jenkins
import pytest

USER, TOKEN, PASSWORD = "admin", "t0k3n-for-tests", "pa55word"

FREESTYLE = """<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>{description}</description>
  <keepDependencies>false</keepDependencies>
  <properties>{properties}</properties>
  <scm class="hudson.scm.NullSCM"/>
  <disabled>false</disabled>
  {token}
  <builders><hudson.tasks.Shell><command>echo hi</command></hudson.tasks.Shell></builders>
</project>
"""

PIPELINE = """<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@1436.vfa_244484591f">
  <description>pipeline</description>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
    <script>node {{ echo 'hi' }}</script><sandbox>true</sandbox>
  </definition>
  <disabled>false</disabled>
</flow-definition>
"""


def freestyle(description: str = "", params: tuple[str, ...] = (), token: str = "") -> str:
    """A freestyle config.xml with string parameters (default `d-<name>`) and an authToken."""
    properties = ""
    if params:
        definitions = "".join(
            "<hudson.model.StringParameterDefinition>"
            f"<name>{p}</name><defaultValue>d-{p}</defaultValue>"
            "</hudson.model.StringParameterDefinition>"
            for p in params
        )
        properties = (
            "<hudson.model.ParametersDefinitionProperty><parameterDefinitions>"
            f"{definitions}</parameterDefinitions></hudson.model.ParametersDefinitionProperty>"
        )
    token_xml = f"<authToken>{token}</authToken>" if token else ""
    return FREESTYLE.format(description=description, properties=properties, token=token_xml)


def wait_for(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll `check` until it returns something truthy (bounded); fail the test otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail("condition not met in time")


def build_number(server: jenkins.Jenkins, queue_id: int) -> int:
    """Follow a queue item to the number of the build it started."""
    item = wait_for(lambda: server.get_queue_item(queue_id).get("executable"))
    return int(item["number"])
