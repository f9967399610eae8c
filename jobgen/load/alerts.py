"""Threshold alerts of a step: `when: 'renewal_rate < 0.70'` parsed into (metric, op, number).

The expression is parsed here, once, into a structure; the orchestration then
compares a metric with a number through a fixed operator. Nothing the user
wrote is ever evaluated as code (the Groovy sandbox would refuse `Eval`, and
text spliced into a script could escape it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from jobgen.diagnostics import SourcePos
from jobgen.load.model import Alert

OPERATORS = ("<=", ">=", "==", "!=", "<", ">")
# A metric is a top-level key of the metrics JSON; the threshold a plain decimal number.
_THRESHOLD = re.compile(
    r"\s*(?P<metric>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op><=|>=|==|!=|<|>)\s*"
    r"(?P<number>-?(?:\d+(?:\.\d*)?|\.\d+))\s*"
)
HINT = "write `METRIC OP NUMBER`, e.g. `when: renewal_rate < 0.70` (OP: < <= > >= == !=)"

Report = Callable[[SourcePos, str], None]


def parse_threshold(text: str) -> tuple[str, str, str] | None:
    """(metric, operator, number text) of `text`, or None when it is not `METRIC OP NUMBER`."""
    match = _THRESHOLD.fullmatch(text)
    if match is None:
        return None
    number = match["number"]
    # Groovy reads `.5` as a property access and `5.` as a method call: write them out in full.
    if number.startswith((".", "-.")):
        number = number.replace(".", "0.", 1)
    if number.endswith("."):
        number += "0"
    # Groovy reads `010` as octal (8) and refuses `08`: the threshold is the decimal written.
    number = re.sub(r"^(-?)0+(?=\d)", r"\1", number)
    return match["metric"], match["op"], number


def alert(
    value: Mapping[str, object], pos: SourcePos, when_pos: SourcePos, bad: Report
) -> Alert | None:
    """The Alert of one `alerts:` entry; a `when:` that does not parse is reported at `when_pos`."""
    when = value.get("when")
    credential = value.get("webhook_credential")
    if not isinstance(when, str) or not isinstance(credential, str):
        return None  # the schema has reported the missing or mistyped field
    parsed = parse_threshold(when)
    if parsed is None:
        bad(when_pos, f"`{when}` is not a threshold")
        return None
    metric, op, number = parsed
    message = value.get("message")
    text = message if isinstance(message, str) else f"{metric} {op} {number}"
    return Alert(metric, op, number, credential, text, pos)
