"""Versions follow templates and defaults: a change renames exactly the jobs that use it."""

from __future__ import annotations

from pathlib import Path

from jobgen.compiler import compile_tree
from tests.repos import commit_all, git

SETTINGS = "jobgen: 0.1.0\nowner: t\ndefaults:\n  retention: {days: 30}\n"
FILES = {
    "_templates/base.yaml": "requirements: {labels: [linux]}\n",
    "_templates/service.yaml": "extends: base\nsteps:\n  build: make\n  test: make test\n",
    "a.yaml": "component: a\nrepo: https://example.com/a.git\nextends: base\n"
    "steps: {build: make a}\n",
    "b.yaml": "component: b\nrepo: https://example.com/b.git\nextends: service\n",
    "c.yaml": "component: c\nrepo: https://example.com/c.git\nsteps: {build: make c}\n",
}


def _repo(root: Path) -> Path:
    (root / "jobgen.yaml").write_text(SETTINGS, "utf-8")
    for name, text in FILES.items():
        path = root / "components" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "start")
    return root / "components"


def _names(components: Path) -> dict[tuple[str, str], str]:
    """(component, common name) -> deployed name, for every versioned job."""
    result = compile_tree(components)
    assert result.artifacts is not None, result.diagnostics
    jobs = result.artifacts.jobs
    return {(r.job.component, r.job.name): r.deployed_name for r in jobs if r.job.kind != "folder"}


def _renamed(components: Path, path: str, text: str) -> set[str]:
    before = _names(components)
    (components / path).write_text(text, "utf-8")
    commit_all(components.parent, f"edit {path}")
    after = _names(components)
    renamed = {key for key in after if after[key] != before.get(key)}
    components_renamed = {component for component, _ in renamed}
    # Every job of a component that uses the file is renamed (they all render from it).
    assert renamed == {key for key in after if key[0] in components_renamed}
    return components_renamed


def test_changing_a_template_renames_exactly_the_jobs_that_use_it(tmp_path: Path) -> None:
    components = _repo(tmp_path)
    service = "extends: base\nsteps:\n  build: make\n  test: make check\n"
    assert _renamed(components, "_templates/service.yaml", service) == {"b"}
    # base is used by a directly and by b through service.
    base = "requirements: {labels: [linux, x64]}\n"
    assert _renamed(components, "_templates/base.yaml", base) == {"a", "b"}


def test_changing_the_defaults_renames_every_component(tmp_path: Path) -> None:
    components = _repo(tmp_path)
    settings = SETTINGS.replace("days: 30", "days: 31")
    (tmp_path / "jobgen.yaml").write_text(settings, "utf-8")
    before = _names(components)
    commit_all(tmp_path, "defaults")
    after = _names(components)
    assert {n for n in after if after[n] != before[n]} == set(after)
