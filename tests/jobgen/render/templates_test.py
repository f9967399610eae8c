"""Templates are compiled once per user, in Jinja's private folder, and never trusted blindly;
fragments rendered once for many jobs are what each job alone would get."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import jinja2
import pytest

from jobgen.diagnostics import SourcePos
from jobgen.plan.model import Job
from jobgen.plan.specs import (
    Arg,
    BuildCall,
    GeneratedScript,
    Param,
    Phase,
    PipelineSpec,
    Retention,
    VersionLookup,
)
from jobgen.render import templates
from jobgen.render.escape import groovy_string
from jobgen.render.renderer import _groovy_body, _References


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


HOSTILE = "it's \\ ${x}\n\u00e9"


def _orchestration(folder: str, lookup: VersionLookup) -> str:
    """The Groovy of an orchestration in `folder` whose integration phase looks `lookup` up."""
    phase = Phase(
        "integration",
        (BuildCall("lib-release", (Arg("GIT_HASH", "version", lookup.component),), "lib", True),),
        SourcePos("c.yaml", 1, 1),
        integration=True,
        lookups=(lookup,),
    )
    script = GeneratedScript(folder, "https://x/r.git", "main", "linux", (phase,), None)
    spec = PipelineSpec("d", (), Retention(1, 2), script)
    job = Job(
        folder,
        folder,
        "orchestration",
        folder,
        "pipeline.xml.j2",
        (),
        SourcePos("c.yaml", 1, 1),
        spec=spec,
    )
    full = {folder: f"{folder}/{folder}", "lib-release": "lib/lib-release"}
    full[lookup.release] = f"lib/{lookup.release}"
    return _groovy_body(job, spec, _References(job, full))


def test_a_version_lookup_is_rendered_once_per_lookup_and_release_as_the_caller_names_it():
    # Callers in two folders look up the same hostile component: each names the release job
    # its own way, and the text of each is the lookup rendered for it alone.
    lookup = VersionLookup(HOSTILE, "LIB'V", "lib-qa-release")
    other = VersionLookup(HOSTILE + "2", "LIB'V", "lib-qa-release")
    for _ in range(2):  # the second time from the cache
        texts = {}
        for folder in ("app", "lib"):
            for each in (lookup, other):
                release = "lib-qa-release" if folder == "lib" else "../lib/lib-qa-release"
                plain = templates.version_lookup.__wrapped__(each, release)
                text = _orchestration(folder, each)
                assert plain in text
                texts[folder, each.component] = plain
        assert len(set(texts.values())) == 4
    assert groovy_string(HOSTILE) in texts["app", HOSTILE]


def test_a_parameter_definition_from_the_cache_is_that_parameter_rendered_alone():
    # Parameters that differ in one field each, with text XML must escape: each list is its
    # definitions rendered one by one, in order, a blank line after each, whichever list
    # rendered a definition first.
    hostile = "a<b & 'c' \"d\"\r\n${e} \u00e9"
    params = [
        Param("P", hostile, hostile),
        Param("P", hostile, hostile, required=True),
        Param("P", hostile, hostile, type="text"),
        Param("P", hostile + " ", hostile),
        Param("P", "", hostile, type="choice", choices=(hostile, "x")),
        Param("P", "", hostile, type="choice", choices=("x", hostile)),
    ]
    plain = templates._parameters_module(templates.environment(True)).definition
    for lists in ([params, params[::-1]], [params[::-1], params]):
        templates.parameters_xml.cache_clear()
        templates.parameter_xml.cache_clear()
        for each in lists:
            text = str(templates.parameters_xml(tuple(each)))
            alone = "".join(f"{plain(p)}\n" for p in each)
            assert alone in text
            assert "&#13;" in alone and "&lt;b &amp; &#39;c&#39;" in alone
    assert len({str(templates.parameter_xml(p)) for p in params}) == len(params)
