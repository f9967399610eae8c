"""Checks of single fields that JSON Schema cannot express well: secrets and cron lines."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from jobgen.diagnostics import Diagnostic
from jobgen.load.yaml_nodes import PositionMap, YamlPath

# Key names that hold a secret value. Component files name Jenkins credential
# ids only; a value under such a key is a leaked secret, whatever the field.
_SECRET_KEY = re.compile(r"password|passwd|secret|token|api[_-]?key|private[_-]?key", re.I)
_SECRET_HINT = (
    "store the secret in Jenkins as a credential and name its id under `credentials:` "
    "(then remove it from the file and from git history)"
)


def find_secrets(value: object, positions: PositionMap, at: YamlPath = ()) -> Iterator[Diagnostic]:
    """Values under keys like `password` or `token`, anywhere in the document."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = (*at, key)
            if _SECRET_KEY.search(key) and _is_filled_scalar(item):
                # The value itself is never echoed: it may be a real secret.
                yield Diagnostic(
                    positions.value(here),
                    "secret-in-file",
                    f"`{key}` looks like a secret value; component files must not hold secrets",
                    _SECRET_HINT,
                )
            else:
                yield from find_secrets(item, positions, here)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from find_secrets(item, positions, (*at, i))


_CRON_ALIASES = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


def check_schedule(doc: object, positions: PositionMap) -> list[Diagnostic]:
    """Each line of `schedule:` is a 5-field cron spec, an @alias, a comment or TZ=."""
    schedule = doc.get("schedule") if isinstance(doc, Mapping) else None
    if not isinstance(schedule, str):
        return []
    found = []
    for line in schedule.splitlines():
        spec = line.split("#", 1)[0].strip()
        if not spec or spec.startswith("TZ=") or spec in _CRON_ALIASES:
            continue
        fields = len(spec.split())
        if fields != 5:
            found.append(
                Diagnostic(
                    positions.value(("schedule",)),
                    "bad-schedule",
                    f"schedule: `{spec}` has {fields} field{'s' if fields != 1 else ''}, not 5",
                    'minute hour day-of-month month day-of-week, e.g. "H 6 1 * *" '
                    "(monthly), or @daily",
                )
            )
    return found


def _is_filled_scalar(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool) and value != ""
