import json

from jobgen.load.loader import load
from jobgen.main import main
from jobgen.plan.planner import plan
from tests.repos import commit_all, make_jobs_repo


def _callers_closure(components, names):  # type: ignore[no-untyped-def]
    """Every job that calls one of `names`, directly or through others."""
    jobs = plan(load([components]).repo).plan.jobs
    found = set(names)
    grew = True
    while grew:
        grew = False
        for job in jobs:
            if job.name not in found and any(c.target in found for c in job.calls):
                found.add(job.name)
                grew = True
    return found


def test_a_commit_to_one_component_affects_its_jobs_and_their_callers(tmp_path, capsys):
    components = make_jobs_repo(tmp_path)
    path = components / "teams-api.yaml"
    path.write_text(path.read_text().replace("python -m pytest -q\n", "python -m pytest -q -x\n"))
    commit_all(tmp_path, "teams-api: stop at the first failure")
    code = main(["affected", "-c", str(components), "--since", "HEAD~1", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    names = {job["name"] for job in report["jobs"]}
    own = {j.name for j in plan(load([components]).repo).plan.jobs if j.component == "teams-api"}
    own.discard("teams-api")  # the folder is not versioned
    assert own <= names
    assert names == _callers_closure(components, own)
    assert "renewal-report" not in report["components"]
    assert "model-processing" not in report["components"]
    assert all(job["before"] != job["after"] for job in report["jobs"])


def test_nothing_is_affected_by_a_commit_outside_the_inputs(tmp_path, capsys):
    components = make_jobs_repo(tmp_path)
    (tmp_path / "NOTES.md").write_text("unrelated\n")
    commit_all(tmp_path, "notes")
    assert main(["affected", "-c", str(components), "--since", "HEAD~1"]) == 0
    assert capsys.readouterr().out == "no job changed since HEAD~1\n"


def test_an_unknown_revision_is_a_usage_error(tmp_path, capsys):
    components = make_jobs_repo(tmp_path)
    assert main(["affected", "-c", str(components), "--since", "no-such-rev"]) == 2
    assert "no-such-rev" in capsys.readouterr().err


def test_a_template_edit_affects_exactly_the_components_that_extend_it(tmp_path, capsys):
    components = make_jobs_repo(tmp_path)
    template = components / "_templates" / "core-service.yaml"
    template.write_text(template.read_text().replace("branch: main", "branch: trunk"))
    commit_all(tmp_path, "the core-system services build from trunk")
    assert main(["affected", "-c", str(components), "--since", "HEAD~1", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    users = {"frontend", "platform-api", "teams-api"}  # `extends: core-service`
    own = {j.name for j in plan(load([components]).repo).plan.jobs if j.component in users}
    own -= users  # folders are not versioned
    assert {job["name"] for job in report["jobs"]} == _callers_closure(components, own)
    assert set(report["components"]) == users


def test_errors_of_head_name_the_repositorys_files_not_a_temporary_checkout(
    tmp_path, capsys, monkeypatch
):
    components = make_jobs_repo(tmp_path)
    path = components / "teams-api.yaml"
    path.write_text(path.read_text().replace("component: teams-api", "component: Teams API"))
    commit_all(tmp_path, "a bad name")
    monkeypatch.chdir(tmp_path)
    assert main(["affected", "--since", "HEAD~1"]) == 1
    err = capsys.readouterr().err
    assert "components/teams-api.yaml:1:" in err
    assert "jobgen-rev-" not in err and "/tmp" not in err
