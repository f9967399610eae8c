"""A recompile renders only the jobs (and stable jobs) whose render inputs changed; the rest
come from the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.compiler import compile_tree
from jobgen.incremental.rendered import RenderCache
from jobgen.output.build_dir import write_build
from tests.repos import commit_all, make_jobs_repo


def _compile(output: Path) -> tuple[RenderCache, dict[str, bytes]]:
    reuse = RenderCache(output)
    result = compile_tree(Path("components"), reuse=reuse)
    assert result.artifacts is not None
    write_build(result.artifacts, output)
    reuse.save()
    rendered = [*result.artifacts.jobs, *result.artifacts.aliases]
    return reuse, {item.full_name: item.config_xml for item in rendered}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    make_jobs_repo(root)
    monkeypatch.chdir(root)
    return root


def test_a_change_to_one_component_renders_only_the_jobs_it_changes(repo, tmp_path):
    first, before = _compile(Path("build"))
    assert first.reused == 0
    path = repo / "components" / "renewal-report.yaml"
    path.write_text(path.read_text().replace("description: ", "description: changed ", 1))
    commit_all(repo, "renewal-report changed")
    again, after = _compile(Path("build"))
    changed = {name for name, config in after.items() if before.get(name) != config}
    assert changed and all(name.startswith("renewal-report") for name in changed)
    assert again.reused == len(after) - len(changed)
    assert after == _compile(tmp_path / "cold")[1]


def test_a_config_changed_in_the_build_folder_is_rendered_again(repo):
    _, before = _compile(Path("build"))
    name, config = next(iter(before.items()))
    (Path("build") / "jobs" / f"{name}.xml").write_bytes(config.replace(b"<", b" <", 1))
    again, after = _compile(Path("build"))
    assert after == before
    assert again.reused == len(before) - 1


def test_a_foreign_render_cache_is_ignored(repo):
    _, before = _compile(Path("build"))
    cache = next((repo / ".jobgen" / "cache").glob("*.render"))
    cache.write_bytes(cache.read_bytes().replace(b"format=", b"format=0", 1))
    again, after = _compile(Path("build"))
    assert again.reused == 0
    assert after == before
