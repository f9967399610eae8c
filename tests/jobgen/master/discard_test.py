"""Build discarders: LogRotator counts and days, run after each build and on the clock."""

import jenkins

from jobgen.master import EmbeddedMaster
from tests.jobgen.master.support import build_number

DAY = 24 * 3600


def _job(days: int | None, builds: int | None, remove_last: bool = False) -> str:
    fields = ""
    if days is not None:
        fields += f"<daysToKeep>{days}</daysToKeep>"
    if builds is not None:
        fields += f"<numToKeep>{builds}</numToKeep>"
    fields += f"<removeLastBuild>{str(remove_last).lower()}</removeLastBuild>"
    return (
        "<?xml version='1.1' encoding='UTF-8'?><project><properties>"
        '<jenkins.model.BuildDiscarderProperty><strategy class="hudson.tasks.LogRotator">'
        f"{fields}</strategy></jenkins.model.BuildDiscarderProperty></properties></project>"
    )


def _run(server: jenkins.Jenkins, master: EmbeddedMaster, name: str, result: str) -> int:
    master.set_result(name, result)
    number = build_number(server, server.build_job(name))
    assert master.wait_idle()
    return number


def _numbers(server: jenkins.Jenkins, name: str) -> list[int]:
    return [b["number"] for b in server.get_job_info(name)["builds"]]


def test_counts_keep_the_newest_builds_and_the_last_successful(server, master):
    # jenkins LogRotator.perform: numToKeep skips the newest N; shouldKeepRun keeps the
    # last successful and last stable build. GlobalBuildDiscarderListener runs it after
    # every build.
    server.create_job("counted", _job(days=-1, builds=2))
    results = ["SUCCESS", "FAILURE", "FAILURE", "FAILURE"]
    numbers = [_run(server, master, "counted", r) for r in results]
    assert _numbers(server, "counted") == [numbers[3], numbers[2], numbers[0]]
    assert server.get_job_info("counted")["lastSuccessfulBuild"]["number"] == numbers[0]
    assert not (master.home / "jobs" / "counted" / "builds" / str(numbers[1])).exists()


def test_days_discard_old_builds_when_the_clock_moves_on(server, master):
    # LogRotator.perform: builds older than daysToKeep go, oldest first, up to the first
    # young one; BackgroundGlobalBuildDiscarder sweeps every job hourly.
    server.create_job("dated", _job(days=3, builds=-1, remove_last=True))
    old = [_run(server, master, "dated", "SUCCESS") for _ in range(2)]
    master.advance_clock(2 * DAY)
    young = _run(server, master, "dated", "FAILURE")
    assert _numbers(server, "dated") == [young, *reversed(old)]
    master.advance_clock(1.5 * DAY)  # the first two are now 3.5 days old
    assert _numbers(server, "dated") == [young]
    master.advance_clock(2 * DAY)
    assert _numbers(server, "dated") == []
    assert server.get_job_info("dated")["nextBuildNumber"] == young + 1


def test_a_missing_days_to_keep_is_zero(server, master):
    # LogRotator.daysToKeep is a primitive int without readResolve: absent, XStream leaves
    # it 0, so every build but the kept ones is older than the limit at the next sweep.
    server.create_job("zero", _job(days=None, builds=-1))
    _run(server, master, "zero", "FAILURE")
    master.advance_clock(1)
    assert _numbers(server, "zero") == []
