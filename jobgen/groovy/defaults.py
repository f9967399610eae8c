"""Declared parameter defaults, as a Pipeline sees them, for `jobgen test`.

A Pipeline's `params` holds, for every defined parameter the build was not
given, the definition's default value (workflow-cps ParamsVariable,
JENKINS-35698; docs/jenkins-facts.md): a string with no default is "", a
boolean is true or false, a choice its first entry. Node and label values are
not in `params` (their getValue() is null) but in the environment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jobgen.plan.specs import Param

_IN_ENV = ("node", "label")


@dataclass(frozen=True)
class Defaults:
    """What a run that was given no parameters starts with."""

    params: Mapping[str, object] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)

    def applied(self, given: Mapping[str, object]) -> dict[str, object]:
        """The parameters of a run given `given`: the declared defaults, then what was given."""
        return {**self.params, **given}


def declared_defaults(params: Iterable[Param]) -> Defaults:
    """The defaults of a job's declared parameters, typed as Jenkins gives them."""
    values: dict[str, object] = {}
    env: dict[str, str] = {}
    for p in params:
        if p.type in _IN_ENV:
            if p.default:
                env[p.name] = p.default
        elif p.type == "boolean":
            values[p.name] = p.default == "true"
        elif p.type == "credentials":
            values[p.name] = p.default or None  # an id, or none
        else:
            values[p.name] = p.default
    return Defaults(values, env)
