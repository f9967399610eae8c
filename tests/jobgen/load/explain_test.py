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


KEYS = """\
component: c
# a comment, then a blank line

steps:
  build:
    sh: make
    produces: [out/a.tar]
  test:

    # the script on the next line
    sh:
      make test
environments: {qa: {variables: {A: x}},
  production: {approval: ops}}
notify:
  'on':
    - failure
  email:
  - a@example.com
"""


def test_each_key_is_shown_at_the_line_that_writes_it(tmp_path: Path) -> None:
    # The walk of issue 16: a key whose value is a block mapping or list showed the line
    # of its value's first entry (one line late), so `steps:` pointed at `build:`.
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n", "utf-8")
    file = tmp_path / "c.yaml"
    file.write_text(KEYS, "utf-8")
    shown = [
        (line.split("  # ")[0], int(line.rsplit(":", 1)[1]))
        for line in explain(file, tmp_path).splitlines()[1:]
    ]
    assert shown == [
        ("component: c", 1),
        ("steps:", 4),
        ("  build:", 5),
        ("    sh: make", 6),
        ("    produces:", 7),
        ("      - out/a.tar", 7),
        ("  test:", 8),
        ("    sh: make test", 11),
        ("environments:", 13),
        ("  qa:", 13),
        ("    variables:", 13),
        ("      A: x", 13),
        ("  production:", 14),
        ("    approval: ops", 14),
        ("notify:", 15),
        ("  'on':", 16),
        ("    - failure", 17),
        ("  email:", 18),
        ("    - a@example.com", 19),
    ]
