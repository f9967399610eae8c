"""compile_tree's pieces: which file each loaded component came from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobgen.compiler import Source, sources
from jobgen.load.loader import load


def test_each_component_is_named_with_the_file_it_was_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-component compile finds a changed file's component by this index
    (incremental/sliced.py): a linked component file and a path named from a
    subfolder of a repository reached through a linked folder must still match."""
    real = tmp_path / "real"
    components = real / "components"
    (components / "shared").mkdir(parents=True)
    (real / "jobgen.yaml").write_text("jobgen: 0.1.0\n", "utf-8")
    (components / "a.yaml").write_text("component: a\ndependencies: [b]\n", "utf-8")
    (components / "shared" / "b.yaml").write_text("component: b\n", "utf-8")
    (components / "b.yaml").symlink_to(Path("shared") / "b.yaml")
    (tmp_path / "linked").symlink_to(real)
    monkeypatch.chdir(tmp_path / "linked" / "components")

    loaded = load([Path(".")])
    assert not [d for d in loaded.diagnostics if d.severity == "error"]
    assert sorted(sources(loaded), key=lambda s: s.component) == [
        Source(os.path.abspath("a.yaml"), "a", ("b",)),
        Source(os.path.abspath("b.yaml"), "b", ()),
    ]
