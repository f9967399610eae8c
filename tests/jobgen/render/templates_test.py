"""Templates are compiled once per user, in Jinja's private folder, and never trusted blindly."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import jinja2
import pytest

from jobgen.render import templates


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp dir of the test's own, and template environments made afresh in it."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    templates.environment.cache_clear()
    yield tmp_path
    templates.environment.cache_clear()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        seen.append(str(name))
        return real(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return seen


def test_a_template_compiled_in_one_process_is_not_compiled_in_the_next(temp_dir, monkeypatch):
    compiled = _compiles(monkeypatch)
    first = templates.render_template("folder.xml.j2", description="d", spec=None, job_names=[])
    assert "folder.xml.j2" in compiled  # with the macros it imports
    done = len(compiled)
    folder = temp_dir / f"_jinja2-cache-{os.getuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # this user's alone
    assert list(folder.iterdir())
    templates.environment.cache_clear()  # as a new process starts
    again = templates.render_template("folder.xml.j2", description="d", spec=None, job_names=[])
    assert again == first
    assert len(compiled) == done  # read back, none compiled again


def test_a_temp_dir_another_user_could_write_is_not_used(temp_dir, monkeypatch):
    folder = temp_dir / f"_jinja2-cache-{os.getuid()}"
    folder.symlink_to(temp_dir)  # not a private folder of this user's: Jinja refuses it
    compiled = _compiles(monkeypatch)
    for _ in range(2):
        templates.environment.cache_clear()
        templates.render_template("folder.xml.j2", description="d", spec=None, job_names=[])
    assert compiled.count("folder.xml.j2") == 2  # compiled each time, nothing kept


def test_a_full_temp_dir_only_means_compiling_again(temp_dir, monkeypatch):
    def full(*args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full)
    text = templates.render_template("folder.xml.j2", description="d", spec=None, job_names=[])
    assert "<description>d" in text
