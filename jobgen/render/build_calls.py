"""The build calls of an orchestration, written in Python rather than in its template.

A release of a shared service has hundreds of calls in its integration phase: as
Jinja macros (`selectattr` over the phase's lookups for each call, nested
conditionals for each argument) they were a fifth of a cold compile. The text is
exactly what the macros wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import count
from typing import NamedTuple

from jobgen.plan.specs import Arg, BuildCall, Phase
from jobgen.render.escape import groovy_string

# The same names, parameters and labels recur across a repository's orchestrations: 260,000
# Groovy literals a cold compile of 1000 components, 22,000 distinct. Also the templates'
# `groovy` filter (render/templates.py).
groovy_literal = lru_cache(maxsize=1 << 16)(groovy_string)


def guards(phase: Phase) -> list[str]:
    """The condition each of `phase`'s calls runs under, "" for a call that always runs.

    A presence call runs only when its component's version was given; a call at
    another component's version only when that component runs in the environment.
    Worked out for the whole phase at once: a shared service's release has hundreds of
    calls, each finding its lookup in as many.
    """
    if phase.given_only:
        given = {}
        for lookup in reversed(phase.lookups):  # the first lookup of a component names it
            given[lookup.component] = groovy_literal(lookup.param)
        return [f"params[{given[call.branch]}]" for call in phase.calls]
    return [
        f"jobgenVersions[{groovy_literal(call.branch)}]"
        if any(arg.source == "version" for arg in call.args)
        else ""
        for call in phase.calls
    ]


def build_call(
    call: BuildCall, indent: str, ref: Callable[[str], str], stable_ref: Callable[[str], str]
) -> str:
    """`build(job: …, propagate: false, parameters: […])` for `call`, continued at `indent`.

    propagate: false: the result comes back as the RunWrapper's whitelisted `result`,
    never as a FlowInterruptedException whose getResult() the sandbox rejects.
    """
    target = stable_ref(call.target) if call.stable else ref(call.target)
    lines = [f"build(job: {groovy_literal(target)}, propagate: false, parameters: [\n"]
    for arg in call.args:
        name = groovy_literal(arg.name)
        lines.append(f"{indent}    string(name: {name}, value: {_value(arg)}),\n")
    lines.append(f"{indent}])")
    return "".join(lines)


class Row(NamedTuple):
    """One of a phase's calls as the template writes it: its number in the phase, the call,
    and its `guard` ("" when it always runs)."""

    number: int
    call: BuildCall
    condition: str


def phase_rows(phases: Sequence[Phase]) -> list[tuple[Phase, tuple[Row, ...]]]:
    """Each phase with its calls' rows, worked out once for all their uses: numbered here,
    the template's loops over them need no Jinja loop object (a fifth of each render)."""
    return [(phase, tuple(map(Row, count(), phase.calls, guards(phase)))) for phase in phases]


def assign(
    call: BuildCall,
    condition: str,
    index: int,
    indent: str,
    ref: Callable[[str], str],
    stable_ref: Callable[[str], str],
) -> str:
    """`jobgenRunN = build(…)` for one of a phase's calls, inside `if (condition)` if any."""
    if condition:
        text = build_call(call, indent + "    ", ref, stable_ref)
        return f"if ({condition}) {{\n{indent}    jobgenRun{index} = {text}\n{indent}}}"
    return f"jobgenRun{index} = {build_call(call, indent, ref, stable_ref)}"


def _value(arg: Arg) -> str:
    """The Groovy expression an argument passes."""
    if arg.source == "git_hash":
        return "gitHash"
    holder = {"param": "params", "build_number": "jobgenBuilt", "version": "jobgenVersions"}
    if arg.source in holder:
        return f"{holder[arg.source]}[{groovy_literal(arg.value)}]"
    return groovy_literal(arg.value)
