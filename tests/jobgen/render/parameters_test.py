"""Each parameter type rendered as Jenkins' own definition, with its class and field names
(docs/jenkins-facts.md, authoring), read back from the XML with lxml."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from jobgen.compiler import compile_tree
from jobgen.master import EmbeddedMaster
from jobgen.render.model import Artifacts
from tests.authoring_repo import make_authoring_repo
from tests.masters import python_jenkins

NODELABEL = "org.jvnet.jenkins.plugins.nodelabelparameter."


@pytest.fixture
def ops(tmp_path: Path) -> Artifacts:
    result = compile_tree(make_authoring_repo(tmp_path / "repo"))
    assert result.artifacts is not None, result.diagnostics
    return result.artifacts


def _definitions(ops: Artifacts, job: str) -> dict[str, etree._Element]:
    rendered = next(r for r in ops.jobs if r.job.name == job)
    root = etree.fromstring(rendered.config_xml)
    found = root.find("properties/hudson.model.ParametersDefinitionProperty/parameterDefinitions")
    assert found is not None
    return {str(d.findtext("name")): d for d in found}


def test_every_type_is_its_jenkins_class_with_its_fields(ops: Artifacts) -> None:
    d = _definitions(ops, "diagnose")
    assert d["TICKET"].tag == "hudson.model.StringParameterDefinition"
    assert d["TICKET"].findtext("description") == "the incident (required)"
    assert d["OWNER"].findtext("defaultValue") == "ops"
    assert d["NOTE"].tag == "hudson.model.TextParameterDefinition"
    assert d["NOTE"].findtext("defaultValue") == "first line\nsecond <line>"  # escaped, intact
    assert d["DRY_RUN"].tag == "hudson.model.BooleanParameterDefinition"
    assert d["DRY_RUN"].findtext("defaultValue") == "true"
    # ChoiceParameterDefinition defaults to its first choice: the declared default goes first.
    assert d["DEPTH"].tag == "hudson.model.ChoiceParameterDefinition"
    assert d["DEPTH"].find("choices").get("class") == "java.util.Arrays$ArrayList"  # type: ignore[union-attr]
    assert [s.text for s in d["DEPTH"].iterfind("choices/a/string")] == [
        "full",
        "quick",
        "paranoid",
    ]
    credentials = d["SSH_KEY"]
    assert credentials.tag == "com.cloudbees.plugins.credentials.CredentialsParameterDefinition"
    assert credentials.findtext("defaultValue") == "ops-ssh-key"  # an id, never a value
    assert credentials.findtext("credentialType") == (
        "com.cloudbees.plugins.credentials.common.StandardCredentials"
    )
    node = d["AGENT"]
    assert node.tag == NODELABEL + "NodeParameterDefinition"
    assert [s.text for s in node.iterfind("defaultSlaves/string")] == ["build-agent-7"]
    assert node.findtext("triggerIfResult") == "multiSelectionDisallowed"
    assert node.find("nodeEligibility").get("class") == NODELABEL + "node.AllNodeEligibility"  # type: ignore[union-attr]
    label = d["POOL"]
    assert label.tag == NODELABEL + "LabelParameterDefinition"
    assert label.findtext("defaultValue") == "linux && x64"
    assert label.findtext("triggerIfResult") == "allCases"


def test_a_worker_gets_them_too_and_deploy_knows_the_plugins(ops: Artifacts) -> None:
    probe = _definitions(ops, "probe")
    assert probe["VERBOSE"].tag == "hudson.model.BooleanParameterDefinition"
    assert probe["VERBOSE"].findtext("defaultValue") == "false"
    assert probe["AGENT"].tag == NODELABEL + "NodeParameterDefinition"
    assert probe["AGENT"].find("defaultSlaves/string") is None  # no default: none preselected
    plugins = {p.split("@")[0] for r in ops.jobs if r.job.name == "diagnose" for p in r.plugins}
    assert {"credentials", "nodelabelparameter"} <= plugins


def test_the_master_takes_the_definitions_as_written(
    master: EmbeddedMaster, ops: Artifacts
) -> None:
    server = python_jenkins(master)
    server.create_folder("ops")
    rendered = next(r for r in ops.jobs if r.job.name == "diagnose")
    server.create_job(rendered.full_name, rendered.config_xml.decode())
    saved = etree.fromstring(server.get_job_config(rendered.full_name).encode())
    names = saved.xpath("//parameterDefinitions/*/name/text()")
    assert names == ["TICKET", "NOTE", "DRY_RUN", "DEPTH", "SSH_KEY", "AGENT", "POOL", "OWNER"]
