"""The incremental compile gives exactly what a cold compile gives, whatever changed."""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import jobgen.compiler
from jobgen.commands import compile as compile_command
from jobgen.incremental import store
from jobgen.incremental.replay import cache_file
from tests.repos import commit_all, git, make_jobs_repo


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


class _Repo:
    """A jobs repository in a temp dir, compiled incrementally into build/ and cold elsewhere."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = tmp_path / "repo"
        self.cold = tmp_path / "cold"  # outside the repository: no untracked file appears in it
        self.components = make_jobs_repo(self.root)
        # As in every jobs repository (jobgen init writes it): the build folder is not
        # committed, so `git checkout -- .` never brings back an older build's record.
        (self.root / ".gitignore").write_text("/build/\n/.jobgen/\n")
        commit_all(self.root, "ignore the build folder")
        self.mode = "prod"
        self.full_compiles = 0
        self.cold_runs = 0
        real = jobgen.compiler.prepare_tree

        def counted(*args: object, **kwargs: object) -> object:
            self.full_compiles += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(jobgen.compiler, "prepare_tree", counted)
        monkeypatch.chdir(self.root)

    def compile(self, output: str) -> tuple[int, str]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = compile_command.run(Path("components"), Path(output), self.mode)  # type: ignore[arg-type]
        return code, err.getvalue()

    def check(self) -> bool:
        """Compile incrementally and cold; both must agree byte for byte. True when replayed."""
        before = self.full_compiles
        incremental = self.compile("build")
        self.ok = incremental[0] == 0
        self.cold_runs += 1
        cold = self.compile(str(self.cold / str(self.cold_runs)))
        assert incremental == cold
        if incremental[0] == 0:
            assert _tree(self.root / "build") == _tree(self.cold / str(self.cold_runs))
        return self.full_compiles == before + 1  # only the cold one compiled


def _edit(path: Path, pattern: str, replacement: str) -> None:
    path.write_text(re.sub(pattern, replacement, path.read_text(), count=1, flags=re.M))


def _changes(repo: _Repo, rng: random.Random) -> list[Callable[[], None]]:
    components = repo.components
    yamls = sorted(components.glob("*.yaml"))
    scripts = sorted(components.rglob("*.bash")) + sorted(components.rglob("*.groovy"))
    n = rng.randrange(1000)

    def describe() -> None:
        _edit(rng.choice(yamls), r"^description: (.*)$", rf"description: \1 {n}")

    def step() -> None:
        _edit(components / "frontend.yaml", r"^  test: .*$", f"  test: npm test -- --shard {n}")

    def script() -> None:
        path = rng.choice(scripts)
        path.write_text(
            path.read_text() + f"\n// {n}\n" if path.suffix == ".groovy" else f"\n# {n}\n"
        )

    def template() -> None:
        # Every component extending it changes, though none of their files did.
        _edit(components / "_templates" / "core-service.yaml", r"^branch: .*$", f"branch: b{n}")

    def defaults() -> None:
        (components / "_defaults.yaml").write_text(f"requirements:\n  labels: [pool-{n}]\n")

    def settings() -> None:
        _edit(repo.root / "jobgen.yaml", r"^owner: .*$", f"owner: team-{n}")

    def add() -> None:
        text = (components / "teams-api.yaml").read_text()
        (components / f"extra-{n}.yaml").write_text(text.replace("teams-api", f"extra-{n}", 1))

    def remove() -> None:
        extras = sorted(components.glob("extra-*.yaml"))
        if extras:
            rng.choice(extras).unlink()

    def commit() -> None:
        git(repo.root, "add", "-A")
        git(repo.root, "commit", "-q", "--allow-empty", "-m", f"change {n}")

    def amend() -> None:
        # The same files under a new commit: every version's hash changes.
        git(
            repo.root,
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "--amend",
            "--allow-empty",
            "-m",
            f"amended {n}",
        )

    def touch() -> None:
        os.utime(rng.choice(yamls))

    def mode() -> None:
        repo.mode = "test" if repo.mode == "prod" else "prod"

    def broken() -> None:
        (components / "broken.yaml").write_text("component: broken\nbranch: [not, a, string]\n")

    def revert() -> None:
        git(repo.root, "checkout", "-q", "--", ".")

    return [
        describe,
        step,
        script,
        template,
        defaults,
        settings,
        add,
        remove,
        commit,
        amend,
        touch,
        mode,
        broken,
        revert,
    ]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_compiles_equal_cold_compiles_through_random_changes(
    tmp_path, monkeypatch, seed
):
    repo = _Repo(tmp_path, monkeypatch)
    rng = random.Random(seed)
    assert not repo.check()
    done = []
    for _ in range(14):
        change = rng.choice(_changes(repo, rng))
        change()
        done.append(change.__name__)
        repo.check()
        # Nothing changed since the last check: a successful compile is replayed.
        assert repo.check() == repo.ok, f"replayed: {not repo.ok} after {done}"
        if change.__name__ == "broken":
            assert not repo.ok
            (repo.components / "broken.yaml").unlink()
            repo.check()
        assert repo.ok, f"failed after {done}"


def test_a_touched_file_with_the_same_bytes_is_replayed(tmp_path, monkeypatch):
    repo = _Repo(tmp_path, monkeypatch)
    repo.check()
    os.utime(repo.components / "frontend.yaml")
    assert repo.check()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-10],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: data.replace(b"format=", b"format=9", 1),  # another format
        lambda data: b"some other tool's cache\n" + data,  # foreign
        lambda data: b"",
    ],
)
def test_a_corrupt_or_foreign_record_is_ignored(tmp_path, monkeypatch, damage):
    repo = _Repo(tmp_path, monkeypatch)
    repo.check()
    record = cache_file(repo.root / "build")
    record.write_bytes(damage(record.read_bytes()))
    # A change the damaged record cannot know about: trusting it would replay the old build.
    _edit(repo.components / "frontend.yaml", r"^description: .*$", "description: changed")
    before = repo.full_compiles
    assert not repo.check()
    assert repo.full_compiles == before + 2
    assert b"description: changed" not in (repo.root / "build" / "manifest.json").read_bytes()


def test_a_record_rewritten_with_a_valid_checksum_still_needs_matching_inputs(
    tmp_path, monkeypatch
):
    repo = _Repo(tmp_path, monkeypatch)
    repo.check()
    record = cache_file(repo.root / "build")
    payload = store.read(record, "compile")
    assert payload is not None
    store.write(record, "compile", payload.replace(b'"jobs": ', b'"jobs": 1', 1))
    _edit(repo.components / "frontend.yaml", r"^description: .*$", "description: changed")
    assert not repo.check()


def test_a_build_folder_changed_by_hand_is_compiled_again(tmp_path, monkeypatch):
    repo = _Repo(tmp_path, monkeypatch)
    repo.check()
    config = next((repo.root / "build" / "jobs").rglob("*.xml"))
    config.unlink()
    assert not repo.check()
    assert config.is_file()


def test_an_input_changed_while_compiling_leaves_no_record(tmp_path, monkeypatch):
    repo = _Repo(tmp_path, monkeypatch)
    prepare_tree = jobgen.compiler.prepare_tree
    frontend = repo.components / "frontend.yaml"

    def edited_midway(*args: object, **kwargs: object) -> object:
        result = prepare_tree(*args, **kwargs)  # type: ignore[arg-type]
        frontend.write_text(frontend.read_text().replace("description: ", "description: new ", 1))
        return result

    monkeypatch.setattr(jobgen.compiler, "prepare_tree", edited_midway)
    repo.compile("build")
    monkeypatch.setattr(jobgen.compiler, "prepare_tree", prepare_tree)
    # The build holds the old description; a replay would keep it for the new file.
    assert not repo.check()
