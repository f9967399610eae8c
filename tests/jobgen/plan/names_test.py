"""Jenkins.checkGoodName's rules, character by character (docs/jenkins-facts.md, `## coldload`)."""

from __future__ import annotations

import string

from jobgen.plan.names import UNSAFE_CHARS, jenkins_name_problem, name_problem


def test_each_character_is_refused_as_jenkins_refuses_it() -> None:
    for code in range(0x3000):
        char = chr(code)
        problem = jenkins_name_problem(f"a{char}b")
        if code < 0x20 or 0x7F <= code <= 0x9F:  # Character.isISOControl
            assert problem == f"No control code is allowed (U+{code:04X})"
        elif char in UNSAFE_CHARS:
            assert problem == f"‘{char}’ is an unsafe character"
        else:
            assert problem is None, f"U+{code:04X}"


def test_a_control_code_anywhere_is_named_before_an_unsafe_character() -> None:
    # Jenkins names whichever comes first (docs/jenkins-facts.md); jobgen's message is older.
    assert jenkins_name_problem("a;b\x02\x01") == "No control code is allowed (U+0002)"
    assert jenkins_name_problem("a;b/c") == "‘;’ is an unsafe character"


def test_a_plain_name_taken_at_once_passes_every_rule() -> None:
    # ASCII letters, digits, '-' and '_' skip the rules: each rule accepts every such name.
    plain = string.ascii_letters + string.digits + "-_"
    for name in [*plain, "-", "_", "--", "a-", "_a_", "frontend-qa-release", "x" * 300]:
        assert jenkins_name_problem(name) is None
        assert name_problem(name) is None
    for char in map(chr, range(0x250)):
        # Any other character takes the rules, whatever they answer.
        if char not in plain:
            assert jenkins_name_problem(f"a{char}") == name_problem(f"a{char}")
