"""Positioned YAML documents laid over each other: defaults, templates, the component.

A `Layer` is a parsed document with its positions. Merging keeps, for every
value of the result, the file, line and column it came from (a
`MergedPositions`), so that a bad value inherited from a template is reported
in the template, where it can be fixed. The rules, documented in
docs/component-file.md: mappings merge key by key, at every depth; lists and
scalars replace what they override; an explicit null removes what it would
override.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jobgen.diagnostics import SourcePos
from jobgen.load.yaml_nodes import PositionMap, YamlPath


@dataclass
class MergedPositions(PositionMap):
    """A `PositionMap` whose entries may each come from another file (`files`, by path)."""

    files: dict[YamlPath, str] = field(default_factory=dict)

    def value(self, at: YamlPath) -> SourcePos:
        """The position of the value at `at` (or its nearest ancestor), in its own file."""
        for end in range(len(at), -1, -1):
            prefix = at[:end]
            if prefix in self.values:
                return SourcePos(self.files.get(prefix, self.path), *self.values[prefix])
        return SourcePos(self.path, 1, 1)

    def key(self, at: YamlPath) -> SourcePos:
        """The position of the key naming `at`, in the file that wrote it."""
        if at in self.keys:
            return SourcePos(self.files.get(at, self.path), *self.keys[at])
        return self.value(at)

    def origin(self, at: YamlPath) -> str:
        """The file the value at `at` (or its nearest recorded ancestor) was written in."""
        for end in range(len(at), -1, -1):
            if at[:end] in self.values:
                return self.files.get(at[:end], self.path)
        return self.path


@dataclass(frozen=True)
class Layer:
    """One document and where each of its values was written."""

    value: object
    positions: PositionMap

    def file_of(self, at: YamlPath) -> str:
        """The file the value at `at` was written in."""
        if isinstance(self.positions, MergedPositions):
            return self.positions.origin(at)
        return self.positions.path


def reroot(layer: Layer, at: YamlPath) -> Layer:
    """The sub-document at `at` (e.g. `defaults:` of jobgen.yaml) as a layer of its own."""
    value: object = layer.value
    for part in at:
        value = value.get(part) if isinstance(value, Mapping) else None
    source, n = layer.positions, len(at)
    rooted = MergedPositions(source.path)
    rooted.values = {p[n:]: w for p, w in source.values.items() if p[:n] == at}
    rooted.keys = {p[n:]: w for p, w in source.keys.items() if p[:n] == at}
    rooted.raw = {p[n:]: w for p, w in source.raw.items() if p[:n] == at}
    rooted.files = {p[n:]: layer.file_of(p) for p in source.values if p[:n] == at}
    return Layer(value, rooted)


def merge(base: Layer, over: Layer) -> Layer:
    """`over` laid on `base`: what `over` writes wins; positions follow each value's origin."""
    out = MergedPositions(over.positions.path)
    index = _Index(base), _Index(over)
    value = _merge(base.value, over.value, (), index, out)
    return Layer(value, out)


class _Index:
    """A layer's positioned paths grouped by their first element, to copy subtrees fast."""

    def __init__(self, layer: Layer) -> None:
        self.layer = layer
        self.by_head: dict[str | int | None, list[YamlPath]] = {}
        for path in layer.positions.values:
            self.by_head.setdefault(path[0] if path else None, []).append(path)

    def copy(self, at: YamlPath, out: MergedPositions) -> None:
        """Record, in `out`, the positions of the subtree at `at` (the key naming it included)."""
        n = len(at)
        if at:
            candidates = self.by_head.get(at[0], [])
        else:
            candidates = [p for paths in self.by_head.values() for p in paths]
        for path in candidates:
            if path[:n] == at:
                self._record(path, out)

    def copy_node(self, at: YamlPath, out: MergedPositions) -> None:
        """Record only the position of the value at `at` (a mapping whose keys merge)."""
        if at in self.layer.positions.values:
            self._record(at, out)

    def _record(self, path: YamlPath, out: MergedPositions) -> None:
        positions = self.layer.positions
        out.values[path] = positions.values[path]
        out.files[path] = self.layer.file_of(path)
        if path in positions.keys:
            out.keys[path] = positions.keys[path]
        if path in positions.raw:
            out.raw[path] = positions.raw[path]


def _merge(
    base: object, over: object, at: YamlPath, index: tuple[_Index, _Index], out: MergedPositions
) -> object:
    if not (isinstance(base, dict) and isinstance(over, dict)):
        index[1].copy(at, out)
        return over
    index[0].copy_node(at, out)
    index[1].copy_node(at, out)
    result: dict[str, object] = {}
    for key, value in over.items():  # what the nearer file writes, in its order
        here = (*at, key)
        if key not in base:
            index[1].copy(here, out)
            result[key] = value
        elif value is not None:
            result[key] = _merge(base[key], value, here, index, out)
        # else: an explicit null removes what it overrides
    for key, value in base.items():  # then what is only inherited
        if key not in over:
            index[0].copy((*at, key), out)
            result[key] = value
    return result
