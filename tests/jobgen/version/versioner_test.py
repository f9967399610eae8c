"""Properties of versions, each on a real temporary git repository."""

from pathlib import Path

import pytest

from jobgen.diagnostics import JobgenError, SourcePos
from jobgen.plan.model import Call, Job, Plan
from jobgen.version.versioner import version
from tests.repos import commit_all, git

POS = SourcePos("components/c.yaml", 1, 1)


def _job(name: str, inputs: tuple[str, ...], calls: tuple[str, ...] = (), kind="worker") -> Job:
    return Job(
        name=name,
        component="c",
        kind=kind,
        folder="c",
        template="worker.xml.j2",
        inputs=("jobgen.yaml", *inputs),
        pos=POS,
        calls=tuple(Call(target, POS) for target in calls),
    )


# A worker, an orchestration calling it, one calling that, and an unrelated worker.
PLAN = Plan(
    (
        _job("build", ("components/c.yaml", "components/build.bash", "templates/worker.xml.j2")),
        _job("other", ("components/o.yaml", "templates/worker.xml.j2")),
        _job(
            "chain", ("components/c.yaml", "templates/pipeline.xml.j2"), ("build",), "orchestration"
        ),
        _job(
            "top", ("components/t.yaml", "templates/pipeline.xml.j2"), ("chain",), "orchestration"
        ),
        _job("c", ("components/c.yaml",), kind="folder"),
    )
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {
        "jobgen.yaml": "jobgen: 0.1.0\n",
        "components/c.yaml": "component: c\n",
        "components/o.yaml": "component: o\n",
        "components/t.yaml": "component: t\n",
        "components/build.bash": "make\n",
        "templates/worker.xml.j2": "<project/>\n",
        "templates/pipeline.xml.j2": "<flow-definition/>\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    git(tmp_path, "init", "-q", "-b", "main")
    commit_all(tmp_path, "first")
    return tmp_path


def _names(root: Path) -> dict[str, str]:
    return {name: v.deployed_name for name, v in version(PLAN, root).versions.items()}


def _change(root: Path, path: str, message: str = "change") -> str:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(
        (root / path).read_text() + "# more\n" if (root / path).exists() else "x\n"
    )
    commit_all(root, message)
    return git(root, "rev-parse", "--short=7", "HEAD").strip()


def _bumped(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def test_names_are_name_count_and_newest_commit(repo):
    head = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    names = _names(repo)
    assert names["build"] == f"build-v1-{head}"
    assert names["c"] == "c"  # folders keep their plain name


def test_a_workers_script_bumps_it_and_every_caller_and_nothing_else(repo):
    before = _names(repo)
    sha = _change(repo, "components/build.bash")
    after = _names(repo)
    assert _bumped(before, after) == {"build", "chain", "top"}
    assert after["top"] == f"top-v2-{sha}"


def test_a_commit_to_unrelated_files_bumps_nothing(repo):
    before = _names(repo)
    _change(repo, "README.md")
    assert _names(repo) == before


def test_a_template_change_bumps_exactly_the_jobs_rendered_with_it(repo):
    before = _names(repo)
    _change(repo, "templates/pipeline.xml.j2")
    assert _bumped(before, _names(repo)) == {"chain", "top"}


def test_the_same_commit_always_gives_the_same_names(repo, tmp_path_factory):
    _change(repo, "components/build.bash")
    clone = tmp_path_factory.mktemp("clone") / "jobs"
    git(repo, "clone", "-q", f"file://{repo}", str(clone))
    assert _names(repo) == _names(repo) == _names(clone)


def test_a_renamed_file_keeps_its_history(repo):
    _change(repo, "components/build.bash")
    before = _names(repo)["build"]
    git(repo, "mv", "components/build.bash", "components/build.sh")
    commit_all(repo, "rename")
    renamed = Plan(
        tuple(
            _job("build", ("components/c.yaml", "components/build.sh", "templates/worker.xml.j2"))
            if job.name == "build"
            else job
            for job in PLAN.jobs
        )
    )
    after = version(renamed, repo).versions["build"]
    assert before.startswith("build-v2-") and after.number == 3


def test_uncommitted_inputs_give_a_dirty_name_no_commit_can_have(repo):
    (repo / "components/build.bash").write_text("make all\n")
    versions = version(PLAN, repo).versions
    assert versions["build"].dirty and versions["top"].dirty and not versions["other"].dirty
    assert "-dirty" in versions["build"].deployed_name
    (repo / "components/build.bash").write_text("make everything\n")
    assert version(PLAN, repo).versions["build"].deployed_name != versions["build"].deployed_name


def test_calls_in_a_cycle_share_their_inputs(repo):
    cycle = Plan(
        (
            _job("a", ("components/o.yaml",), ("b",), "orchestration"),
            _job("b", ("components/t.yaml",), ("a",), "orchestration"),
        )
    )
    before = version(cycle, repo).versions
    _change(repo, "components/o.yaml")
    after = version(cycle, repo).versions
    assert before["b"].deployed_name != after["b"].deployed_name
    assert after["a"].number == after["b"].number == 2


def test_not_a_git_repository_is_a_clear_error(tmp_path):
    with pytest.raises(JobgenError) as error:
        version(PLAN, tmp_path)
    assert "not in a git repository" in str(error.value) and "git init" in str(error.value)


def test_a_shallow_clone_says_how_to_fetch_the_history(repo, tmp_path_factory):
    _change(repo, "components/build.bash")
    clone = tmp_path_factory.mktemp("shallow") / "clone"
    git(repo, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    with pytest.raises(JobgenError) as error:
        version(PLAN, clone)
    assert "shallow" in str(error.value) and "git fetch --unshallow" in str(error.value)


def test_a_dirty_callee_makes_every_caller_dirty_and_follows_its_content(repo):
    clean = version(PLAN, repo).versions
    (repo / "components/build.bash").write_text("make all\n")
    first = version(PLAN, repo).versions
    (repo / "components/build.bash").write_text("make everything\n")
    second = version(PLAN, repo).versions
    assert {n for n, v in first.items() if v.dirty} == {"build", "chain", "top"}
    assert first["top"].deployed_name != second["top"].deployed_name
    # N still counts the committed history, so the name says what it was built on.
    assert first["top"].deployed_name.startswith(f"top-v{clean['top'].number}-dirty")
    assert first["other"] == clean["other"]


def test_committing_a_dirty_input_gives_a_committed_name_again(repo):
    (repo / "components/build.bash").write_text("make all\n")
    assert version(PLAN, repo).versions["build"].dirty
    commit_all(repo, "commit it")
    head = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    assert version(PLAN, repo).versions["build"].deployed_name == f"build-v2-{head}"


def test_an_untracked_new_input_is_dirty(repo):
    (repo / "components/new.groovy").write_text("build('x')\n")
    plan = Plan((_job("new", ("components/new.groovy",), kind="orchestration"),))
    assert version(plan, repo).versions["new"].deployed_name.startswith("new-v1-dirty")


def test_a_gitignored_input_is_dirty_because_no_commit_holds_it(repo):
    (repo / ".gitignore").write_text("*.local.bash\n")
    commit_all(repo, "ignore")
    (repo / "components/x.local.bash").write_text("make\n")
    plan = Plan((_job("x", ("components/x.local.bash",)),))
    assert version(plan, repo).versions["x"].dirty


def test_inputs_outside_the_history_count_nothing(repo):
    plan = Plan((_job("x", ("templates/shipped-elsewhere.j2",)),))
    assert version(plan, repo).versions["x"].number == 1  # jobgen.yaml's one commit


def test_calls_to_unknown_jobs_are_left_for_the_planner(repo):
    plan = Plan((_job("x", ("components/o.yaml",), ("no-such-job",), "orchestration"),))
    assert version(plan, repo).versions["x"].number == 1


def test_a_repository_without_commits_is_a_clear_error(tmp_path):
    git(tmp_path, "init", "-q")
    with pytest.raises(JobgenError) as error:
        version(PLAN, tmp_path)
    assert "no commits yet" in str(error.value)


def test_a_folder_keeps_its_plain_name_and_is_never_dirty(repo):
    (repo / "components/c.yaml").write_text("component: c\ndescription: edited\n")
    versions = version(PLAN, repo).versions
    assert versions["build"].dirty and versions["chain"].dirty
    assert versions["c"].deployed_name == "c" and not versions["c"].dirty
