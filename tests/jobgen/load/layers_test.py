"""Merge rules of defaults and templates: maps merge, lists and scalars replace, null removes.

Each case is also an example in docs/component-file.md ("Defaults and templates").
"""

from __future__ import annotations

from jobgen.diagnostics import SourcePos
from jobgen.load.layers import Layer, merge, reroot
from jobgen.load.yaml_nodes import parse_yaml


def _layer(text: str, path: str) -> Layer:
    parsed = parse_yaml(text, path)
    return Layer(parsed.value, parsed.positions)


BASE = """\
requirements:
  labels: [linux]
  docker: ruby:2.6
notify: {on: [failure], email: [team@example.com]}
retention: {days: 30, builds: 50}
"""


def test_maps_merge_deeply_and_lists_and_scalars_replace() -> None:
    over = _layer("requirements:\n  docker: ruby:3.2\nretention: {days: 7}\n", "c.yaml")
    merged = merge(_layer(BASE, "base.yaml"), over)
    assert merged.value == {
        "requirements": {"docker": "ruby:3.2", "labels": ["linux"]},
        "retention": {"days": 7, "builds": 50},
        "notify": {"on": ["failure"], "email": ["team@example.com"]},
    }
    over = _layer("requirements: {labels: [mac]}\nnotify: {on: [always]}\n", "c.yaml")
    merged = merge(_layer(BASE, "base.yaml"), over)
    assert merged.value["requirements"]["labels"] == ["mac"]  # type: ignore[index]
    assert merged.value["notify"] == {"on": ["always"], "email": ["team@example.com"]}  # type: ignore[index]


def test_an_explicit_null_removes_what_it_overrides() -> None:
    over = _layer("notify: ~\nrequirements: {docker: null}\nextra: ~\n", "c.yaml")
    merged = merge(_layer(BASE, "base.yaml"), over)
    assert "notify" not in merged.value  # type: ignore[operator]
    assert merged.value["requirements"] == {"labels": ["linux"]}  # type: ignore[index]
    # Nothing to remove: the null stays as written (e.g. a parameter with no settings).
    assert merged.value["extra"] is None  # type: ignore[index]


def test_every_value_keeps_the_file_and_line_that_wrote_it() -> None:
    over = _layer("component: a\nrequirements:\n  docker: ruby:3.2\n", "c.yaml")
    merged = merge(_layer(BASE, "base.yaml"), over)
    positions = merged.positions
    assert positions.value(("component",)) == SourcePos("c.yaml", 1, 12)
    assert positions.value(("requirements", "docker")) == SourcePos("c.yaml", 3, 11)
    assert positions.value(("requirements", "labels", 0)) == SourcePos("base.yaml", 2, 12)
    assert positions.key(("retention", "builds")) == SourcePos("base.yaml", 5, 23)
    assert positions.value(("notify", "on", 0)) == SourcePos("base.yaml", 4, 15)


def test_positions_follow_through_several_layers() -> None:
    top = _layer("retention: {builds: 9}\n", "t.yaml")
    merged = merge(merge(_layer(BASE, "base.yaml"), top), _layer("component: a\n", "c.yaml"))
    assert merged.positions.value(("retention", "builds")) == SourcePos("t.yaml", 1, 21)
    assert merged.positions.value(("retention", "days")) == SourcePos("base.yaml", 5, 19)


def test_a_sub_document_becomes_a_layer_with_its_own_positions() -> None:
    settings = _layer(
        "jobgen: 0.1.0\ndefaults:\n  requirements: {labels: [linux]}\n", "jobgen.yaml"
    )
    defaults = reroot(settings, ("defaults",))
    assert defaults.value == {"requirements": {"labels": ["linux"]}}
    assert defaults.positions.value(("requirements", "labels", 0)) == SourcePos(
        "jobgen.yaml", 3, 27
    )
