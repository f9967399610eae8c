"""A declared parameter as the plan renders it, with Jenkins' own notion of its default.

Jenkins' ChoiceParameterDefinition defaults to its first choice (its
`defaultValue` field is set only by copyWithDefaultValue), so a declared
choice default is put first; a boolean's default is `true` or `false`.
"""

from __future__ import annotations

from jobgen.load.model import Parameter
from jobgen.plan.specs import Param


def declared_param(param: Parameter) -> Param:
    """The plan's `Param` for a parameter declared under `jobs: ... parameters:`."""
    default = param.default or ""
    choices = param.choices
    if param.type == "choice":
        first = default if default in choices else (choices[0] if choices else "")
        choices = (first, *(c for c in choices if c != first)) if first else choices
        default = first
    elif param.type == "boolean":
        default = "true" if default.lower() in ("true", "yes", "on", "y") else "false"
    return Param(param.name, default, param.description, param.required, param.type, choices)
