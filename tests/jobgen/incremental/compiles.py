"""A jobs repository compiled incrementally and cold, side by side, for the incremental tests."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

import jobgen.compiler
import jobgen.incremental.sliced
from jobgen.commands import compile as compile_command
from tests.repos import commit_all, make_jobs_repo


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def edit(path: Path, pattern: str, replacement: str) -> None:
    """Replace the first match of `pattern` (a line pattern) in the file."""
    path.write_text(re.sub(pattern, replacement, path.read_text(), count=1, flags=re.M))


class Compiles:
    """A jobs repository in a temp dir, compiled incrementally into build/ and cold elsewhere.

    Counts the full compiles (`prepare_tree`) and the one-component compiles that
    gave the result (jobgen/incremental/sliced.py).
    """

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
        self.sliced = 0
        self.cold_runs = 0
        real = jobgen.compiler.prepare_tree

        def counted(*args: object, **kwargs: object) -> object:
            self.full_compiles += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        real_slice = jobgen.incremental.sliced.compile_component

        def counted_slice(*args: object, **kwargs: object) -> object:
            done = real_slice(*args, **kwargs)  # type: ignore[arg-type]
            self.sliced += done is not None
            return done

        monkeypatch.setattr(jobgen.compiler, "prepare_tree", counted)
        monkeypatch.setattr(jobgen.incremental.sliced, "compile_component", counted_slice)
        monkeypatch.chdir(self.root)

    def compile(self, output: str) -> tuple[int, str]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = compile_command.run(Path("components"), Path(output), self.mode)  # type: ignore[arg-type]
        return code, err.getvalue()

    def check(self) -> bool:
        """Compile incrementally and cold; both must agree byte for byte. True when the
        incremental compile was not a full one (replayed, or one component compiled)."""
        before = self.full_compiles
        incremental = self.compile("build")
        self.ok = incremental[0] == 0
        self.cold_runs += 1
        cold = self.compile(str(self.cold / str(self.cold_runs)))
        assert incremental == cold
        if incremental[0] == 0:
            assert tree(self.root / "build") == tree(self.cold / str(self.cold_runs))
        return self.full_compiles == before + 1  # only the cold one compiled
