"""Stable jobs over many deploys: one live trigger, continuous history, removed components.

Against the embedded master with pipelines running (tests/lifecycle.py); each
test fails on a design where versioned jobs carry the triggers.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.lifecycle import HASH, Life, living

# The example components: three watchers (frontend, platform-api, teams-api; renewal-report
# has `watch: false`) and one schedule with parameters (renewal-report's monthly report).
ONE_EACH = Counter({"SCMTrigger": 3, "ParameterizedTimerTrigger": 1})


@pytest.mark.slow
def test_one_live_trigger_per_watch_and_schedule_whatever_was_deployed(tmp_path):
    with living(tmp_path) as life:
        life.deploy()
        assert life.triggers() == ONE_EACH
        for component in ("renewal-report", "frontend"):
            life.commit(component)
            life.deploy()
            assert life.triggers() == ONE_EACH  # two versions side by side, one trigger
        life.rollback()
        assert life.triggers() == ONE_EACH
        life.deploy()
        life.prune()
        assert life.triggers() == ONE_EACH
        life.commit("renewal-report", "H 6 1 * *", "H 7 1 * *")
        life.deploy()  # a changed schedule rewrites the stable job: still one trigger
        assert life.triggers() == ONE_EACH


def test_the_watcher_keeps_its_builds_so_a_new_version_does_not_rebuild_old_commits(tmp_path):
    # git-plugin polls against the last build of the polling job (GitSCM
    # compareRemoteRevisionWithImpl: no last build forces an initial build). The watcher is
    # one stable job whose config names no version: a deploy leaves it, and its last build.
    with living(tmp_path) as life:
        life.deploy()
        watcher = "frontend/frontend-watch"
        first = life.run(watcher)
        config = life.server.get_job_config(watcher)
        life.commit("frontend")
        report = life.deploy()
        assert watcher not in report.aliases  # nothing of it changed: not even rewritten
        assert life.server.get_job_config(watcher) == config
        info = life.server.get_job_info(watcher)
        assert info["lastBuild"]["number"] == first["number"]


def test_history_fixed_and_retention_live_on_the_stable_job_across_versions(tmp_path):
    with living(tmp_path) as life:
        life.deploy()
        stable = "frontend/frontend-qa-release"
        params = {"GIT_HASH": HASH}
        broken = next(j.full_name for j in life.compiled().jobs if j.job.name == "frontend-test")
        life.master.set_result(broken, "FAILURE")
        failed = life.run(stable, params)
        assert failed["result"] == "FAILURE"
        assert "mail to frontend-team@example.com" in _version_console(life, stable, failed)
        life.commit("frontend")  # a new version, and the test passes again
        life.deploy()
        fixed = life.run(stable, params)
        assert fixed["result"] == "SUCCESS"
        assert fixed["number"] == failed["number"] + 1  # one history across both versions
        # A new version's first build, yet "fixed": it compares with the stable job's previous
        # build (the failed one, of the older version), which the stable job tells it.
        log = _version_console(life, stable, fixed)
        assert " #1: FIXED" in log
        config = life.server.get_job_config(stable)
        assert "<daysToKeep>3</daysToKeep>" in config and "<numToKeep>200</numToKeep>" in config


def _version_console(life: Life, stable: str, build: dict) -> str:
    """The console of the version's build a stable job's build ran."""
    log = life.console(stable, build["number"])
    line = next(x for x in log.splitlines() if x.startswith("Build ") and " completed" in x)
    full_name, number = line.split()[1], int(line.split()[2].lstrip("#"))
    return life.console(full_name, number)


def test_a_removed_components_stable_jobs_are_disabled_then_pruned_with_what_they_call(tmp_path):
    with living(tmp_path) as life:
        life.deploy()
        life.remove("renewal-report")
        report = life.deploy()
        # Its stable jobs: the scheduled chain (`schedule: {run:}`) and build-test, which a
        # person starts (`watch: false`).
        entry = "renewal-report/renewal-report-build-test-stage-release"
        by_hand = "renewal-report/renewal-report-build-test"
        assert set(report.disabled) == {entry, by_hand}
        assert life.triggers() == Counter({"SCMTrigger": 3, "ParameterizedTimerTrigger": 0})
        assert life.server.job_exists(entry)  # history kept
        deleted = life.prune(keep_days=7)  # even jobs that ran lately: nothing can start them
        assert entry in deleted and by_hand in deleted
        left = [j["fullname"] for j in life.jobs() if str(j["fullname"]).startswith("renewal")]
        assert left == []
        assert not life.server.job_exists("renewal-report")
