"""Names change only when content does: each top-level key of jobgen.yaml, changed alone.

Issue 12: adding a target renamed all 47 of 47 jobs. Now each job depends on
the sections of jobgen.yaml its configuration uses (jobgen/plan/settings_inputs.py),
and a commit touches a section only when its value changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from jobgen.compiler import compile_tree
from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.version.versioner import version
from tests.repos import commit_all, git, make_jobs_repo

TARGET = "qa-qa"  # its master runs the self-deploy jobs of qa-test and qa-prod
# The versioned self-deploy jobs; their watcher is a stable job (docs/versions.md), never renamed.
SELF_DEPLOY = {"jobgen-deploy-qa-test", "jobgen-deploy-qa-prod"}
Edit = Callable[[dict[str, object]], None]


def _compiled(root: Path) -> dict[str, tuple[str, bytes]]:
    result = compile_tree(root / "components", target=TARGET)
    assert result.artifacts is not None, result.diagnostics
    return {r.job.name: (r.deployed_name, r.config_xml) for r in result.artifacts.jobs}


def _edit(root: Path, change: Edit) -> None:
    path = root / "jobgen.yaml"
    doc = yaml.safe_load(path.read_text("utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    commit_all(root, "settings")


@contextmanager
def _undone(root: Path) -> Iterator[None]:
    """Whatever is committed inside is reset afterwards: each case starts from the base."""
    head = git(root, "rev-parse", "HEAD").strip()
    try:
        yield
    finally:
        git(root, "reset", "-q", "--hard", head)


def _add_target(doc: dict[str, object]) -> None:
    targets = doc["targets"]
    assert isinstance(targets, dict)
    targets["qa-stage"] = {
        "url": "https://jenkins-qa-stage.example.com/",
        "deployer": TARGET,
        "after": "qa-test",
        "credentials": "qa-stage-jenkins-deploy",
    }


def _set(key: str, value: object) -> Edit:
    return lambda doc: doc.__setitem__(key, value)


# key changed -> the common names whose deployed name must change (None: every job).
CASES: dict[str, tuple[Edit, set[str] | None]] = {
    "owner": (_set("owner", "another-owner"), None),  # the ownership marker is in every config
    "repository": (
        _set("repository", {"url": "https://example.com/jobs.git", "branch": "main"}),
        SELF_DEPLOY,
    ),
    # A new target renames the self-deploy job that now starts it; no component's job (and
    # not the watcher: a stable job starting the stable qa-test job).
    "targets": (_add_target, {"jobgen-deploy-qa-test"}),
    # A master deployed by hand (no deployer): no job of this master depends on it.
    "targets (by hand)": (
        lambda doc: doc["targets"].__setitem__("dev", {"url": "https://dev.example.com/"}),  # type: ignore[index]
        set(),
    ),
    "external_jobs": (_set("external_jobs", ["legacy/deploy-db"]), set()),
    "defaults": (_set("defaults", {"retention": {"days": 90}}), "components"),  # type: ignore[dict-item]
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, bytes]]]:
    root = tmp_path_factory.mktemp("sections")
    make_jobs_repo(root)
    _edit(root, lambda doc: doc.setdefault("external_jobs", []))  # every key present once
    return root, _compiled(root)


@pytest.mark.parametrize("key", sorted(CASES))
def test_changing_one_key_renames_only_the_jobs_that_use_it(
    key: str, base: tuple[Path, dict[str, tuple[str, bytes]]]
) -> None:
    root, before = base
    change, expected = CASES[key]
    with _undone(root):
        _edit(root, change)
        after = _compiled(root)
    # Folders keep their plain names (they are updated in place): versioned jobs only.
    common = {n for n in before.keys() & after.keys() if before[n][0] != n}
    renamed = {n for n in common if before[n][0] != after[n][0]}
    if expected is None:
        expected = common
    elif expected == "components":
        expected = common - SELF_DEPLOY
    assert renamed == expected, f"{key}: {len(renamed)} of {len(common)} renamed"
    # The other direction, immutability: a job that kept its name kept its bytes.
    changed = {n for n in common - renamed if before[n][1] != after[n][1]}
    assert changed == set()


def test_changing_the_pin_renames_every_job(
    base: tuple[Path, dict[str, tuple[str, bytes]]],
) -> None:
    # The pin must match the running jobgen to compile, so this goes phase by phase.
    root, before = base
    with _undone(root):
        _edit(root, _set("jobgen", "0.0.9"))
        loaded = load([root / "components"])
        versioned = version(plan(loaded.repo, TARGET).plan, root)
    renamed = {
        n for n, v in versioned.versions.items() if n in before and v.deployed_name != before[n][0]
    }
    assert renamed == {n for n in before if versioned.versions[n].deployed_name != n}


def test_a_comment_or_reformatting_renames_nothing(
    base: tuple[Path, dict[str, tuple[str, bytes]]],
) -> None:
    root, before = base
    with _undone(root):
        path = root / "jobgen.yaml"
        path.write_text("# a comment\n" + path.read_text("utf-8") + "\n\n", "utf-8")
        commit_all(root, "comment")
        after = _compiled(root)
    assert {n: v[0] for n, v in after.items()} == {n: v[0] for n, v in before.items()}


def test_an_uncommitted_settings_edit_makes_only_its_users_dirty(
    base: tuple[Path, dict[str, tuple[str, bytes]]],
) -> None:
    root, _ = base
    path = root / "jobgen.yaml"
    original = path.read_text("utf-8")
    try:
        path.write_text(original.replace("https://github.com/somesite/", "https://x/"), "utf-8")
        after = _compiled(root)
    finally:
        path.write_text(original, "utf-8")
    dirty = {n for n, (name, _) in after.items() if "-dirty" in name}
    assert dirty == SELF_DEPLOY
