"""When a build call of an integration phase runs: the Groovy condition guarding it.

A presence call runs only when its component's version was given; a call at
another component's version only when that component runs in the environment
(its version was found). Computed here rather than in the template: a release
of a shared service has hundreds of calls, and Jinja's `selectattr` over the
phase's lookups for each of them was a fifth of a cold compile.
"""

from __future__ import annotations

from jobgen.plan.specs import BuildCall, Phase
from jobgen.render.escape import groovy_string


def guard(phase: Phase, call: BuildCall) -> str:
    """The condition `call` runs under in `phase`, or "" when it always runs."""
    if phase.given_only:
        param = next(lookup.param for lookup in phase.lookups if lookup.component == call.branch)
        return f"params[{groovy_string(param)}]"
    if any(arg.source == "version" for arg in call.args):
        return f"jobgenVersions[{groovy_string(call.branch)}]"
    return ""
