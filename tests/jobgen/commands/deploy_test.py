"""The deploy family of commands end to end: a real jobs repository, the embedded master, HTTP."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from lxml import etree

from jobgen.main import main
from jobgen.master.requestlog import Record
from jobgen.render.aliases import alias_state
from tests.masters import TOKEN, USER, python_jenkins, writes
from tests.repos import commit_all

DAY_MS = 24 * 3600 * 1000


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("JOBGEN_USER", USER)
    monkeypatch.setenv("JOBGEN_TOKEN", TOKEN)


def _run(*args: str) -> int:
    return main(list(args))


def _deploy(components, master) -> int:  # type: ignore[no-untyped-def]
    return _run("deploy", "-c", str(components), "--url", master.url)


def _bump(components, name: str) -> None:  # type: ignore[no-untyped-def]
    path = components / f"{name}.yaml"
    path.write_text(path.read_text() + "# a commit that touches the file\n")
    commit_all(components.parent, f"{name}: touched")


def test_diff_says_what_deploy_would_do_and_nothing_after_it(master, components, capsys):
    assert _run("diff", "-c", str(components), "--url", master.url) == 1
    assert "create  frontend/frontend-build-v1-" in capsys.readouterr().out
    assert _deploy(components, master) == 0
    capsys.readouterr()
    assert _run("diff", "-c", str(components), "--url", master.url) == 0
    assert capsys.readouterr().out.startswith("nothing to do")


def test_diff_reports_an_edit_on_the_master_but_not_a_resave(master, components, capsys):
    assert _deploy(components, master) == 0
    server = python_jenkins(master)
    name = next(j["fullname"] for j in server.get_all_jobs() if "frontend-test-v1" in j["fullname"])
    config = server.get_job_config(name)
    # As Jenkins saves it: version 1.1, plugin attributes, its own indentation between elements.
    root = etree.fromstring(config.encode(), etree.XMLParser(remove_blank_text=True))
    root.set("plugin", "core@2.479")
    body = etree.tostring(root, encoding="unicode")
    resaved = "<?xml version='1.1' encoding='UTF-8'?>\n" + body
    server.reconfig_job(name, resaved)
    capsys.readouterr()
    assert _run("diff", "-c", str(components), "--url", master.url) == 0
    server.reconfig_job(name, config.replace("npm test", "npm test || true"))
    capsys.readouterr()
    assert _run("diff", "-c", str(components), "--url", master.url, "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    [drift] = report["drifted"]
    assert drift["job"] == name
    assert "-npm test || true" in drift["diff"] and "+npm test" in drift["diff"]


def test_diff_of_an_unreachable_master_exits_2(components, capsys):
    assert _run("diff", "-c", str(components), "--url", "http://127.0.0.1:9/") == 2
    assert "jobgen diff:" in capsys.readouterr().err


def test_prune_keeps_latest_running_and_foreign_and_deletes_the_old(master, components, capsys):
    assert _deploy(components, master) == 0
    server = python_jenkins(master)
    old = sorted(
        j["fullname"] for j in server.get_all_jobs() if j["fullname"].startswith("renewal-report/")
    )
    # Two deploys later v1 is not even rollback's target (v2 is): prune may consider it.
    for _ in range(2):
        _bump(components, "renewal-report")
        assert _deploy(components, master) == 0
    first = {n.split("/")[-1].split("-v1-")[0]: n for n in old if "-v1-" in n}
    # A running job keeps what it calls (the keep-set): the running test copies the build's
    # files (`uses: [build]`), so the v1 build stays with it; nothing running calls release.
    build, release, running = (
        first[f"renewal-report-{job}"] for job in ("build", "release", "test")
    )
    now = int(time.time() * 1000)
    master.set_last_build_time(build, now - 8 * DAY_MS)  # stale, but the running test needs it
    master.set_last_build_time(release, now - 8 * DAY_MS)  # stale: goes
    master.set_result(running, "SUCCESS", delay=30)  # running: stays
    server.build_job(running, {"GIT_HASH": ""})
    foreign = "renewal-report/made-elsewhere"
    server.create_job(
        foreign,
        "<project><description>[jobgen] owner=another-repo name=x component=y sha256="
        "</description></project>",
    )
    master.set_last_build_time(foreign, now - 30 * DAY_MS)
    deadline = time.monotonic() + 5
    while not server.get_job_info(running)["lastBuild"] and time.monotonic() < deadline:
        time.sleep(0.02)
    capsys.readouterr()
    assert _run("prune", "-c", str(components), "--url", master.url, "--dry-run") == 0
    assert (
        f"would delete {release}: not in the current set, last run 8 days ago"
        in capsys.readouterr().out
    )
    assert server.job_exists(release)
    assert _run("prune", "-c", str(components), "--url", master.url) == 0
    remaining = {j["fullname"] for j in server.get_all_jobs()}
    assert release not in remaining
    assert {running, build, foreign} <= remaining
    latest = [n for n in remaining if n.startswith("renewal-report/renewal-report-build-v2-")]
    assert latest


def test_rollback_points_the_switched_aliases_back(master, components, capsys):
    assert _deploy(components, master) == 0
    server = python_jenkins(master)
    first = alias_state(server.get_job_info("model-processing/process_model")["description"])
    untouched = alias_state(server.get_job_info("frontend/frontend-qa-release")["description"])
    _bump(components, "model-processing")
    assert _deploy(components, master) == 0
    second = alias_state(server.get_job_info("model-processing/process_model")["description"])
    assert second.target != first.target and second.previous == first.target
    assert _run("rollback", "-c", str(components), "--url", master.url) == 0
    assert "model-processing/process_model -> " in capsys.readouterr().out
    back = alias_state(server.get_job_info("model-processing/process_model")["description"])
    assert back.target == first.target
    assert first.target.rpartition("/")[2] in server.get_job_config(
        "model-processing/process_model"
    )
    # An alias the last deploy did not switch stays where it was.
    again = alias_state(server.get_job_info("frontend/frontend-qa-release")["description"])
    assert again.target == untouched.target


def test_a_deploy_killed_midway_leaves_a_usable_master_and_a_rerun_finishes(master, components):
    env = {**os.environ, "JOBGEN_USER": USER, "JOBGEN_TOKEN": TOKEN}
    command = [sys.executable, "-m", "jobgen", "deploy", "-c", str(components), "--url", master.url]
    # The 12th create is made, then its answer is held until the deploy is killed: midway
    # whatever the load (a loop polling the log could wake after a fast deploy ended).
    reached, release, created_so_far = threading.Event(), threading.Event(), []

    def hold_the_twelfth(record: Record) -> None:
        if record.method == "POST" and "createItem" in record.path:
            created_so_far.append(record)
            if len(created_so_far) >= 12:
                reached.set()
                release.wait(30)

    master.state.log.listener = hold_the_twelfth
    process = subprocess.Popen([*command, "--workers", "1"], env=env, stderr=subprocess.DEVNULL)
    reached.wait(30)
    process.kill()
    process.wait()
    release.set()
    created = sum("createItem" in w for w in writes(master))
    assert 12 <= created < 51 + 6  # stopped partway
    server = python_jenkins(master)
    assert server.get_all_jobs()  # the master answers and lists what exists
    assert _deploy(components, master) == 0
    before = len(writes(master))
    assert _deploy(components, master) == 0
    assert writes(master)[before:] == []


def test_uncommitted_jobs_are_refused_unless_allowed(master, components, capsys):
    script = components / "model-processing" / "inspect_manifold.bash"
    script.write_text(script.read_text() + "echo uncommitted\n")
    assert _deploy(components, master) == 1
    err = capsys.readouterr().err
    assert "uncommitted inputs" in err and "inspect_manifold" in err and "--allow-dirty" in err
    assert writes(master) == []
    assert _run("deploy", "-c", str(components), "--url", master.url, "--allow-dirty") == 0
    dirty = [
        j["fullname"] for j in python_jenkins(master).get_all_jobs() if "-dirty" in j["fullname"]
    ]
    assert any("inspect_manifold-v1-dirty" in name for name in dirty)


def test_prune_can_disable_instead_of_deleting(master, components, capsys):
    assert _deploy(components, master) == 0
    server = python_jenkins(master)
    old = [
        j["fullname"] for j in server.get_all_jobs() if "renewal-report-build-v1-" in j["fullname"]
    ]
    for _ in range(2):  # v1 is then neither current nor rollback's target
        _bump(components, "renewal-report")
        assert _deploy(components, master) == 0
    master.set_last_build_time(old[0], int(time.time() * 1000) - 9 * DAY_MS)
    capsys.readouterr()
    assert _run("prune", "-c", str(components), "--url", master.url, "--disable") == 0
    assert f"disabled {old[0]}" in capsys.readouterr().out
    assert server.job_exists(old[0])
    assert server.get_job_info(old[0])["disabled"] is True
    before = len(writes(master))
    assert _run("prune", "-c", str(components), "--url", master.url, "--disable") == 0
    assert writes(master)[before:] == []  # already disabled: nothing to do


def test_deploy_says_it_trusted_the_hashes_and_verify_refuses_a_hand_edit(
    master, components, capsys
):
    assert _deploy(components, master) == 0
    server = python_jenkins(master)
    name = next(j["fullname"] for j in server.get_all_jobs() if "frontend-test-v1" in j["fullname"])
    server.reconfig_job(name, server.get_job_config(name).replace("npm test", "npm test || true"))
    capsys.readouterr()
    assert _deploy(components, master) == 0
    assert "unchanged (recorded hashes trusted, see --verify)" in capsys.readouterr().out
    assert _run("deploy", "-c", str(components), "--url", master.url, "--verify") == 1
    assert f"drift: these versioned jobs differ from what this commit compiles to: {name}" in (
        capsys.readouterr().err
    )
    assert _run("deploy", "-c", str(components), "--url", master.url, "--force") == 0
    assert "1 recreated" in capsys.readouterr().out
    assert _run("deploy", "-c", str(components), "--url", master.url, "--verify") == 0
    assert "0 recreated, 50 unchanged (every config read)" in capsys.readouterr().out
