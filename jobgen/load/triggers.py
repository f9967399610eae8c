"""`watch:` and `schedule:` of a component file: what starts its chains, read and checked.

`watch: poll` (the default; `{poll: CRON}` sets the interval), `webhook` (the SCM
host calls the git plugin's notifyCommit) or `false` (only the schedule or a
person starts it). `schedule:` is a cron line, or `{cron:, run: CHAIN,
parameters: {...}}` where CHAIN is any chain the component generates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import Component, Environment, Repo

Watch = Literal["poll", "webhook", "off"]
# ParameterizedTimerTrigger's line format (parameterized-scheduler ParameterParser.java:17-19):
# `CRON %NAME=value;NAME=value`; a value cannot hold the pair separator or a line break.


def watch_of(value: object) -> tuple[Watch, str | None]:
    """(`poll`|`webhook`|`off`, the polling spec if one was given); the schema checked shapes."""
    if value is False:
        return "off", None
    if value == "webhook":
        return "webhook", None
    if isinstance(value, Mapping) and isinstance(value.get("poll"), str):
        return "poll", str(value["poll"])
    return "poll", None


def chains(component: Component) -> tuple[str, ...]:
    """The chain names `schedule: {run:}` may name (the generated orchestrations, unprefixed)."""
    steps = {s.name for s in component.steps}
    if "build" not in steps:
        return ()
    found = ["build-test"]
    found += ["build-test-stage"] if "stage" in steps else []
    found += ["build-test-stage-release"] if "release" in steps else []
    for env in component.environments:
        found += [f"{env.name}-{a}" for a in ("stage", "release") if a in steps]
    return tuple(found)


def trigger_problems(repo: Repo) -> list[Diagnostic]:
    """A schedule naming a chain the component lacks, or a parameter no run could carry."""
    found = []
    for component in repo.components:
        run = component.schedule_run
        if run is not None and run.value not in chains(component):
            known = ", ".join(chains(component)) or "none: the component has no build step"
            found.append(
                Diagnostic(
                    run.pos,
                    "unknown-chain",
                    f"schedule: run: `{run.value}` is not a chain of {component.name}",
                    f"its chains: {known}",
                )
            )
        cron = component.schedule or ""
        if component.schedule_parameters and (len(cron.strip().splitlines()) > 1 or "%" in cron):
            found.append(
                Diagnostic(
                    component.schedule_parameters[0].pos,
                    "bad-schedule",
                    "schedule: with parameters, cron is one line without `%`",
                    "the parameterized scheduler reads `CRON %NAME=value` per line",
                )
            )
        found += _approval_problems(component)
        # A value's `;` or line break is the schema's (component.schema.json, format line).
        known_vars = _variables(component)
        for p in component.schedule_parameters:
            if p.name not in known_vars:
                found.append(
                    Diagnostic(
                        p.pos,
                        "unknown-parameter",
                        f"schedule parameter `{p.name}` is not a variable of {component.name}",
                        "a scheduled run sets variables: (component or environment) by name",
                    )
                )
    return found


def _approval_problems(component: Component) -> list[Diagnostic]:
    """A scheduled chain that stops for a person, unless `awaits_approval: true` says it may.

    An error rather than a warning: a schedule that cannot finish alone is almost always a
    mistake (each run waits at `input`, unnoticed, until someone looks), and a warning on
    every validate and compile could not be silenced by the team that means it; the opt-in
    says it in the file, where the next reader sees it.
    """
    run, opted_in = component.schedule_run, component.schedule_awaits_approval
    env = _approver(component, run.value) if run else None
    if run and env and not opted_in:
        others = [c for c in chains(component) if _approver(component, c) is None]
        instead = f"schedule a chain nobody approves ({', '.join(others)}), or " if others else ""
        return [
            Diagnostic(
                run.pos,
                "schedule-awaits-approval",
                f"schedule: run: `{run.value}` waits for approval by `{env.approval}` "
                f"(environment `{env.name}`, {env.pos.path}:{env.pos.line}): every scheduled "
                "run would stop there until a person answers",
                f"{instead}add `awaits_approval: true` under schedule: when a person is meant "
                "to approve each scheduled release",
            )
        ]
    if opted_in and env is None:
        chain = run.value if run else "build-test"
        return [
            Diagnostic(
                opted_in,
                "bad-schedule",
                f"schedule: awaits_approval: true, but `{chain}` asks nobody for approval",
                "remove it, or schedule an environment's release that has `approval:`",
            )
        ]
    return []


def _approver(component: Component, chain: str) -> Environment | None:
    """The environment whose `approval:` the chain `<env>-release` asks for, if any."""
    for env in component.environments:
        if env.approval and chain == f"{env.name}-release" and component.step("release"):
            return env
    return None


def _variables(component: Component) -> set[str]:
    names = {v.name for v in component.variables}
    return names | {v.name for env in component.environments for v in env.variables}
