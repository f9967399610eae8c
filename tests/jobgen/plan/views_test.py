"""Each component folder opens on a list view of its stable jobs, whatever deploy switched.

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
from jobgen.plan.views import STABLE_ONLY, is_listed
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
