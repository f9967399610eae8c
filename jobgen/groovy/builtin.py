"""Built-in scenarios for generated orchestrations, derived from their phases.

Every generated orchestration must show three things: the GIT_HASH the
resolve stage finds reaches every later build; a failing test stops stage and
release; a failing release of a dependency stops the integration phase (the
phases after it). They are written from the plan's `GeneratedScript`, so
they follow the template as it changes, and need no file in the repo.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from jobgen.diagnostics import SourcePos
from jobgen.groovy.builtin_alerts import alert_post, alerts_of, metrics_answers
from jobgen.groovy.scenario import Expected, Scenario
from jobgen.plan.specs import BuildCall, GeneratedScript, Notify, Param, Phase

FOUND_HASH = "0123456789abcdef0123456789abcdef01234567"  # what `git ls-remote` answers
GIVEN_HASH = "fedcba9876543210fedcba9876543210fedcba98"  # what *_PRODUCTION_VERSION holds
TEST_BUILD_URL = "http://jenkins.test/job/{}/1/"  # env.BUILD_URL of a `jobgen test` run


def builtin_scenarios(
    job: str,
    component: str,
    script: GeneratedScript,
    params: Sequence[Param],
    pos: SourcePos,
    junit_workers: frozenset[str] = frozenset(),
) -> list[Scenario]:
    """The built-in scenarios of one generated orchestration (job = its common name)."""
    values = _params(script, params)
    make = _Maker(job, component, pos, values, metrics_answers(script))
    found = [
        make(
            "git-hash-reaches-every-phase",
            {},
            _builds(script.phases, values, component),
            (),
            "SUCCESS",
        )
    ]
    for alert in alerts_of(script):
        fires = _Maker(job, component, pos, values, metrics_answers(script, alert))
        found.append(fires(f"alert-{alert.metric}-fires", {}, [alert_post(alert)], (), "SUCCESS"))
        quiet = make(f"alert-{alert.metric}-stays-quiet", {}, [], (), "SUCCESS")
        found.append(
            replace(quiet, expected=replace(quiet.expected, calls_exclude=(alert_post(alert),)))
        )
    for index, phase in enumerate(script.phases):
        later = [c for p in script.phases[index + 1 :] for c in p.calls]
        for call in phase.calls:
            # A failing test step stops the rest.
            if _is_test(call, script.component) and later:
                ran = [{"build": {"job": call.target}}]
                found.append(
                    make(
                        "failing-test-stops-later-phases",
                        {call.target: "FAILURE"},
                        ran,
                        later,
                        "FAILURE",
                    )
                )
            if call.target in junit_workers and not phase.integration:
                found.append(_unstable(make, job, script, call, later))
            if phase.integration and call.target.endswith("-release"):
                found.append(
                    make(
                        f"failing-release-of-{call.branch or call.target}-stops-integration",
                        {_job(call, component): "FAILURE"},
                        [{"build": {"job": _job(call, component)}}],
                        later,
                        "FAILURE",
                    )
                )
    return found


def _unstable(
    make: _Maker, job: str, script: GeneratedScript, call: BuildCall, later: list[BuildCall]
) -> Scenario:
    """A JUnit step with failing tests (UNSTABLE): the chain ends UNSTABLE, the phases after
    it do not run, and the notification says UNSTABLE; also when the step is the last one,
    where nothing later could show that the chain stopped."""
    what = "unstable-tests-stop-later-phases" if later else "unstable-tests-make-the-chain-unstable"
    told, untold = notified(script.notify, job, "UNSTABLE")
    ran = [{"build": {"job": call.target}}, *told]
    scenario = make(what, {call.target: "UNSTABLE"}, ran, later, "UNSTABLE")
    excluded = (*(scenario.expected.calls_exclude or ()), *untold)
    return replace(scenario, expected=replace(scenario.expected, calls_exclude=excluded or None))


def notified(notify: Notify | None, job: str, result: str) -> tuple[list[Any], list[Any]]:
    """The calls that tell people `result` (to include), and those that must not happen.

    As orchestration.groovy.j2 sends them: mail with the result in the subject, the
    webhook's JSON with it, or, without `notify:`, a line in the build log. `jobgen test`
    runs build 1 of `job` at TEST_BUILD_URL (groovy_lib/test/prelude.groovy, JobgenState).
    """
    if notify is None:
        return [{"echo": f"{job}: {result}"}], []
    calls: list[Any] = []
    if notify.emails:
        calls.append({"mail": {"to": ", ".join(notify.emails), "subject": f"{job} #1: {result}"}})
    if notify.webhook_credential:
        body = {"job": job, "build": "1", "result": result, "url": TEST_BUILD_URL.format(job)}
        calls.append({"httpRequest": {"requestBody": json.dumps(body, separators=(",", ":"))}})
    wanted = "always" in notify.on or result.lower() in notify.on
    return (calls, []) if wanted else ([], calls)


def _is_test(call: BuildCall, component: str) -> bool:
    return call.target == f"{component}-test"


def _params(script: GeneratedScript, params: Sequence[Param]) -> dict[str, Any]:
    values: dict[str, Any] = {p.name: p.default for p in params}
    values["GIT_HASH"] = ""  # empty: the resolve stage must find the commit itself
    for phase in script.phases:
        for name, _ in phase.needs:
            values[name] = GIVEN_HASH
        # The integration phase's versions, given explicitly: the scenarios follow the builds
        # that make each related component present (the looked-up path needs a released run).
        for lookup in phase.lookups:
            values[lookup.param] = GIVEN_HASH
    for p in params:
        if p.required and not values.get(p.name):
            values[p.name] = f"value-of-{p.name}"
    return values


def _job(call: BuildCall, component: str) -> str:
    """The name the orchestration builds: another component's stable job is named from the
    caller's folder (`../frontend/frontend-release`), as the renderer's stable references are."""
    if call.stable and call.branch and call.branch != component:
        return f"../{call.branch}/{call.target}"
    return call.target


def _builds(phases: Sequence[Phase], values: dict[str, Any], component: str) -> list[Any]:
    calls = []
    for phase in phases:
        for call in phase.calls:
            parameters = [
                {"string": {"name": arg.name, "value": _value(arg.source, arg.value, values)}}
                for arg in call.args
            ]
            calls.append({"build": {"job": _job(call, component), "parameters": parameters}})
    return calls


def _value(source: str, value: str, values: dict[str, Any]) -> Any:
    if source == "git_hash":
        return FOUND_HASH
    if source == "param":
        return values.get(value)
    if source == "build_number":
        return "1"  # jobgen test numbers each job's builds from 1
    if source == "version":  # the related component's version: given, as _params sets it
        return GIVEN_HASH
    return value


class _Maker:
    def __init__(
        self,
        job: str,
        component: str,
        pos: SourcePos,
        values: dict[str, Any],
        metrics: dict[str, Any],
    ) -> None:
        self.job, self.component, self.pos, self.values = job, component, pos, values
        self.metrics = metrics  # copyArtifacts answers: the alerts' metrics files

    def __call__(
        self,
        what: str,
        builds: dict[str, str],
        include: Sequence[Any],
        excluded: Sequence[BuildCall],
        result: str,
    ) -> Scenario:
        expected = Expected(
            result=result,
            calls_include=tuple(include),
            calls_exclude=tuple({"build": {"job": _job(c, self.component)}} for c in excluded)
            or None,
        )
        return Scenario(
            id=f"{self.component}/{self.job}/builtin:{what}",
            name=what,
            component=self.component,
            file=Path(self.pos.path),
            pos=self.pos,
            job=self.job,
            job_pos=self.pos,
            params=dict(self.values),
            answers={
                "build": builds,
                "sh": {"*": FOUND_HASH + "\n"},
                # An answer never asked for is a scenario mistake: only where alerts read metrics.
                **({"copyArtifacts": self.metrics} if self.metrics else {}),
            },
            expected=expected,
            builtin=True,
        )
