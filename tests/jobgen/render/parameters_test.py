"""Each parameter type rendered as Jenkins' own definition, with its class and field names
(docs/jenkins-facts.md, authoring), read back from the XML with lxml."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from jobgen.groovy.runtime import groovy_env, groovy_tool
from jobgen.master import EmbeddedMaster
from jobgen.render.model import Artifacts
from tests.authoring_repo import compiled_ops
from tests.masters import python_jenkins

NODELABEL = "org.jvnet.jenkins.plugins.nodelabelparameter."


@pytest.fixture
def ops(tmp_path: Path) -> Artifacts:
    return compiled_ops(tmp_path / "repo")


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


HARNESS = """\
class Env { Map vars; def getProperty(String name) { vars[name] } }
def binding = new Binding()
binding.setVariable('params', Collections.unmodifiableMap(
    [TICKET: 'INC-1', DRY_RUN: true, AGENT: null, POOL: null, OWNER: null]))
binding.setVariable('env', new Env(vars: [AGENT: 'agent-3']))
binding.setVariable('currentBuild', [result: null])
binding.setVariable('string', { Map m -> m })
binding.setVariable('echo', { Object m -> null })
binding.setVariable('build', { Map m ->
    println(groovy.json.JsonOutput.toJson(m.parameters)); [result: 'SUCCESS'] })
new GroovyShell(binding).evaluate(new File(args[0]))
"""


def test_an_alias_passes_node_values_from_env_and_never_a_null(
    ops: Artifacts, tmp_path: Path
) -> None:
    # A node or label value is null in a Pipeline's params and set in env (ParamsVariable,
    # LabelParameterValue: docs/jenkins-facts.md); `"${null}"` would pass the text "null".
    alias = next(a for a in ops.aliases if a.name == "diagnose")
    script = etree.fromstring(alias.config_xml).findtext("definition/script")
    assert script is not None
    (tmp_path / "alias.groovy").write_text(script, "utf-8")
    (tmp_path / "harness.groovy").write_text(HARNESS, "utf-8")
    done = subprocess.run(
        [groovy_tool(), str(tmp_path / "harness.groovy"), str(tmp_path / "alias.groovy")],
        capture_output=True,
        text=True,
        env=groovy_env(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    passed = {p["name"]: p["value"] for p in json.loads(done.stdout.strip().splitlines()[-1])}
    assert passed == {"TICKET": "INC-1", "DRY_RUN": "true", "AGENT": "agent-3"}
