"""`jobgen validate --explain COMPONENT`: the merged component, each value with its origin.

Prints the component as the loader sees it after defaults and templates, as
YAML, with `# FILE:LINE` after every value: the file and line that wrote it.
A value flagged as a secret is masked, as in every diagnostic.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from jobgen.load.defaults import DEFAULTS_INPUT, Inheritance
from jobgen.load.layers import Layer
from jobgen.load.loader import read_jobgen_yaml
from jobgen.load.repo_files import MAX_COMPONENT_BYTES, read_in_repository
from jobgen.load.secrets import find_secrets
from jobgen.load.yaml_nodes import PositionMap, YamlPath, parse_yaml

MASK = "****"


def explain(file: Path, root: Path) -> str:
    """The component file `file` after inheritance, as commented YAML."""
    settings = read_jobgen_yaml(root, [])[1]
    read = read_in_repository(root, file, MAX_COMPONENT_BYTES)  # never a FIFO or /etc
    parsed = parse_yaml(read.text, str(file))
    if parsed.value is None:
        return ""
    merged = Inheritance(root, settings.defaults).expand(
        Layer(parsed.value, parsed.positions), file
    )
    doc, positions = merged.layer.value, merged.layer.positions
    secrets = {(d.pos.path, d.pos.line, d.pos.col) for d in find_secrets(doc, positions) if d.pos}
    layers = [s for s in merged.sources if s != DEFAULTS_INPUT]
    if settings.defaults is not None:
        layers.insert(0, "jobgen.yaml (defaults:)")
    lines = [f"# merged from, nearest last: {', '.join([*layers, str(file)])}"]
    _emit(doc, (), 0, positions, secrets, lines)
    return "\n".join(lines) + "\n"


def _emit(
    value: object,
    at: YamlPath,
    depth: int,
    positions: PositionMap,
    secrets: set[tuple[str, int, int]],
    out: list[str],
) -> None:
    indent = "  " * depth
    items: list[tuple[str, YamlPath, object]]
    if isinstance(value, dict):
        items = [(f"{_scalar(k)}:", (*at, k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [("-", (*at, i), v) for i, v in enumerate(value)]
    else:
        return
    for label, here, item in items:
        pos = positions.value(here)
        # A key's line, not its value's: a block mapping or list starts on the next line.
        written = positions.key(here) if isinstance(value, dict) else pos
        origin = f"  # {written.path}:{written.line}"
        if isinstance(item, dict | list) and item:
            out.append(f"{indent}{label}{origin}")
            _emit(item, here, depth + 1, positions, secrets, out)
            continue
        shown = MASK if (pos.path, pos.line, pos.col) in secrets else _scalar(item)
        out.append(f"{indent}{label} {shown}{origin}")


def _scalar(value: object) -> str:
    """One value on one line: plain when YAML allows, else double-quoted with escapes."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string
    text = yaml.safe_dump([value], default_flow_style=True, width=2**31, allow_unicode=True)
    return text.strip()[1:-1]
