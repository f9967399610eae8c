"""Prune when a build discarder removed builds: the embedded master runs LogRotator."""

import jenkins

from jobgen.deploy.prune import stale_on_master
from jobgen.render.marker import Marker, format_marker
from tests.jobgen.master.support import build_number
from tests.masters import client_for, python_jenkins

OWNER = "somesite-jobs"
DAY = 24 * 3600


def _old_job(server: jenkins.Jenkins, name: str, days: int) -> None:
    marker = format_marker(Marker(OWNER, name, name.split("/")[-1], "old"))
    server.create_job(
        name,
        "<?xml version='1.1' encoding='UTF-8'?><project>"
        f"<description>{marker}</description><properties>"
        '<jenkins.model.BuildDiscarderProperty><strategy class="hudson.tasks.LogRotator">'
        f"<daysToKeep>{days}</daysToKeep><numToKeep>100</numToKeep>"
        "</strategy></jenkins.model.BuildDiscarderProperty></properties></project>",
    )


def _run(server, master, name: str, result: str) -> None:
    master.set_result(name, result)
    build_number(server, server.build_job(name))
    assert master.wait_idle()


def test_prune_is_not_fooled_by_discarded_builds(master, artifacts):
    # hudson.tasks.LogRotator.perform deletes builds older than daysToKeep but keeps the
    # last successful one: after that, lastBuild is older than the job's last run.
    server = python_jenkins(master)
    server.create_folder("old")
    _old_job(server, "old/failed-lately", days=3)
    _old_job(server, "old/quiet", days=3)
    _old_job(server, "old/long-gone", days=10)
    _run(server, master, "old/failed-lately", "SUCCESS")
    _run(server, master, "old/quiet", "SUCCESS")
    _run(server, master, "old/long-gone", "FAILURE")
    master.advance_clock(5 * DAY)
    _run(server, master, "old/failed-lately", "FAILURE")  # its last run: 4 days before prune
    master.advance_clock(4 * DAY)
    info = server.get_job_info("old/failed-lately")
    assert info["lastBuild"]["number"] == 1 and info["nextBuildNumber"] == 3  # #2 discarded
    master.advance_clock(2 * DAY)
    assert server.get_job_info("old/long-gone")["lastBuild"] is None
    stale = stale_on_master(
        client_for(master), artifacts, OWNER, keep_days=7, now_ms=master.state.clock.now_ms()
    )
    reasons = {s.full_name: s.reason for s in stale}
    assert "old/failed-lately" not in reasons  # it ran 6 days ago, evidence discarded
    assert reasons["old/quiet"] == "not in the current set, last run 11 days ago"
    # Its discarder ages builds out after 10 days: its last run is older than keep_days.
    assert reasons["old/long-gone"] == "not in the current set, its builds discarded"
    assert "old" not in reasons  # a folder with a kept job stays
