"""Built-in scenarios of threshold alerts and test reports, derived from the plan.

For every alert of a generated orchestration: one run whose metric crosses the
threshold (the webhook is posted to) and one whose metric stays on the safe
side (nothing is posted). Every other built-in scenario gets the safe metrics,
so the alerts stay quiet there. A step publishing JUnit results gets a run in
which its build is UNSTABLE: the chain ends UNSTABLE and stops, as Jenkins'
`build` step does with a downstream UNSTABLE (docs/jenkins-facts.md, features).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jobgen.plan.specs import AlertCheck, GeneratedScript

# (fires, stays quiet): a value on each side of the threshold, for each operator.
_SIDES = {
    "<": (-1, 1),
    "<=": (-1, 1),
    ">": (1, -1),
    ">=": (1, -1),
    "==": (0, 1),
    "!=": (1, 0),
}


def metric_value(alert: AlertCheck, fires: bool) -> int | float:
    """A value of the metric on the firing or the quiet side of the alert's threshold."""
    threshold = Decimal(alert.threshold)
    value = threshold + _SIDES[alert.op][0 if fires else 1]
    return int(value) if "." not in alert.threshold else float(value)


def metrics_answers(script: GeneratedScript, firing: AlertCheck | None = None) -> dict[str, Any]:
    """`copyArtifacts` answers: each alerting worker's metrics file, quiet but for `firing`."""
    answers: dict[str, dict[str, dict[str, Any]]] = {}
    for phase in script.phases:
        for alert in phase.alerts:
            files = answers.setdefault(alert.source, {})
            values = files.setdefault(alert.metrics, {})
            values[alert.metric] = metric_value(alert, alert is firing)
    return answers


def alert_post(alert: AlertCheck) -> dict[str, Any]:
    """The recorded call that posts an alert: the webhook URL bound from its credential."""
    binding = {
        "string": {"credentialsId": alert.webhook_credential, "variable": "JOBGEN_ALERT_URL"}
    }
    return {"withCredentials": [[binding], "{...}"]}


def alerts_of(script: GeneratedScript) -> list[AlertCheck]:
    """Every alert of the script, in phase order."""
    return [alert for phase in script.phases for alert in phase.alerts]
