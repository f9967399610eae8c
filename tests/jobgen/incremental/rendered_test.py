"""A recompile renders only the jobs (and stable jobs) whose render inputs changed; the rest
come from the build."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
from pathlib import Path

import pytest

from jobgen import parallel
from jobgen.commands import compile as compile_command
from jobgen.compiler import compile_tree
from jobgen.incremental import reads
from jobgen.incremental import rendered as render_cache
from jobgen.incremental.rendered import RenderCache
from jobgen.output.build_dir import write_build
from tests.repos import commit_all


def _compile(output: Path) -> tuple[RenderCache, dict[str, bytes]]:
    reuse = RenderCache(output)
    result = compile_tree(Path("components"), reuse=reuse)
    assert result.artifacts is not None
    write_build(result.artifacts, output)
    reuse.save()
    rendered = [*result.artifacts.jobs, *result.artifacts.aliases]
    return reuse, {item.full_name: item.config_xml for item in rendered}


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


def _compile_command(output: str) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert compile_command.run(Path("components"), Path(output)) == 0


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def settled(monkeypatch):
    """Files older than the record: the build folder's files count as untouched by size and
    mtime (a test runs faster than the racy window of 0.1 s, which reads every file)."""
    monkeypatch.setattr(reads, "RACY_NS", 0)


def test_files_untouched_since_the_last_compile_are_not_read_back(repo, settled, monkeypatch):
    _compile_command("build")
    path = repo / "components" / "teams-api.yaml"
    path.write_text(path.read_text().replace("description: ", "description: changed ", 1))
    read_back: list[str] = []
    real = RenderCache.read_job
    monkeypatch.setattr(
        RenderCache, "read_job", lambda self, name: read_back.append(name) or real(self, name)
    )
    _compile_command("build")
    assert read_back == []
    _compile_command(str(repo.parent / "cold"))
    assert _tree(repo / "build") == _tree(repo.parent / "cold")


def test_files_kept_by_one_compile_are_still_trusted_by_the_next(repo, settled, monkeypatch):
    # A kept file is not written, so the writer reports nothing of it: the record carries
    # over the size and mtime the last compile saw, and a third compile reads nothing back.
    # Two components change at a time: a full compile, not one component's (sliced.py).
    _compile_command("build")
    read_back: list[object] = []
    kept: list[object] = []
    read, untouched = RenderCache.read_job, RenderCache.untouched
    monkeypatch.setattr(
        RenderCache, "read_job", lambda self, e: read_back.append(e) or read(self, e)
    )
    monkeypatch.setattr(
        RenderCache, "untouched", lambda self, e: kept.append(e) or untouched(self, e)
    )
    for names in (("teams-api", "frontend"), ("renewal-report", "teams-api")):
        for name in names:
            path = repo / "components" / f"{name}.yaml"
            path.write_text(path.read_text().replace("description: ", "description: x", 1))
        kept.clear()
        _compile_command("build")
        assert kept and read_back == []
    _compile_command(str(repo.parent / "cold"))
    assert _tree(repo / "build") == _tree(repo.parent / "cold")


def test_a_file_edited_in_the_build_folder_is_read_and_rendered_again(repo, settled):
    _compile_command("build")
    config = next((repo / "build" / "jobs" / "teams-api").glob("*.xml"))
    config.write_bytes(config.read_bytes().replace(b"<", b" <", 1))
    path = repo / "components" / "frontend.yaml"
    path.write_text(path.read_text().replace("description: ", "description: changed ", 1))
    _compile_command("build")
    _compile_command(str(repo.parent / "cold"))
    assert _tree(repo / "build") == _tree(repo.parent / "cold")


def _variants(value: object) -> list[object]:
    """`value` with one leaf changed, for each leaf of its dataclass tree."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            dataclasses.replace(value, **{field.name: changed})  # type: ignore[misc]
            for field in dataclasses.fields(value)
            if field.init
            for changed in _variants(getattr(value, field.name))
        ]
    if isinstance(value, tuple):
        return [
            (*value[:i], changed, *value[i + 1 :])
            for i, item in enumerate(value)
            for changed in _variants(item)
        ]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int | str):
        return [value + type(value)(1)] if isinstance(value, int) else [value + "x"]
    return []


def test_a_jobs_key_changes_with_every_value_of_its_plan_data_and_only_with_them(repo):
    # The key pickles each dataclass as its class and its fields' values (rendered._digest),
    # not pickle's default form: a change anywhere in the tree must still change it.
    result = compile_tree(Path("components"), reuse=None)
    assert result.artifacts is not None
    keys = RenderCache(Path("build"))
    for job in [rendered.job for rendered in result.artifacts.jobs]:
        key = keys.job_key(job)
        assert keys.job_key(copy.deepcopy(job)) == key
        variants = _variants(job)
        assert variants
        assert all(keys.job_key(variant) != key for variant in variants), job.name


def test_a_value_of_another_class_with_the_same_name_and_fields_changes_the_key(repo):
    # The key names each dataclass by its module and name (rendered._dataclass_reducer):
    # a look-alike class elsewhere, as after a move between modules, is another input.
    result = compile_tree(Path("components"), reuse=None)
    assert result.artifacts is not None
    job = result.artifacts.jobs[0].job
    pos = type(job.pos)
    twin = dataclasses.make_dataclass(pos.__name__, [f.name for f in dataclasses.fields(pos)])
    moved = dataclasses.replace(job, pos=twin(*dataclasses.astuple(job.pos)))
    keys = RenderCache(Path("build"))
    assert keys.job_key(moved) != keys.job_key(job)


def test_a_stable_jobs_key_changes_with_it_with_what_it_runs_and_with_the_owner(repo):
    result = compile_tree(Path("components"), reuse=None)
    assert result.artifacts is not None
    keys = RenderCache(Path("build"))
    job_keys = {keys.job_key(rendered.job) for rendered in result.artifacts.jobs}
    for alias in result.artifacts.aliases:
        stable = alias.stable
        assert stable is not None
        key = keys.alias_key(stable, alias.target, "owner")
        assert key not in job_keys
        assert keys.alias_key(copy.deepcopy(stable), alias.target, "owner") == key
        others = [
            keys.alias_key(stable, alias.target + "x", "owner"),
            keys.alias_key(stable, alias.target, "owner2"),
            *(keys.alias_key(v, alias.target, "owner") for v in _variants(stable)),  # type: ignore[arg-type]
        ]
        assert key not in others, alias.full_name


def _reused_after_two_changes(repo: Path, build: str, monkeypatch) -> int:
    """How many jobs a full compile takes from the cache the compile before it saved."""
    _compile_command(build)
    for name in ("teams-api", "frontend"):  # two components: a full compile (sliced.py)
        path = repo / "components" / f"{name}.yaml"
        path.write_text(path.read_text().replace("description: ", "description: x", 1))
    saved: list[int] = []
    real = RenderCache.save
    with monkeypatch.context() as patched:
        patched.setattr(RenderCache, "save", lambda self: saved.append(self.reused) or real(self))
        _compile_command(build)
    for name in ("teams-api", "frontend"):
        path = repo / "components" / f"{name}.yaml"
        path.write_text(path.read_text().replace("description: x", "description: ", 1))
    return saved[0]


def test_entries_made_in_forked_renderers_are_kept_for_the_next_compile(repo, settled, monkeypatch):
    # Each process keeps the entries of the jobs it rendered and hands them over once, at
    # the end of its share (parallel.gathering): none may be lost with a child.
    in_one = _reused_after_two_changes(repo, "one", monkeypatch)
    assert in_one > 0
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)  # the examples are far below a real share
    monkeypatch.setattr(parallel, "RUN", 1)  # runs of one item: every process has work
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # see parallel_test
    assert _reused_after_two_changes(repo, "three", monkeypatch) == in_one
    assert _tree(repo / "three") == _tree(repo / "one")


@pytest.fixture
def planned_jobs(repo, monkeypatch):
    """The examples' planned jobs, on two cores where keys are worked out ahead."""
    result = compile_tree(Path("components"), reuse=None)
    assert result.artifacts is not None
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # see parallel_test
    monkeypatch.setattr(parallel, "_asked", lambda stop: False)  # the child does every job
    return [rendered.job for rendered in result.artifacts.jobs]


def _keys(cache: RenderCache, jobs, *inputs: object) -> list[bytes]:
    with cache.rendering(*inputs):
        return [cache.job_key(job) for job in jobs]


def test_keys_worked_out_ahead_are_taken_by_the_render_as_its_own(planned_jobs, monkeypatch):
    # While the versions are worked out, a forked child works out the plan's keys
    # (RenderCache.keys_ahead, parallel.meanwhile); the render takes them and digests none.
    expected = _keys(RenderCache(Path("build")), planned_jobs, "owner", "library")
    ahead = RenderCache(Path("build"))
    ahead.keys_ahead(planned_jobs, "owner", "library")
    digested: list[object] = []
    real = render_cache._digest
    monkeypatch.setattr(render_cache, "_digest", lambda v, s=None: digested.append(v) or real(v, s))
    assert _keys(ahead, planned_jobs, "owner", "library") == expected
    assert not [value for value in digested if value in planned_jobs]


def test_keys_worked_out_for_other_inputs_or_other_jobs_are_not_taken(planned_jobs):
    ahead = RenderCache(Path("build"))
    ahead.keys_ahead(planned_jobs, "owner", "library")
    assert _keys(ahead, planned_jobs, "owner2", "library") == _keys(
        RenderCache(Path("build")), planned_jobs, "owner2", "library"
    )
    # A job of the same name that is not the planned one (the render is handed another
    # plan) gets its own key.
    ahead.keys_ahead(planned_jobs, "owner", "library")
    job = planned_jobs[0]
    other = dataclasses.replace(job, template=job.template + "x")
    assert _keys(ahead, [job, other], "owner", "library") == _keys(
        RenderCache(Path("build")), [job, other], "owner", "library"
    )
