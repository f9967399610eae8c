"""The merged component as commented YAML: one value a line, whatever the value holds."""

from __future__ import annotations

from pathlib import Path

import yaml

from jobgen.load.explain import explain


def test_multi_line_and_special_values_stay_one_line_and_read_back(tmp_path: Path) -> None:
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n", "utf-8")
    file = tmp_path / "c.yaml"
    file.write_text(
        "component: c\nsteps:\n  build: |\n    make\n    make test # x\n"
        "description: '#: {not: a map}'\n",
        "utf-8",
    )
    text = explain(file, tmp_path)
    assert len(text.splitlines()) == 5  # the layers, then one line a value
    assert yaml.safe_load(text) == {
        "component": "c",
        "steps": {"build": "make\nmake test # x\n"},
        "description": "#: {not: a map}",
    }
