"""Each component folder opens on a list view of its stable jobs and the versions they run.

cloudbees-folder DefaultFolderViewHolder.java:47 views, :52 primaryView, :57 tabBar;
jenkins ListView.java:97 includeRegex (compiled at :144), :102 recurse, matched on the
item's whole name (:255 `includePattern.matcher(itemName).matches()`); columns and job
filters left out take their defaults (:164-174).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from lxml import etree

from jobgen.groovy.runtime import groovy_env, groovy_tool
from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.plan.specs import FolderSpec
from jobgen.plan.views import STABLE_ONLY, closure, is_listed
from jobgen.render.renderer import render
from tests.jobgen.render.renderer_test import fixed_versions
from tests.repos import EXAMPLES

STABLE = ["frontend-build-test", "frontend-qa-release", "frontend-watch", "process_model", "x-v2"]
VERSIONED = [
    "frontend-build-test-v3-abc1234",
    "frontend-qa-release-v12-dirty0f3c9a1",
    "frontend-watch-v1-0123456789abcdef",
]


def test_the_view_lists_stable_names_and_no_version():
    assert [n for n in STABLE + VERSIONED if is_listed(n)] == STABLE


def test_java_reads_the_regex_as_python_does(tmp_path: Path):
    # The master runs java.util.regex, not Python's re: ask real Java (Groovy 2.4.21's JVM).
    script = tmp_path / "match.groovy"
    script.write_text(
        "def p = java.util.regex.Pattern.compile(args[0])\n"
        "args.drop(1).each { println(it + ' ' + p.matcher(it).matches()) }\n"
    )
    result = subprocess.run(
        [groovy_tool(), str(script), STABLE_ONLY, *STABLE, *VERSIONED],
        capture_output=True,
        text=True,
        env=groovy_env(),
        check=True,
    )
    answers = dict(line.rsplit(" ", 1) for line in result.stdout.splitlines())
    assert answers == {n: str(is_listed(n)).lower() for n in STABLE + VERSIONED}


def test_every_component_folder_opens_on_the_view():
    rendered = render(fixed_versions(plan(load([EXAMPLES]).repo).plan), owner="o")
    folders = [job for job in rendered.jobs if job.job.kind == "folder"]
    assert folders
    names = [job.deployed_name for job in rendered.jobs if job.job.kind != "folder"]
    for folder in folders:
        root = etree.fromstring(folder.config_xml)
        holder = root.find("folderViews")
        assert holder.get("class") == (
            "com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder"
        )
        assert holder.findtext("primaryView") == "current"
        (view,) = holder.findall("views/hudson.model.ListView")
        assert view.findtext("name") == "current"
        assert view.findtext("includeRegex") == STABLE_ONLY
        assert view.findtext("recurse") == "false"
        assert holder.findall("views/hudson.model.AllView")  # every version stays reachable
    # Every versioned job this deploy creates is off the view, under any version number.
    assert names and not [n for n in names if is_listed(n)]


def _folders() -> dict[str, FolderSpec]:
    planned = plan(load([EXAMPLES]).repo).plan
    return {j.name: j.spec for j in planned.jobs if isinstance(j.spec, FolderSpec)}


def test_a_folder_names_what_its_stable_jobs_run_and_what_that_calls_in_the_folder():
    folders = _folders()
    # frontend's stable entries run build-test, integration-test, the qa and production
    # releases and release: those chains and the workers they call, every version of each.
    assert folders["frontend"].current == (
        "frontend-build",
        "frontend-build-test",
        "frontend-integration-test",
        "frontend-production-release",
        "frontend-qa-release",
        "frontend-release",
        "frontend-stage",
        "frontend-test",
    )
    # Chains no stable job runs (build-test-stage, qa-stage...) are under All only.
    assert "frontend-build-test-stage" not in folders["frontend"].current
    # A hand-written orchestration's calls count too.
    assert folders["model-processing"].current == (
        "estimate_price",
        "inspect_manifold",
        "measure_size",
        "process_model",
    )


def test_the_closure_stays_in_its_folder():
    calls = {"a": {"b", "other/x"}, "b": {"c"}, "c": set(), "d": {"a"}}
    assert closure(["a"], calls) == {"a", "b", "c"}
    assert closure(["x", "d"], calls) == {"a", "b", "c", "d"}
