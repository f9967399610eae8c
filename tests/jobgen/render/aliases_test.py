"""A stable job's content hash: what deployed masters hold, whatever the script."""

import dataclasses
import hashlib
from typing import Any

import pytest

from jobgen.diagnostics import SourcePos
from jobgen.plan.specs import Param, Retention
from jobgen.plan.stable import StableJob
from jobgen.render.aliases import _content, _xml
from jobgen.render.paths import relative_name
from jobgen.render.stamp import RenderError, placed_script, with_script
from jobgen.render.templates import render_template
from tests.hostile import HOSTILE
from tests.jobgen.render.stamp_test import CHUNKS, CONFIG, SCRIPTS, WORKER, _outcome

ALIAS_SCRIPTS = [*SCRIPTS, "it's \"quoted\" & 'more'\r\n", "", " ", "\r\n", "\x01", "\ufffe"]


def _whole(xml: str, script: str, slot: str) -> str:
    """The definition masters hold: sha256 of the config with its script rendered in."""
    return hashlib.sha256(with_script(xml, script, "job", slot).encode()).hexdigest()[:16]


@pytest.mark.parametrize("script", ALIAS_SCRIPTS + CHUNKS, ids=range(len(ALIAS_SCRIPTS + CHUNKS)))
def test_the_content_hash_in_pieces_is_the_hash_of_the_config_with_its_script(script):
    # Hashed from the script as stamp places it, with the quotes the template escapes too:
    # a different value would make the next deploy rewrite every stable job.
    for xml, slot in ((CONFIG, "script"), (WORKER, "command")):
        placed = placed_script(script)
        assert _content(xml, script, placed, "job", slot) == _whole(xml, script, slot)


def test_a_config_without_one_empty_script_is_a_render_error_as_before():
    twice = CONFIG.replace("<sandbox>true</sandbox>", "<script></script>")
    for xml in (twice, CONFIG.replace("<script></script>", "")):
        placed = placed_script("x")
        assert _outcome(_content, xml, "x", placed, "job", "script") == _outcome(
            _whole, xml, "x", "script"
        )
        with pytest.raises(RenderError, match="no single empty <script>"):
            _content(xml, "x", placed, "job", "script")


def _entry(description: str, params: tuple[Param, ...], **rest: Any) -> StableJob:
    return StableJob(
        "svc-entry",
        "svc",
        "f",
        "svc-build",
        SourcePos("s.yaml"),
        description,
        params,
        Retention(7, 20),
        **rest,
    )


ENTRIES = [
    _entry(text, params, **rest)
    for text in (
        "a pipeline",
        *HOSTILE,
        "\r\n\r",
        "&#13; &amp; <b>",
        "",
        "jobgen-entry-description",
    )
    for params, rest in (
        ((), {}),
        # A parameter's description is the one the shared config is rendered with.
        ((Param("A", description="jobgen-entry-description"),), {}),
        ((Param("A", "x's", 'it\'s "a"'), Param("B", choices=("1", "<2>"), type="choice")), {}),
        ((Param("A"),), {"schedule": "H 3 * * *", "records": True}),
        ((Param("A"),), {"schedule": "@daily", "schedule_parameters": (("A", "b&c"),)}),
    )
]


@pytest.mark.parametrize("entry", ENTRIES, ids=range(len(ENTRIES)))
def test_an_entry_config_rendered_once_for_its_description_is_its_template_s(entry):
    # The rest of an entry's config is rendered once for the entries that share it, its
    # description put in as the template escapes it: the same text as rendering it in.
    for target in ("f/svc-build-v1-abc", "f/svc-build-v2-<def>"):
        xml, _, slot = _xml(entry, target, entry.params)
        rendered = render_template(
            "alias.xml.j2",
            description=f"{entry.description} Now: {target.rpartition('/')[2]}.",
            params=entry.params,
            retention=entry.retention,
            schedule=entry.schedule,
            schedule_parameters=entry.schedule_parameters,
            records=entry.records,
            script="",
        )
        assert (xml, slot) == (rendered, "script")


SCRIPT_ENTRIES = [
    dataclasses.replace(_entry("d", params, **rest), name=name, folder=folder)
    for name in ("svc-entry", *HOSTILE, "jobgen-entry-description", "a\u2028b")
    for folder in ("f", "", "it's/a\\b")
    for params, rest in (
        ((), {}),
        ((Param("N", type="node"), Param("L", type="label"), Param("S")), {"records": True}),
        ((Param("it's", type="label"),), {"passes_previous": True}),
    )
]


@pytest.mark.parametrize("entry", SCRIPT_ENTRIES, ids=range(len(SCRIPT_ENTRIES)))
def test_an_entry_script_rendered_once_for_its_name_and_target_is_its_template_s(entry):
    # Rendered once for the entries alike but for their name and target, which go in as
    # the template writes them: the same script as rendering it with them.
    for target in (f"{entry.folder}/svc-build-v1-abc", "other/it's-\\v2"):
        _, script, _ = _xml(entry, target, entry.params)
        assert script == render_template(
            "alias.groovy.j2",
            name=entry.name,
            target=relative_name(entry.folder, target),
            from_env=[p.name for p in entry.params if p.type in ("node", "label")],
            previous=entry.passes_previous,
            records=entry.records,
        )
