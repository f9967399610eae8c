"""Secrets and cron lines: the field checks JSON Schema cannot express."""

from __future__ import annotations

import pytest

from jobgen.load.field_checks import check_schedule, find_secrets
from jobgen.load.yaml_nodes import parse_yaml


@pytest.mark.parametrize(
    "schedule",
    ["H 6 1 * *", "@daily", "TZ=Europe/London\nH H(0-5) * * 1-5", "# off for now", "H/15 * * * *"],
)
def test_jenkins_cron_forms_pass(schedule: str) -> None:
    parsed = parse_yaml(f"schedule: {schedule!r}\n", "c.yaml")
    assert check_schedule(parsed.value, parsed.positions) == []


def test_each_bad_cron_line_is_reported_at_the_schedule_value() -> None:
    parsed = parse_yaml('schedule: "H 6 1 *\\nH H * * * *"\n', "c.yaml")
    found = check_schedule(parsed.value, parsed.positions)
    assert [d.message for d in found] == [
        "schedule: `H 6 1 *` has 4 fields, not 5",
        "schedule: `H H * * * *` has 6 fields, not 5",
    ]
    assert all(d.pos is not None and (d.pos.line, d.pos.col) == (1, 11) for d in found)


@pytest.mark.parametrize(
    "key",
    ["password", "DB_PASSWORD", "secret", "clientSecret", "GITHUB_TOKEN", "api_key", "apiKey"],
)
def test_secret_keys_with_values_are_found_anywhere(key: str) -> None:
    parsed = parse_yaml(f"a:\n  - b: {{{key}: value-here}}\n", "c.yaml")
    (found,) = find_secrets(parsed.value, parsed.positions)
    assert found.code == "secret-in-file" and "value-here" not in found.format()
    assert found.pos is not None and found.pos.line == 2


def test_empty_values_and_credential_ids_are_not_secrets() -> None:
    text = "webhook_credential: opsgenie-hook\ntoken:\npassword: ''\nenv: [DB_PASSWORD]\n"
    parsed = parse_yaml(text, "c.yaml")
    assert list(find_secrets(parsed.value, parsed.positions)) == []
