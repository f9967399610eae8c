"""The component graph knows templates: a component points at the template it extends."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.graph.model import component_graph
from jobgen.load.loader import load


def test_templates_are_nodes_and_extends_are_edges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n", "utf-8")
    templates = tmp_path / "components" / "_templates"
    templates.mkdir(parents=True)
    (templates / "base.yaml").write_text("requirements: {labels: [linux]}\n", "utf-8")
    (templates / "service.yaml").write_text("extends: base\nsteps: {build: make}\n", "utf-8")
    (tmp_path / "components" / "a.yaml").write_text("component: a\nextends: service\n", "utf-8")
    (tmp_path / "components" / "b.yaml").write_text(
        "component: b\nextends: base\ndependencies: [a]\nsteps: {build: make}\n", "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    graph = component_graph(load([Path("components")]).repo)
    assert [name for name, _ in graph.nodes] == ["a", "b", "template base", "template service"]
    assert graph.edges == (
        ("a", "template service"),
        ("b", "a"),
        ("b", "template base"),
        ("template service", "template base"),
    )
