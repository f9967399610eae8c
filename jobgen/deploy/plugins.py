"""Plugins the compiled jobs need, checked against what a master has installed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


def missing_plugins(needed: Iterable[str], installed: Mapping[str, str]) -> list[str]:
    """`name (not installed)` or `name (needs X, has Y)` for each unmet `name@X`, sorted."""
    problems = []
    for requirement in sorted(set(needed)):
        name, _, minimum = requirement.partition("@")
        have = installed.get(name)
        if have is None:
            problems.append(f"{name} (not installed; needs {minimum} or newer)")
        elif _numbers(have) < _numbers(minimum):
            problems.append(f"{name} (needs {minimum} or newer, has {have})")
    return problems


def _numbers(version: str) -> tuple[int, ...]:
    """The leading dotted numbers of a plugin version: `1436.vfa_2444` -> (1436,)."""
    parts = []
    for part in version.split("."):
        match = re.match(r"\d+", part)
        if match is None:
            break
        parts.append(int(match.group()))
        if match.end() != len(part):
            break
    return tuple(parts)
