"""The history of jobgen.yaml's sections, so that a settings edit renames only its users.

Jobs name the sections they depend on as inputs `jobgen.yaml#SECTION`
(jobgen/plan/settings_inputs.py). A commit touches a section when the
section's value differs from the previous commit that touched jobgen.yaml;
formatting and comments touch none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from jobgen.git_cli import GitFailed, git_output
from jobgen.plan.settings_inputs import OWN_SECTIONS, REST, SETTINGS, section_input

_UNREADABLE = "\0unreadable"  # a version of the file that does not parse: every section differs


def sections(text: str | None) -> dict[str, str]:
    """Each section of a jobgen.yaml text as canonical JSON (absent: no entry)."""
    if text is None:
        return {}
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return {REST: _UNREADABLE}
    if not isinstance(doc, Mapping):
        return {REST: _canonical(doc)}
    found = {REST: _canonical({k: v for k, v in doc.items() if k not in OWN_SECTIONS})}
    targets = doc.get("targets")
    if isinstance(targets, Mapping):
        found.update((f"targets/{name}", _canonical(spec)) for name, spec in targets.items())
    elif targets is not None:
        found["targets/"] = _canonical(targets)
    for key in OWN_SECTIONS[1:]:
        if key in doc:
            found[key] = _canonical(doc[key])
    return found


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def changed(old: Mapping[str, str], new: Mapping[str, str]) -> set[str]:
    """The sections whose value differs between two versions of the file."""
    if old.get(REST) == _UNREADABLE or new.get(REST) == _UNREADABLE:
        return {*old, *new}
    return {s for s in {*old, *new} if old.get(s) != new.get(s)}


def touched_sections(
    root: Path, prefix: str, commits: Sequence[str], indices: Sequence[int]
) -> dict[str, tuple[int, ...]]:
    """For each section input, the indices (newest first) of the commits that changed it."""
    path = prefix + SETTINGS
    versions = [sections(_show(root, commits[i], path)) for i in indices]
    touched: dict[str, list[int]] = {}
    for n, index in enumerate(indices):
        older = versions[n + 1] if n + 1 < len(versions) else {}
        for section in changed(older, versions[n]):
            touched.setdefault(section_input(section), []).append(index)
    return {name: tuple(found) for name, found in touched.items()}


def dirty_sections(root: Path, prefix: str, text: str | None) -> set[str]:
    """Section inputs whose working-tree value differs from HEAD's."""
    head = sections(_show(root, "HEAD", prefix + SETTINGS))
    return {section_input(s) for s in changed(head, sections(text))}


def section_digests(text: str | None) -> dict[str, bytes]:
    """A hash of each section's current value, for the names of uncommitted versions."""
    return {
        section_input(name): hashlib.sha256(value.encode()).digest()
        for name, value in sections(text).items()
    }


def _show(root: Path, commit: str, path: str) -> str | None:
    try:
        return git_output(root, "show", f"{commit}:{path}")
    except GitFailed:
        return None  # deleted in that commit, or not yet there
