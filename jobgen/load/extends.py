"""`extends: NAME`: a component starts from `components/_templates/NAME.yaml`.

A template is a component file without `component:`; it may extend another
template (a cycle is an error). `with: {port: 8080}` gives the templates'
parameters, written `{{ port }}` in a template's strings. Parameters are
substituted into the parsed values, never into the text, so a value cannot
change the document's structure: a string stays one string, and a value that
is a whole string (`port: "{{ port }}"`) keeps its type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jobgen.diagnostics import Diagnostic, SourcePos
from jobgen.load.layers import Layer
from jobgen.load.repo_files import MAX_FILE_BYTES, read_in_repository
from jobgen.load.secrets import find_secrets
from jobgen.load.yaml_nodes import PositionMap, YamlPath, parse_yaml
from jobgen.suggest import did_you_mean

TEMPLATES_DIR = "_templates"
# Keys that steer inheritance: read here, never part of the merged component.
EXTENDS, WITH = "extends", "with"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
PARAMETER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@dataclass
class Templates:
    """The templates of one components folder, each read and checked at most once per run."""

    folder: Path  # the components folder; templates are in its `_templates/`
    root: Path  # the repository root, to name template files relative to it
    parsed: dict[str, Layer | None] = field(default_factory=dict)
    reported: list[Diagnostic] = field(default_factory=list)  # problems of the files themselves

    def path(self, name: str) -> Path | None:
        for suffix in (".yaml", ".yml"):
            candidate = self.folder / TEMPLATES_DIR / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
        return None

    def names(self) -> list[str]:
        found = (self.folder / TEMPLATES_DIR).glob("*.y*ml")
        return sorted(p.stem for p in found if p.suffix in (".yaml", ".yml"))

    def read(self, name: str) -> Layer | None:
        """The template's document, or None when it cannot be read (reported once)."""
        if name not in self.parsed:
            self.parsed[name] = self._read(name)
        return self.parsed[name]

    def _read(self, name: str) -> Layer | None:
        path = self.path(name)
        assert path is not None
        layer = read_fields_file(self.root, path, "a template", self.reported)
        if layer is None:
            return None
        if isinstance(layer.value, dict) and "component" in layer.value:
            self.reported.append(
                Diagnostic(
                    layer.positions.key(("component",)),
                    "template-component",
                    "a template does not name a component",
                    "remove `component:`; each component file names itself and says `extends:`",
                )
            )
        return layer


def read_fields_file(root: Path, path: Path, what: str, reported: list[Diagnostic]) -> Layer | None:
    """A template or `_defaults.yaml`: a mapping of component fields, or None (reported)."""
    read = read_in_repository(root, path, MAX_FILE_BYTES)  # no FIFO, device, 10 GB or /etc
    if read.problem:
        reported.append(
            Diagnostic(SourcePos(str(path), 1, 1), "unreadable", f"{what} {read.problem}")
        )
        return None
    parsed = parse_yaml(read.text, str(path))
    reported.extend(parsed.diagnostics)
    if parsed.value is None:
        return None
    if not isinstance(parsed.value, dict):
        message = f"{what} is a mapping of component fields"
        reported.append(Diagnostic(parsed.positions.value(()), "fields-shape", message))
        return None
    return Layer(parsed.value, parsed.positions)


@dataclass(frozen=True)
class Chain:
    """The templates a component extends, the farthest ancestor first, and their problems."""

    layers: tuple[Layer, ...]
    files: tuple[str, ...]  # the template files, repository-relative
    diagnostics: tuple[Diagnostic, ...]


def chain(component: Layer, templates: Templates) -> Chain:
    """Follow `extends:` from the component up; substitute `with:` into every template."""
    problems: list[Diagnostic] = []
    layers: list[Layer] = []
    seen: list[str] = []
    current = component
    while True:
        doc = current.value if isinstance(current.value, Mapping) else {}
        name = doc.get(EXTENDS)
        if name is None:
            break
        layer = _next(name, current, seen, templates, problems)
        if layer is None:
            break
        seen.append(str(name))
        layers.append(layer)
        current = layer
    layers.reverse()
    params, where = _parameters([*layers, component], problems)
    used: set[str] = set()
    substituted = [_substitute(layer, params, used, problems) for layer in layers]
    for name in sorted(set(params) - used):
        hint = did_you_mean(name, sorted(used)) or f"no template it extends writes {{{{ {name} }}}}"
        problems.append(
            Diagnostic(where[name], "template-parameter", f"no template uses `{name}`", hint)
        )
    files = tuple(repo_path(Path(layer.positions.path), templates.root) for layer in layers)
    return Chain(tuple(substituted), files, tuple(problems))


def _next(
    name: object, current: Layer, seen: list[str], templates: Templates, out: list[Diagnostic]
) -> Layer | None:
    pos = current.positions.value((EXTENDS,))
    if not isinstance(name, str) or not _NAME.match(name):
        out.append(
            Diagnostic(pos, "extends", "extends: expected the name of a template, e.g. `service`")
        )
        return None
    if name in seen:
        cycle = " -> ".join([*seen, name])
        out.append(
            Diagnostic(pos, "extends-cycle", f"templates extend each other in a cycle: {cycle}")
        )
        return None
    if templates.path(name) is None:
        known = templates.names()
        hint = did_you_mean(name, sorted(known)) or (
            f"templates available: {', '.join(known)}" if known else ""
        )
        folder = templates.folder.name
        out.append(
            Diagnostic(
                pos,
                "extends-missing",
                f"no template `{name}` ({folder}/{TEMPLATES_DIR}/{name}.yaml)",
                hint,
            )
        )
        return None
    return templates.read(name)


def _parameters(
    layers: list[Layer], out: list[Diagnostic]
) -> tuple[dict[str, object], dict[str, SourcePos]]:
    """`with:` values, the nearest to the component winning; where each was written."""
    params: dict[str, object] = {}
    where: dict[str, SourcePos] = {}
    for layer in layers:
        doc = layer.value if isinstance(layer.value, Mapping) else {}
        given = doc.get(WITH)
        if given is None:
            continue
        if not isinstance(given, Mapping):
            pos = layer.positions.value((WITH,))
            out.append(Diagnostic(pos, "with", "with: expected a mapping, e.g. `{port: 8080}`"))
            continue
        # `with:` is not part of the merged component the schema checks: look for secrets here.
        out.extend(find_secrets(given, layer.positions, (WITH,)))
        for key, value in given.items():
            pos = layer.positions.key((WITH, key))
            if isinstance(value, dict | list):
                out.append(
                    Diagnostic(
                        layer.positions.value((WITH, key)),
                        "with",
                        f"with: `{key}` must be a single value (text, number or true/false)",
                    )
                )
                continue
            params[str(key)] = value
            where[str(key)] = pos
    return params, where


def _substitute(
    layer: Layer, params: Mapping[str, object], used: set[str], out: list[Diagnostic]
) -> Layer:
    """The template's document with `{{ name }}` replaced in every string value."""
    positions = PositionMap(layer.positions.path, dict(layer.positions.values))
    positions.keys = dict(layer.positions.keys)
    positions.raw = dict(layer.positions.raw)
    doc = layer.value if isinstance(layer.value, Mapping) else {}
    value = {
        k: _walk(v, (k,), params, used, positions, out)
        for k, v in doc.items()
        if k not in (EXTENDS, WITH)
    }
    return Layer(value, positions)


def _walk(
    value: object,
    at: YamlPath,
    params: Mapping[str, object],
    used: set[str],
    positions: PositionMap,
    out: list[Diagnostic],
) -> object:
    if isinstance(value, dict):
        return {k: _walk(v, (*at, k), params, used, positions, out) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, (*at, i), params, used, positions, out) for i, v in enumerate(value)]
    if not isinstance(value, str) or "{{" not in value:
        return value
    names = PARAMETER.findall(value)
    missing = [n for n in names if n not in params]
    for name in missing:
        out.append(
            Diagnostic(
                positions.value(at),
                "template-parameter",
                f"the template's parameter `{name}` has no value",
                f"give it where the template is used: `with: {{{name}: ...}}`",
            )
        )
    used.update(n for n in names if n in params)
    if missing:
        return value
    whole = PARAMETER.fullmatch(value.strip())
    if whole:
        result = params[whole.group(1)]
    else:
        result = PARAMETER.sub(lambda m: _text(params[m.group(1)]), value)
    positions.raw[at] = _text(result)
    return result


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def repo_path(path: Path, root: Path) -> str:
    """`path` relative to the repository root, as a version input is named."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
