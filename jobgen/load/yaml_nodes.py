"""Read YAML into plain values while keeping the position of every key and value.

PyYAML composes a node tree with marks; we build the plain values ourselves so
that we can (a) remember where each key and value sits, (b) reject duplicate
keys, which PyYAML would silently collapse, and (c) keep mapping keys as the
text the user wrote (YAML 1.1 reads a bare `on:` key as the boolean True).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from jobgen.diagnostics import Diagnostic, SourcePos

YamlPath = tuple[str | int, ...]

# The C loader is several times faster; the pure Python one gives the same marks.
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TYPED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
# Aliases can expand a small file exponentially ("billion laughs"); a component
# file has a few hundred nodes, so this bound is generous and keeps loading finite.
MAX_NODES = 100_000
# A component file nests five or six levels; building values recurses once a level.
MAX_DEPTH = 64
# Numbers in a component file are minutes, days, versions: Python's int() refuses
# over 4,300 digits with a ValueError, and nothing real needs more than a few.
MAX_NUMBER_CHARS = 40
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# Plain scalars whose tag needed the implicit resolvers' patterns, by text: the same few
# (`on`, `true`, `npm test`...) recur in every file. Bounded: a file's own names pass by.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 4096


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader with the tags of its resolver, found with fewer Python steps.

    Even the C composer asks the Python resolver for the tag of every node (61,000 in
    1000 component files). PyYAML's `BaseResolver.resolve` tries only the patterns
    registered under a plain scalar's first character (`yaml/resolver.py`): a quoted
    scalar, or a plain one whose first character has none, is a string at once, and
    the others are remembered by text. Path resolvers or catch-all patterns (none in
    the safe loader) would make the tag depend on more: then PyYAML's own answers.
    """

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        patterns = self.yaml_implicit_resolvers
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers or None in patterns:
            return str(super().resolve(kind, value, implicit))
        if not implicit[0] or value[:1] not in patterns:
            return str(self.DEFAULT_SCALAR_TAG)
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(_RESOLVED) < _RESOLVED_MAX:
                _RESOLVED[value] = tag
        return tag


_LOADER: type[yaml.SafeLoader] = _Loader


@dataclass
class PositionMap:
    """Where each value (and the key naming it) was written, by path from the document root."""

    path: str
    values: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    raw: dict[YamlPath, str] = field(default_factory=dict)

    def value(self, at: YamlPath) -> SourcePos:
        """The position of the value at `at`, or of its nearest ancestor that exists."""
        for prefix in _prefixes(at):
            if prefix in self.values:
                return SourcePos(self.path, *self.values[prefix])
        return SourcePos(self.path, 1, 1)

    def key(self, at: YamlPath) -> SourcePos:
        """The position of the key naming `at` (a list item has no key: its value then)."""
        if at in self.keys:
            return SourcePos(self.path, *self.keys[at])
        return self.value(at)

    def text(self, at: YamlPath) -> str | None:
        """The scalar as written in the file (`3.10` stays `3.10`, `NO` stays `NO`)."""
        return self.raw.get(at)


def _prefixes(at: YamlPath) -> Iterator[YamlPath]:
    for end in range(len(at), -1, -1):
        yield at[:end]


@dataclass(frozen=True)
class ParsedYaml:
    """One YAML document as plain values, its positions, and what was wrong with it."""

    value: object
    positions: PositionMap
    diagnostics: tuple[Diagnostic, ...] = ()


def parse_yaml(text: str, path: str) -> ParsedYaml:
    """Parse one YAML document; syntax errors become positioned diagnostics."""
    positions = PositionMap(path)
    try:
        too_big = _too_big(text, path) if len(text) > _PRESCAN_CHARS else None
        if too_big is not None:
            return ParsedYaml(None, positions, (too_big,))
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return ParsedYaml(None, positions, (_syntax_diagnostic(exc, path, text),))
    except yaml.reader.ReaderError as exc:  # a control character the reader refuses
        return ParsedYaml(None, positions, (_reader_diagnostic(exc, path, text),))
    except yaml.YAMLError as exc:
        diag = Diagnostic(SourcePos(path, 1, 1), "yaml-syntax", f"not valid YAML: {exc}")
        return ParsedYaml(None, positions, (diag,))
    if node is None:
        return ParsedYaml(None, positions)
    builder = _Builder(positions)
    value = builder.build(node, ())
    return ParsedYaml(value, positions, tuple(builder.diagnostics))


# Composing builds every node with two marks before any bound applies: a 5 MB list of
# 1.6 million items takes gigabytes. A large file is first streamed as events, which
# costs no memory, and refused when it holds too many values or nests too deep.
_PRESCAN_CHARS = 64_000
_OPENING = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSING = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _too_big(text: str, path: str) -> Diagnostic | None:
    count = depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, _OPENING):
            depth += 1
        elif isinstance(event, _CLOSING):
            depth -= 1
        count += isinstance(event, (*_OPENING, yaml.ScalarEvent, yaml.AliasEvent))
        problem = ""
        if count > MAX_NODES:
            problem = f"the document holds over {MAX_NODES:,} values"
        elif depth > MAX_DEPTH:
            problem = f"values nest deeper than {MAX_DEPTH} levels"
        if problem:
            mark = event.start_mark
            pos = SourcePos(path, mark.line + 1, mark.column + 1) if mark else SourcePos(path, 1, 1)
            return Diagnostic(pos, "yaml-too-large", problem, "split it, or flatten this value")
    return None


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    pos = SourcePos(path, mark.line + 1, mark.column + 1) if mark else SourcePos(path, 1, 1)
    message = exc.problem or "not valid YAML"
    hint = ""
    if exc.context:
        where = f" (line {exc.context_mark.line + 1})" if exc.context_mark else ""
        hint = f"{exc.context}{where}"
    if mark and _char_at(text, mark.line, mark.column) == "\t":
        hint = "YAML indents with spaces only; replace the tab"
    return Diagnostic(pos, "yaml-syntax", f"YAML syntax error: {message}", hint)


def _reader_diagnostic(exc: yaml.reader.ReaderError, path: str, text: str) -> Diagnostic:
    index = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return Diagnostic(
        SourcePos(path, line, col),
        "yaml-syntax",
        f"YAML syntax error: the control character U+{char:04X} is not allowed",
        "remove it; no field of a component file takes control characters",
    )


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars, recording positions."""

    def __init__(self, positions: PositionMap) -> None:
        self.positions = positions
        self.diagnostics: list[Diagnostic] = []
        self._constructor = SafeConstructor()
        # Nodes being built: an alias back to one is a cycle. The nodes themselves (compared
        # by identity: yaml.Node defines no __eq__), not id(node): each id() raises an audit
        # event that jobgen/incremental/reads.py answers in Python, 63,000 a cold compile.
        self._active: set[yaml.Node] = set()
        self._count = 0
        self._too_deep = False

    def error(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        pos = SourcePos(self.positions.path, *_mark(node))
        self.diagnostics.append(Diagnostic(pos, code, message, hint))

    def build(self, node: yaml.Node, at: YamlPath) -> object:
        self.positions.values.setdefault(at, _mark(node))
        self._count += 1
        if len(at) > MAX_DEPTH:
            if not self._too_deep:
                self._too_deep = True
                self.error(
                    node,
                    "yaml-too-deep",
                    f"values nest deeper than {MAX_DEPTH} levels",
                    "a component file nests a few levels; flatten this value",
                )
            return None
        if self._count > MAX_NODES:
            if self._count == MAX_NODES + 1:
                self.error(node, "yaml-too-large", f"document expands to over {MAX_NODES} values")
            return None
        if node in self._active:
            self.error(node, "yaml-recursive", "an alias refers to a value that contains it")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, at)
        self._active.add(node)
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self._item(item, (*at, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, at)
        finally:
            self._active.discard(node)

    def _item(self, node: yaml.Node, at: YamlPath) -> object:
        """`build`, with a string within the bounds (most values) taken in one step."""
        if (
            node.tag == _STR_TAG
            and node.__class__ is yaml.ScalarNode
            and self._count < MAX_NODES
            and len(at) <= MAX_DEPTH
        ):
            # What build does for it: no bound is crossed and a scalar is never active.
            mark = node.start_mark
            self.positions.values.setdefault(at, (mark.line + 1, mark.column + 1))
            self._count += 1
            self.positions.raw[at] = node.value
            return node.value
        return self.build(node, at)

    def _scalar(self, node: yaml.ScalarNode, at: YamlPath) -> object:
        self.positions.raw[at] = node.value
        if node.tag == _STR_TAG:
            return node.value  # what the constructor would return, without its bookkeeping
        if node.tag not in _TYPED_TAGS:
            if node.tag.startswith("tag:yaml.org,2002:"):
                return node.value  # timestamps, binary...: keep the text the user wrote
            self.error(node, "yaml-tag", f"unsupported YAML tag {node.tag}", "remove the tag")
            return node.value
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            self.error(
                node,
                "yaml-number-too-large",
                f"a number of {len(node.value):,} characters (at most {MAX_NUMBER_CHARS})",
                "quote it if it is text",
            )
            return None
        try:
            return self._constructor.construct_object(node)
        except ConstructorError as exc:
            self.error(node, "yaml-syntax", f"bad scalar: {exc.problem}")
            return node.value

    def _mapping(self, node: yaml.MappingNode, at: YamlPath) -> dict[str, object]:
        result: dict[str, object] = {}
        first_lines: dict[str, int] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, "yaml-key", "a key must be a plain name, not a list or map")
                continue
            key = str(key_node.value)
            if key in first_lines:
                first = first_lines[key]
                self.error(
                    key_node,
                    "duplicate-key",
                    f"duplicate key `{key}` (first written on line {first})",
                    "YAML keeps only one of them; remove or merge the other",
                )
                continue
            mark = _mark(key_node)
            first_lines[key] = mark[0]
            here = (*at, key)
            self.positions.keys.setdefault(here, mark)
            result[key] = self._item(value_node, here)
        for merge in merges:
            self._merge(result, merge, at)
        return result

    def _merge(self, result: dict[str, object], node: yaml.Node, at: YamlPath) -> None:
        """`<<: *defaults`: keys written in the mapping itself win over merged ones."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self.error(source, "yaml-merge", "`<<` merges a mapping (or a list of mappings)")
                continue
            merged = self._mapping(source, at)
            for key, value in merged.items():
                result.setdefault(key, value)
