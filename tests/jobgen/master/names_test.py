"""Jenkins' item-name rules."""

import pytest

from jobgen.master.names import name_problem


@pytest.mark.parametrize("name", ["svc-v1-abc123", "a b", "ünïcode", "x+y=(z)", " padded "])
def test_accepted_names(name):
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "No name is specified"),
        ("..", "“..” is not an allowed name"),
        ("a/b", "‘/’ is an unsafe character"),
        ("semi;colon", "‘;’ is an unsafe character"),
        ("trailing.", "A name cannot end with ‘.’"),
        ("tab\there", "No control code is allowed: tab\\u0009;here"),
    ],
)
def test_rejected_names_with_jenkins_messages(name, message):
    assert name_problem(name) == message
