import hashlib

import pytest
from lxml import etree

from jobgen.load.loader import load
from jobgen.plan.model import Plan
from jobgen.plan.planner import plan
from jobgen.render.marker import Marker, format_marker, parse_marker
from jobgen.render.model import Artifacts
from jobgen.render.renderer import reference, render
from jobgen.version.model import Version, Versioned
from tests.groovy_check import compile_scripts
from tests.repos import EXAMPLES


def fixed_versions(plan_: Plan) -> Versioned:
    """Version 3 at one made-up commit for every job: rendering does not care where it came from."""
    versions = {
        job.name: Version(
            3, "abc1234", job.name if job.kind == "folder" else f"{job.name}-v3-abc1234"
        )
        for job in plan_.jobs
    }
    return Versioned(plan_, versions)


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    return plan(load([EXAMPLES]).repo).plan


@pytest.fixture(scope="module")
def artifacts(example_plan) -> Artifacts:
    return render(fixed_versions(example_plan), owner="jobs-repo")


def _job(artifacts: Artifacts, name: str):  # type: ignore[no-untyped-def]
    return next(job for job in artifacts.jobs if job.job.name == name)


def test_every_config_is_well_formed_and_of_its_kind(artifacts):
    roots = {"folder": "com.cloudbees.hudson.plugins.folder.Folder", "worker": "project"}
    for job in artifacts.jobs:
        root = etree.fromstring(job.config_xml)
        assert root.tag == roots.get(job.job.kind, "flow-definition")


def test_marker_carries_owner_name_and_a_hash_of_the_config_without_it(artifacts):
    for job in artifacts.jobs:
        root = etree.fromstring(job.config_xml)
        marker = parse_marker(root.findtext("description"))
        expected = (job.full_name, job.job.name, job.job.component, job.config_sha256)
        assert marker == Marker("jobs-repo", *expected)
        unhashed = job.config_xml.replace(
            format_marker(marker).encode(),
            format_marker(Marker(**{**marker.__dict__, "sha256": ""})).encode(),
        )
        assert hashlib.sha256(unhashed).hexdigest() == job.config_sha256


def test_rendering_twice_gives_identical_bytes(example_plan, artifacts):
    again = render(fixed_versions(example_plan), owner="jobs-repo")
    assert [j.config_xml for j in again.jobs] == [j.config_xml for j in artifacts.jobs]


def test_generated_orchestration_calls_deployed_names(artifacts):
    job = _job(artifacts, "frontend-production-release")
    script = etree.fromstring(job.config_xml).findtext("definition/script")
    assert script == job.groovy
    assert "build(job: 'frontend-release-v3-abc1234'" in script
    assert (
        "input(message: 'Release frontend to production?', submitter: 'release-managers')" in script
    )
    assert script.index("input(") < script.index("frontend-release-v3")


def test_hand_written_orchestration_references_are_rewritten(artifacts):
    script = _job(artifacts, "process_model").groovy
    assert "build(job: 'inspect_manifold-v3-abc1234'" in script
    assert "'inspect_manifold'" not in script


def _stable(artifacts: Artifacts, name: str):  # type: ignore[no-untyped-def]
    return next(alias for alias in artifacts.aliases if alias.name == name)


def test_the_stable_watcher_starts_the_stable_entry_never_a_version(artifacts):
    # Its config names no version, so a deploy leaves its polling (and baseline) alone.
    root = etree.fromstring(_stable(artifacts, "frontend-watch").config_xml)
    assert root.findtext("publishers/hudson.tasks.BuildTrigger/childProjects") == (
        "frontend-build-test"
    )
    assert root.findtext(".//hudson.triggers.SCMTrigger/spec")
    regions = root.findtext(
        "scm/extensions/hudson.plugins.git.extensions.impl.PathRestriction/includedRegions"
    )
    assert regions == "frontend/src/.*"


def test_worker_xml_carries_label_timeout_credentials_and_artifacts(artifacts):
    root = etree.fromstring(_job(artifacts, "teams-api-test").config_xml)
    assert root.findtext("assignedNode") == "linux && docker"
    assert root.findtext(".//timeoutMinutes") == "20"
    assert root.findtext("publishers/hudson.tasks.ArtifactArchiver/artifacts") == "reports/*.xml"
    release = etree.fromstring(_job(artifacts, "teams-api-release").config_xml)
    binding = release.find(".//org.jenkinsci.plugins.credentialsbinding.impl.StringBinding")
    assert binding is not None
    assert binding.findtext("credentialsId") == "heroku-api"
    assert binding.findtext("variable") == "HEROKU_API_KEY"


def test_the_schedule_discarder_and_sandbox_are_on_the_stable_entry(artifacts):
    chain = "renewal-report-build-test-stage-release"
    versioned = etree.fromstring(_job(artifacts, chain).config_xml)
    assert versioned.find(".//hudson.triggers.TimerTrigger") is None  # versions carry no trigger
    timer = ".//org.jenkinsci.plugins.parameterizedscheduler.ParameterizedTimerTrigger"
    assert versioned.find(timer) is None
    root = etree.fromstring(_stable(artifacts, chain).config_xml)
    assert root.findtext(f"{timer}/parameterizedSpecification") == (
        "H 6 1 * * %CONFLUENCE_PAGE=Renewal reports"
    )
    assert root.findtext(".//daysToKeep") == "400" and root.findtext(".//numToKeep") == "24"
    assert root.findtext("definition/sandbox") == "true"


@pytest.mark.slow
def test_every_script_compiles_with_groovys_compiler(tmp_path, example_plan, artifacts):
    # Both modes, all scripts, one JVM.
    test_mode = render(fixed_versions(example_plan), owner="jobs-repo", mode="test")
    scripts = [j.groovy for j in artifacts.jobs + test_mode.jobs if j.groovy is not None]
    scripts += [
        etree.fromstring(a.config_xml).findtext("definition/script")
        for a in artifacts.aliases
        if a.stable and a.stable.watch is None
    ]
    assert len(scripts) > 10
    result = compile_scripts(scripts, tmp_path)
    assert result.returncode == 0, result.stderr


def test_callees_in_other_folders_are_reached_relatively(example_plan):
    caller = example_plan.by_name()["frontend-qa-release"]
    assert reference(caller, "frontend/frontend-build-v1-abc") == "frontend-build-v1-abc"
    assert reference(caller, "teams-api/teams-api-qa-release-v2-def") == (
        "../teams-api/teams-api-qa-release-v2-def"
    )


def test_entry_points_and_environment_releases_get_aliases(artifacts):
    aliases = {alias.full_name: alias for alias in artifacts.aliases}
    assert "model-processing/process_model" in aliases
    assert "frontend/frontend-qa-release" in aliases
    assert "frontend/frontend-build-test" in aliases  # the chain the watcher starts
    assert "frontend/frontend-build-test-stage" not in aliases
    alias = aliases["model-processing/process_model"]
    assert alias.target == "model-processing/process_model-v3-abc1234"
    root = etree.fromstring(alias.config_xml)
    assert "build(job: 'process_model-v3-abc1234'" in root.findtext("definition/script")
    names = [p.findtext("name") for p in root.iter("hudson.model.StringParameterDefinition")]
    assert names[:2] == ["SOURCE_S3_FILE_PATH", "RESULT_S3_FILE_PATH"]
    assert parse_marker(root.findtext("description")).sha256 == alias.config_sha256
