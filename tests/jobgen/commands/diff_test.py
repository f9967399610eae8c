"""`jobgen diff` shows what a deploy changes, line by line, and nothing secret."""

import json

import pytest

from jobgen.main import main
from tests.masters import TOKEN, USER, python_jenkins
from tests.repos import commit_all


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("JOBGEN_USER", USER)
    monkeypatch.setenv("JOBGEN_TOKEN", TOKEN)


def _run(command: str, components, url: str, *extra: str) -> int:  # type: ignore[no-untyped-def]
    return main([command, "-c", str(components), "--url", url, *extra])


def test_a_new_version_is_shown_as_the_diff_from_the_version_it_replaces(
    master, components, capsys
):
    assert _run("deploy", components, master.url) == 0
    server = python_jenkins(master)
    [old] = [j["fullname"] for j in server.get_all_jobs() if "frontend-test-v" in j["fullname"]]
    path = components / "frontend.yaml"
    path.write_text(path.read_text().replace("test: npm test\n", "test: npm run test:unit\n"))
    commit_all(components.parent, "frontend: unit tests only")
    capsys.readouterr()
    assert _run("diff", components, master.url, "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    [replaced] = [r for r in report["replaced"] if r["replaces"] == old]
    assert replaced["job"] in report["create"] and replaced["job"] != old
    removed = [line for line in replaced["diff"].splitlines() if line.startswith("-")]
    added = [line for line in replaced["diff"].splitlines() if line.startswith("+")]
    assert any("npm test" in line for line in removed)
    assert any("npm run test:unit" in line for line in added)
    assert _run("diff", components, master.url) == 1
    text = capsys.readouterr().out
    assert f"changed {replaced['job']} (replaces {old})" in text and "+" in text


def test_diff_never_prints_a_secret_it_read_from_the_master(master, components, capsys):
    assert _run("deploy", components, master.url) == 0
    server = python_jenkins(master)
    [name] = [j["fullname"] for j in server.get_all_jobs() if "frontend-test-v" in j["fullname"]]
    config = server.get_job_config(name)
    secret = "s3cr3t-build-token-0123456789"
    encrypted = "{AQAAABAAAAAQ5YwQm2n8pZ0fOa7Jx1yP1Q==}"
    edited = config.replace(
        "<description>",
        f"<authToken>{secret}</authToken><password>{encrypted}</password><description>",
        1,
    )
    server.reconfig_job(name, edited)
    capsys.readouterr()
    assert _run("diff", components, master.url) == 1
    out = capsys.readouterr().out
    assert f"drifted {name}" in out and "<authToken>****</authToken>" in out
    assert secret not in out and encrypted not in out


def test_deploy_diff_and_prune_print_urls_without_their_userinfo(master, components, capsys):
    url = master.url.replace("http://", f"http://{USER}:hunter2-token@")
    assert _run("deploy", components, url) == 0
    assert _run("diff", components, url) == 0
    assert _run("prune", components, url) == 0
    unreachable = "http://someone:hunter2-token@127.0.0.1:9/"
    for command in ("deploy", "diff", "prune"):
        assert _run(command, components, unreachable) != 0
    out, err = capsys.readouterr()
    assert "hunter2" not in out + err
    assert f"deployed to {master.url}:" in out
    assert "jobgen diff:" in err
