"""A component as written, laid over `defaults:` (jobgen.yaml) and the templates it extends.

`Inheritance.expand` gives the merged document with every value's position in
the file that wrote it, the files it came from (inputs of its jobs' versions),
and its problems. A problem positioned in a template or in jobgen.yaml says
which component used the value ("used by components/x.yaml:3"); the same
problem reached through many components is reported once, naming them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jobgen.diagnostics import Diagnostic, SourcePos
from jobgen.load.extends import EXTENDS, WITH, Templates, chain, read_fields_file, repo_path
from jobgen.load.layers import Layer, merge, reroot

SETTINGS_FILE = "jobgen.yaml"
DEFAULTS = "defaults"
# The version input standing for `defaults:`: every component depends on it, so
# that adding, changing or removing a default renames the jobs it reaches.
DEFAULTS_INPUT = f"{SETTINGS_FILE}#{DEFAULTS}"
_NOT_DEFAULTS = ("component", EXTENDS, WITH)
FOLDER_DEFAULTS = "_defaults"  # components/_defaults.yaml: defaults of that folder's components
_SHOWN_USERS = 3


def defaults_layer(doc: object, layer: Layer) -> tuple[Layer | None, list[Diagnostic]]:
    """jobgen.yaml's `defaults:` as a layer of its own, and what it must not say."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get(DEFAULTS), Mapping):
        return None, []  # the settings schema reports a `defaults:` that is not a mapping
    rooted = reroot(layer, (DEFAULTS,))
    return _without_fixed_keys(Layer(doc[DEFAULTS], rooted.positions))


def _without_fixed_keys(layer: Layer) -> tuple[Layer, list[Diagnostic]]:
    """Defaults without the keys each component writes itself, each such key an error."""
    doc = layer.value if isinstance(layer.value, Mapping) else {}
    problems = [
        Diagnostic(
            layer.positions.key((key,)),
            "defaults-key",
            f"defaults: `{key}` cannot have a default",
            "`component:` names each file; `extends:` and `with:` are written per component",
        )
        for key in doc
        if key in _NOT_DEFAULTS
    ]
    kept = {k: v for k, v in doc.items() if k not in _NOT_DEFAULTS}
    return Layer(kept, layer.positions), problems


def folder_defaults_file(folder: Path) -> Path | None:
    """`_defaults.yaml` (or `.yml`) of a components folder, if there is one."""
    for suffix in (".yaml", ".yml"):
        candidate = folder / f"{FOLDER_DEFAULTS}{suffix}"
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Expanded:
    """One component after inheritance."""

    layer: Layer
    sources: tuple[str, ...]  # version inputs besides the file itself: templates, defaults
    diagnostics: tuple[Diagnostic, ...]
    used_by: str  # `components/x.yaml:3`: the line that brought inherited values in


@dataclass
class Inheritance:
    """What every component of one load inherits from: defaults, and templates per folder."""

    root: Path
    defaults: Layer | None = None
    templates: dict[Path, Templates] = field(default_factory=dict)
    folders: dict[Path, tuple[Layer | None, str]] = field(default_factory=dict)
    reported: list[Diagnostic] = field(default_factory=list)  # of the `_defaults.yaml` files

    def expand(self, component: Layer, file: Path) -> Expanded:
        """The component laid over its templates, over the defaults."""
        if not isinstance(component.value, Mapping):
            return Expanded(component, (), (), component.positions.path)  # the schema says why
        folder = file.parent
        templates = self.templates.setdefault(folder, Templates(folder, self.root))
        found = chain(component, templates)
        doc = component.value if isinstance(component.value, Mapping) else {}
        own = Layer({k: v for k, v in doc.items() if k not in (EXTENDS, WITH)}, component.positions)
        merged = own
        layers = [*found.layers, own]
        folder_layer, folder_file = self._folder_defaults(folder)
        if folder_layer is not None:
            layers.insert(0, folder_layer)
        if self.defaults is not None:
            layers.insert(0, self.defaults)
        if len(layers) > 1:
            merged = layers[0]
            for layer in layers[1:]:
                merged = merge(merged, layer)
        at = (EXTENDS,) if EXTENDS in doc else ("component",)
        pos = component.positions.key(at)
        used_by = f"{component.positions.path}:{pos.line}"
        sources = (*found.files, *([folder_file] if folder_file else []), DEFAULTS_INPUT)
        return Expanded(merged, sources, found.diagnostics, used_by)

    def file_problems(self) -> list[Diagnostic]:
        """Problems of the template and folder defaults files themselves, each once."""
        return [d for t in self.templates.values() for d in t.reported] + self.reported

    def _folder_defaults(self, folder: Path) -> tuple[Layer | None, str]:
        """The folder's `_defaults.yaml` as a layer, and its repository-relative path."""
        if folder not in self.folders:
            self.folders[folder] = self._read_folder_defaults(folder)
        return self.folders[folder]

    def _read_folder_defaults(self, folder: Path) -> tuple[Layer | None, str]:
        path = folder_defaults_file(folder)
        if path is None:
            return None, ""
        relative = repo_path(path, self.root)
        layer = read_fields_file(self.root, path, "_defaults.yaml", self.reported)
        if layer is None:
            return None, relative
        layer, problems = _without_fixed_keys(layer)
        self.reported.extend(problems)
        return layer, relative


def with_user(diagnostics: Sequence[Diagnostic], used_by: str) -> tuple[Diagnostic, ...]:
    """Problems found in another file than the component's say which component used it."""
    path = used_by.rsplit(":", 1)[0]
    return tuple(
        d
        if d.pos is None or d.pos.path == path
        else Diagnostic(
            d.pos, d.code, d.message, d.hint, d.severity, (*d.context, f"used by {used_by}")
        )
        for d in diagnostics
    )


def collapse_inherited(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per inherited problem, naming the components that used the value."""
    merged: dict[tuple[SourcePos | None, str, str], list[str]] = {}
    first: dict[tuple[SourcePos | None, str, str], Diagnostic] = {}
    kept: list[Diagnostic] = []
    for d in diagnostics:
        users = [f for f in d.context if f.startswith("used by ")]
        if not users:
            kept.append(d)
            continue
        key = (d.pos, d.code, d.message)
        if key not in first:
            first[key] = d
            merged[key] = []
        merged[key] += [u.removeprefix("used by ") for u in users]
    for key, d in first.items():
        users = list(dict.fromkeys(merged[key]))
        shown = ", ".join(users[:_SHOWN_USERS])
        more = len(users) - _SHOWN_USERS
        frame = f"used by {shown}" + (f" and {more} more" if more > 0 else "")
        context = (*(f for f in d.context if not f.startswith("used by ")), frame)
        kept.append(Diagnostic(d.pos, d.code, d.message, d.hint, d.severity, context))
    return kept
