"""The named formats: what Jenkins, git and the shell accept, and nothing that breaks out."""

from __future__ import annotations

import unicodedata

import pytest

from jobgen.load.formats import check, format_names, hint


@pytest.mark.parametrize(
    "spec",
    [
        "H 6 1 * *",
        "@daily",
        "TZ=Europe/London\nH H(0-5) * * 1-5",
        "# off for now",
        "H/15 * * * *",
        "0,30 8-18/2 1-31 1-12 0-7",
        "*/5 * * * *",
    ],
)
def test_jenkins_cron_forms_pass(spec: str) -> None:
    assert check("cron", spec) == ""


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("H 6 1 *", "has 4 fields, not 5"),
        ("H 61 * * *", "hour `61`, but values run from 0 to 23"),
        ("0 0 0 * *", "day of month `0`"),
        ("* * * 13 *", "month `13`"),
        ("* * * * 8", "day of week `8`"),
        ("5-1 * * * *", "runs backwards"),
        ("*/0 * * * *", "a step must be positive"),
        ("H 6 * * MON", "`MON` is not"),
        ("H 6 * * * # nightly", "a `#` comment needs a line of its own"),
        ("H 6 * * *\nTZ=UTC", "Jenkins reads it on line 1 only"),
        ("H 6 * * *\n$(id) * * * *", "(line 2)"),
    ],
)
def test_every_cron_field_is_checked(spec: str, says: str) -> None:
    assert says in check("cron", spec)


def test_each_bad_cron_line_is_named() -> None:
    problem = check("cron", "H 6 1 *\n@daily\nH H * * * *")
    assert "(line 1)" in problem and "(line 3)" in problem


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        (
            "tool-version",
            ["18", "3.11.4", "lts/*", "ruby-3.2.2", "20.1.0+build"],
            ["8\nid", "8 9", "$(id)", "-v", "８"],
        ),
        (
            "label-expression",
            ["linux", "linux && docker", "!windows || (arm64 && gpu)"],
            ["linux'", 'a"b', "a\nb", "$x"],
        ),
        (
            "docker-image",
            ["node:18", "ghcr.io/acme/tool:1.2", "localhost:5000/a/b", "node@sha256:" + "a" * 64],
            ["node:8; id", "Node", "node:", "-v"],
        ),
        (
            "email",
            ["team@example.com", "first.last+ci@mail.example.org"],
            ["a@b", "a b@example.com", "a@example.com,b@example.com", "é@example.com"],
        ),
        (
            "credential-id",
            ["deploy-token", "6f1c2a4e-9b3d-4c8a", "a.b_c"],
            ["a b", "a/b", "$x", "tok\n"],
        ),
        (
            "job-name",
            ["process_model", "a.b-c_1"],
            ["pаy", "a b", "a+b", "x.", ".x", "a/b", "a" * 81],
        ),
        (
            "branch",
            ["main", "release/1.2", "feature/x-y"],
            ["-f", "a..b", "a b", "a~1", "x.lock", "a/.b", "a\nb"],
        ),
        (
            "git-url",
            ["https://git.example.com/a.git", "git@host:team/repo", "/srv/git/a"],
            ["--upload-pack=id", "a b", "a\nb"],
        ),
        (
            "relative-path",
            ["scripts/a.sh", "dist/*.tgz"],
            ["/etc/passwd", "../x", "a/../../x", "-rf", "a" * 256],
        ),
        # One Ant glob: ArtifactArchiver, JUnitResultArchiver and CopyArtifact read `,` as a
        # separator, so `a,/abs` or `a,..` would pass a whole-value check (walk16).
        (
            "workspace-glob",
            ["reports/**/*.xml", "out/metrics.json", "dist/*.tgz", "out/{a}.txt"],
            ["/etc/passwd", "../x", "a/../../x", "-rf", "a.xml,/abs.xml", "a,..", "a\nb"],
        ),
        ("principal", ["releasers", "alice,bob", "ops@example.com"], ["a b", "a'b", "$x", "a\nb"]),
        (
            "text",
            ["any text\twith tabs\nand lines ${x} $(y) `z` ''' ]]>"],
            ["bell\x07", "esc\x1b[2J", "rlo\u202e", "A" * 100_001],
        ),
        ("component-name", ["platform-api"], ["Platform", "a_b", "a" * 61]),
        ("variable-name", ["DB_HOST", "_x"], ["1A", "A-B", "A" * 129]),
    ],
)
def test_formats_accept_what_jenkins_names_and_refuse_the_rest(name, good, bad) -> None:
    assert [v for v in good if check(name, v)] == []
    assert [v for v in bad if not check(name, v)] == []
    assert hint(name)


def test_look_alike_letters_are_named() -> None:
    assert "CYRILLIC SMALL LETTER A" in check("job-name", "pаy")


def test_every_format_is_used_by_the_schema() -> None:
    from jobgen.load.schema import component_schema

    text = str(component_schema())
    unused = [name for name in format_names() if f"'format': '{name}'" not in text]
    assert unused == []


def test_a_workspace_glob_says_what_it_is_relative_to() -> None:
    assert check("workspace-glob", "/abs/x") == "must be relative to the workspace"
    assert "`,`" in check("workspace-glob", "a.xml,b.xml")
    assert "workspace" in hint("workspace-glob")


# The Basic Multilingual Plane and the tag block (Cf): every control Unicode has, and more.
_CHARS = [chr(c) for c in (*range(0x10000), *range(0xE0000, 0xE0080))]


def test_text_refuses_exactly_the_control_characters_but_tab_and_line_breaks() -> None:
    for char in _CHARS:
        refused = unicodedata.category(char) == "Cc" and char not in "\t\n\r"
        bidi = "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069"
        says = check("text", f"a{char}b")
        assert bool(says) == (refused or bidi), f"U+{ord(char):04X}"
        if refused:
            assert says == f"holds the control character U+{ord(char):04X}"


def test_a_line_refuses_exactly_the_control_and_format_characters() -> None:
    for char in _CHARS:
        refused = unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        says = check("line", f"a{char}b")
        assert says == (f"holds the control character U+{ord(char):04X}" if refused else "")
