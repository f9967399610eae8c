"""`jobgen prune` touches only what this repository made, under the name it made it."""

import time
from pathlib import Path

import pytest
import requests

from jobgen.main import main
from jobgen.render.marker import parse_marker
from tests.masters import TOKEN, USER, python_jenkins, writes
from tests.repos import commit_all, git, make_jobs_repo

DAY_MS = 24 * 3600 * 1000


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("JOBGEN_USER", USER)
    monkeypatch.setenv("JOBGEN_TOKEN", TOKEN)


def _run(command: str, components: Path, master, *extra: str) -> int:  # type: ignore[no-untyped-def]
    return main([command, "-c", str(components), "--url", master.url, *extra])


def _two_versions(components: Path, master) -> list[str]:  # type: ignore[no-untyped-def]
    """Deploy, then touch renewal-report and deploy twice: the v1 jobs are neither current nor
    what a stable job ran just before (rollback's target, which prune keeps)."""
    server = python_jenkins(master)
    assert _run("deploy", components, master) == 0
    first = {j["fullname"] for j in server.get_all_jobs()}
    path = components / "renewal-report.yaml"
    for touch in ("touched", "touched again"):
        path.write_text(path.read_text() + f"# {touch}\n")
        commit_all(components.parent, f"renewal-report: {touch}")
        assert _run("deploy", components, master) == 0
    return sorted(n for n in first if n.startswith("renewal-report/renewal-report-build-v"))


def _age(master, *names: str) -> None:  # type: ignore[no-untyped-def]
    for name in names:
        master.set_last_build_time(name, int(time.time() * 1000) - 30 * DAY_MS)


def test_a_copy_made_by_hand_on_the_master_is_not_ours(master, components):
    [old] = _two_versions(components, master)
    # "Copy from" on the master: POST createItem?name=NEW&mode=copy&from=OLD, which copies
    # config.xml byte for byte, marker included (docs/jenkins-facts.md, ownership: copy).
    folder = master.url + "job/renewal-report/"
    answer = requests.post(
        folder + "createItem",
        params={"name": "my-copy", "mode": "copy", "from": old.rpartition("/")[2]},
        auth=(USER, TOKEN),
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text
    server = python_jenkins(master)
    copy = "renewal-report/my-copy"
    assert parse_marker(server.get_job_info(copy)["description"]) is not None  # it inherited it
    _age(master, old, copy)
    assert _run("prune", components, master) == 0
    names = {j["fullname"] for j in server.get_all_jobs()}
    assert old not in names  # ours, stale: gone
    assert copy in names  # a marker naming another item: foreign, kept


def test_a_marker_line_that_is_not_the_first_line_is_plain_text(master, components):
    [old] = _two_versions(components, master)
    server = python_jenkins(master)
    lines = server.get_job_info(old)["description"].split("\n")
    marker_of_old = next(line for line in lines if line.startswith("[jobgen] "))
    forged = {
        # The marker line of a real job of ours, below the first line.
        "renewal-report/notes": f"my own job\n{marker_of_old.replace(old, 'renewal-report/notes')}",
        # First line, but naming another item (pasted from the job it was modelled on).
        "renewal-report/pasted": marker_of_old,
    }
    for name, description in forged.items():
        server.create_job(name, f"<project><description>{description}</description></project>")
    _age(master, old, *forged)
    before = len(writes(master))
    assert _run("prune", components, master) == 0
    names = {j["fullname"] for j in server.get_all_jobs()}
    assert set(forged) <= names and old not in names
    assert [w for w in writes(master)[before:] if "notes" in w or "pasted" in w] == []


def test_a_repository_folder_named_with_spaces_owns_its_jobs(master, tmp_path):
    components = make_jobs_repo(tmp_path / "my jobs repo")
    settings = components.parent / "jobgen.yaml"
    settings.write_text(settings.read_text().replace("owner: somesite-jobs\n", ""))
    git(components.parent, "commit", "-qam", "no owner: the folder name is the owner")
    [old] = _two_versions(components, master)  # the second deploy recognises the first's jobs
    _age(master, old)
    assert _run("prune", components, master) == 0
    assert not python_jenkins(master).job_exists(old)


def test_prune_does_nothing_when_the_load_had_errors(master, components, capsys):
    [old] = _two_versions(components, master)
    _age(master, old)
    (components / "frontend.yaml").write_text("frontend: [unclosed\n")
    before = len(writes(master))
    assert _run("prune", components, master) == 1
    assert writes(master)[before:] == []
    assert python_jenkins(master).job_exists(old)
    assert "frontend.yaml:" in capsys.readouterr().err
