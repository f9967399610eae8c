"""The secret detector: found by key or by shape, anywhere, and never printed."""

from __future__ import annotations

import re

import pytest

from jobgen.commands.validate import format_text
from jobgen.load.secrets import (
    _SHORTEST,
    _TOKEN,
    _VALUE_PATTERNS,
    find_secrets,
    mask_text,
    secret_kind,
)
from jobgen.load.yaml_nodes import parse_yaml


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


# Shapes of real secrets, written in pieces so that this file itself holds none.
AWS_KEY = "AKIA" + "Z7QXJ3K2LMNP4RST"
PRIVATE_KEY = (
    "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
)
URL_PASSWORD = "https://deploy:" + "hunter2@git.example.com/team/repo.git"
URL_TOKEN = "https://" + "ghp_R8fK2mQ9xLw4Tz7vNb3Yc6Hd1Js5Pa0Ue" + "@github.com/team/repo.git"
RANDOM_TOKEN = "xK9" + "mQ2vLp8RtZ4wN7bY3cF6hJ1dS5gA0eU"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", f"uses {AWS_KEY} for uploads"),
        ("steps.build", PRIVATE_KEY),
        ("repo", URL_PASSWORD),
        ("repo", URL_TOKEN),
        ("steps.build", f"curl -H 'Authorization: Bearer {RANDOM_TOKEN}' https://x"),
    ],
)
def test_secret_shaped_values_are_refused_anywhere_and_never_printed(field, value) -> None:
    key, *rest = field.split(".")
    doc = {key: {rest[0]: value}} if rest else {key: value}
    import json

    parsed = parse_yaml(json.dumps({"component": "c", **doc}), "c.yaml")
    (found,) = find_secrets(parsed.value, parsed.positions)
    assert found.code == "secret-in-file"
    printed = format_text([found], 1)
    assert value not in printed and value.split("\n")[0] not in printed


@pytest.mark.parametrize(
    "text",
    [
        "git@github.com:team/repo.git",
        "ssh://git@git.example.com/team/repo.git",
        "git checkout 3f786850e387550fdab836ed7e6dc881de23001b",  # a hex digest is not random
        "docker pull node@sha256:" + "a" * 64,
        "npm run build -- --output-path=dist/frontend/production-bundle-v2",
        "credentials id 6f1c2a4e-9b3d-4c8a-a1f2-0e5d7b9c3a61",
    ],
)
def test_ordinary_values_are_not_secrets(text: str) -> None:
    parsed = parse_yaml(f"description: {text!r}\n", "c.yaml")
    assert list(find_secrets(parsed.value, parsed.positions)) == []


@pytest.mark.parametrize("name", ["DB_PASSWORD", "API_TOKEN", "CLIENT_SECRET", "SSH_KEY"])
def test_defaults_of_parameters_named_as_secrets_are_refused(name: str) -> None:
    text = f"jobs:\n  j:\n    parameters:\n      {name}: {{default: value-here}}\n"
    parsed = parse_yaml(text, "c.yaml")
    (found,) = find_secrets(parsed.value, parsed.positions)
    col = text.splitlines()[3].index("value-here") + 1
    assert found.pos is not None and (found.pos.line, found.pos.col) == (4, col)
    assert "value-here" not in format_text([found], 1)


def test_a_parameter_named_as_a_secret_without_a_default_is_fine() -> None:
    parsed = parse_yaml(
        "jobs:\n  j:\n    parameters:\n      API_TOKEN: {required: true}\n", "c.yaml"
    )
    assert list(find_secrets(parsed.value, parsed.positions)) == []


def test_lines_shown_by_any_diagnostic_mask_secret_keys_and_shapes() -> None:
    assert mask_text("  password: hunter2", keys=True) == "  password: ****"
    assert (
        mask_text("export API_TOKEN=abc123 && make", keys=True) == "export API_TOKEN=**** && make"
    )
    assert mask_text(f"repo: {URL_PASSWORD}") == "repo: ****git.example.com/team/repo.git"
    assert mask_text("echo ${API_TOKEN}", keys=True) == "echo ${API_TOKEN}"


def test_the_default_of_a_credentials_parameter_is_an_id_not_a_secret() -> None:
    text = (
        "jobs:\n  j:\n    parameters:\n      SSH_KEY: {type: credentials, default: ops-ssh-key}\n"
    )
    parsed = parse_yaml(text, "c.yaml")
    assert list(find_secrets(parsed.value, parsed.positions)) == []


def test_no_secret_pattern_can_match_the_short_values_left_unsearched() -> None:
    # secret_kind skips a value shorter than _SHORTEST without `://`: a pattern added
    # later that matches less must lower it, or short secrets would pass unseen.
    for pattern in [p for _, p in _VALUE_PATTERNS] + [_TOKEN]:
        shortest = re._parser.parse(pattern.pattern, pattern.flags).getwidth()[0]
        assert shortest >= _SHORTEST or "://" in pattern.pattern, pattern.pattern
    assert secret_kind("AKIA" + "A" * 16) == "an AWS access key id"
    assert secret_kind("a://b:c@") == "a password in a URL"
