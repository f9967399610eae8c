"""A component folder's `current` view names its stable jobs and the versions they run.

hudson.model.ListView (jenkins ff9430ee1d, core/src/main/java/hudson/model/ListView.java):
`jobNames` is a TreeSet in String.CASE_INSENSITIVE_ORDER (:88) of names relative to the
view's owner (:290, :301); getItems lists the named items that exist (:243-249), then those
the includeRegex matches (:252-256). XStream reads the TreeSet's order from its
`<comparator>` element, natural (case-sensitive) order without one; Jenkins writes
`java.lang.String$CaseInsensitiveComparator` (test/src/test/resources/hudson/cli/view.xml:8),
a class its XStream filter allows (core/src/main/resources/jenkins/security/
whitelisted-classes.txt:48). See docs/jenkins-facts.md, view16.
"""

from __future__ import annotations

from lxml import etree

from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.plan.specs import FolderSpec
from jobgen.plan.views import STABLE_ONLY, is_listed
from jobgen.render.folder_xml import stamped_folder
from jobgen.render.renderer import render
from tests.jobgen.render.renderer_test import fixed_versions
from tests.repos import EXAMPLES

COMPARATOR = "java.lang.String$CaseInsensitiveComparator"
# The example's frontend: its stable jobs, and the chains they run with the workers those call
# (the suffixes after `frontend-`); chains no stable job runs (build-test-stage...) are left out.
FRONTEND_STABLE = {
    "frontend-build-test",
    "frontend-integration-test",
    "frontend-production-release",
    "frontend-qa-release",
    "frontend-release",
    "frontend-watch",
}
FRONTEND_RUNS = ("build", "build-test", "integration-test", "production-release", "qa-release")
FRONTEND_RUNS += ("release", "stage", "test")


def _compiled():  # type: ignore[no-untyped-def]
    planned = plan(load([EXAMPLES]).repo).plan
    return planned, render(fixed_versions(planned), owner="o")


def test_the_view_lists_exactly_the_stable_jobs_and_the_current_versions():
    planned, rendered = _compiled()
    folder = next(j for j in rendered.jobs if j.full_name == "frontend")
    (view,) = etree.fromstring(folder.config_xml).iterfind(
        "folderViews/views/hudson.model.ListView"
    )
    assert view.find("jobNames/comparator").get("class") == COMPARATOR
    assert view.findtext("includeRegex") == STABLE_ONLY
    named = [s.text for s in view.iterfind("jobNames/string")]
    assert named == sorted(named, key=str.lower)  # as Jenkins saves the TreeSet
    # What a person opening the folder sees: every item of the folder the view takes.
    items = [j.deployed_name for j in rendered.jobs if j.job.folder == "frontend"]
    items += [a.name for a in rendered.aliases if a.stable and a.stable.folder == "frontend"]
    seen = {name for name in items if name in named or is_listed(name)}
    assert {s.name for s in planned.stable if s.folder == "frontend"} == FRONTEND_STABLE
    assert seen == FRONTEND_STABLE | {f"frontend-{name}-v3-abc1234" for name in FRONTEND_RUNS}
    assert set(named) <= set(items)  # no name of a job the folder does not hold
    assert "frontend-build-test-stage-v3-abc1234" in items  # a version no stable job runs


def test_a_folder_rendered_for_rollback_is_the_compiled_folder_for_the_same_versions():
    _, rendered = _compiled()
    for folder in (j for j in rendered.jobs if isinstance(j.job.spec, FolderSpec)):
        if not folder.job.spec.current_view:
            continue
        current = [f"{folder.full_name}/{n}-v3-abc1234" for n in folder.job.spec.current]
        config, sha = stamped_folder(folder.job, folder.full_name, "o", current)
        assert (config, sha) == (folder.config_xml, folder.config_sha256)
