"""The named string formats of the component schema, one checker each.

`component.schema.json` names a format on every string field (`"format":
"tool-version"`); this module is the only place that says what each format
accepts. A checker returns why a value is refused, or "" when it is accepted;
`format_checker()` hands them to jsonschema, and the schema module turns a
refusal into a positioned diagnostic with the format's hint.

The formats follow what Jenkins or the shell would accept (the Jenkins facts
are in docs/jenkins-facts.md, `## security`), narrowed to ASCII where a value
names something: a Cyrillic `а` looks like `a` and names another job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsonschema import FormatChecker

# Long enough for any real step or description; a 10 MB value is a mistake or an attack.
MAX_TEXT = 100_000


class FormatProblem(ValueError):
    """Why a value does not have its field's format (jsonschema keeps it as the cause)."""


@dataclass(frozen=True)
class Format:
    """A named format: its checker, and the hint printed when a value is refused."""

    check: Callable[[str], str]
    hint: str


def _control(value: str, allowed: str = "") -> str:
    if value.isascii() and value.isprintable():
        return ""  # the common case, without a look-up per character: no ASCII is Cf, Zl, Zp
    for char in value:
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            return f"holds the control character U+{ord(char):04X}"
    return ""


# Bidirectional overrides make code read differently than it runs ("Trojan Source").
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Unicode category Cc (a set Unicode promises never to change) but tab and line breaks.
_TEXT_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _text_control(value: str) -> str:
    """Free text keeps line breaks, tabs and any printable character; not other controls."""
    bidi = _BIDI.search(value)
    if bidi:
        return f"holds the bidirectional control U+{ord(bidi.group(0)):04X}"
    control = _TEXT_CONTROL.search(value)
    if control:
        return f"holds the control character U+{ord(control.group(0)):04X}"
    return ""


def _too_long(value: str, limit: int) -> str:
    return (
        f"is {len(value):,} characters long, over the limit of {limit:,}"
        if len(value) > limit
        else ""
    )


def _not_ascii(value: str) -> str:
    if value.isascii():
        return ""
    for char in value:
        if not char.isascii():
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            return f"holds `{char}` ({name}), which is not ASCII and may look like an ASCII letter"
    return ""


def _first(*problems: str) -> str:
    return next((p for p in problems if p), "")


def _matching(pattern: str, limit: int, what: str) -> Callable[[str], str]:
    regex = re.compile(pattern)

    def check(value: str) -> str:
        if len(value) > limit:  # before any scan of a 10 MB value
            return _too_long(value, limit)
        return _first(
            _control(value),
            _not_ascii(value),
            "" if regex.fullmatch(value) else f"is not {what}",
        )

    return check


def _text(value: str) -> str:
    """Free text (descriptions, shell, values): anything printable, tabs and line breaks."""
    return _too_long(value, MAX_TEXT) or _text_control(value)


def _line(value: str) -> str:
    return _too_long(value, 1000) or _control(value)


def _job_name(value: str) -> str:
    # The deployed name adds the component and a version; the build folder holds a file
    # named after it, and file names stop at 255 bytes.
    if len(value) > 80:  # before any scan of a 10 MB value
        return _too_long(value, 80)
    return _first(
        _control(value),
        _not_ascii(value),
        "" if _JOB_NAME.fullmatch(value) else "is not a job name",
        "cannot end with `.`" if value.endswith(".") else "",
    )


_JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _branch(value: str) -> str:
    """`git check-ref-format` rules, and no leading `-` (git would read an option)."""
    bad = re.search(r"[\s~^:?*\[\\]|\.\.|@\{|//", value)
    if len(value) > 255:  # before any scan of a 10 MB value
        return _too_long(value, 255)
    return _first(
        _control(value),
        f"holds `{bad.group(0)}`, which git refuses in a branch name" if bad else "",
        "must not start with `-` or `/`" if value.startswith(("-", "/")) else "",
        "must not end with `/`, `.` or `.lock`" if value.endswith(("/", ".", ".lock")) else "",
        "has a part starting with `.`" if re.search(r"(^|/)\.", value) else "",
    )


def _git_url(value: str) -> str:
    if len(value) > 2048:  # before any scan of a 10 MB value
        return _too_long(value, 2048)
    return _first(
        _control(value),
        "holds a space" if re.search(r"\s", value) else "",
        # `git ls-remote --upload-pack=...` would run a command.
        "must not start with `-`" if value.startswith("-") else "",
    )


def _relative_path(value: str, base: str = "the component file's folder") -> str:
    parts = value.replace("\\", "/").split("/")
    if len(value) > 1024:  # before any scan of a 10 MB value
        return _too_long(value, 1024)
    return _first(
        _control(value),
        f"must be relative to {base}" if value.startswith("/") else "",
        "must not climb out with `..`" if ".." in parts else "",
        "must not start with `-`" if value.startswith("-") else "",
        # Longer names make every file call fail with "File name too long".
        "has a name over 255 bytes" if any(len(p.encode()) > 255 for p in parts) else "",
    )


def _workspace_glob(value: str) -> str:
    # ArtifactArchiver, JUnitResultArchiver and CopyArtifact read `,` as a separator: a
    # second glob would escape the checks made on the whole value.
    return _first(
        _relative_path(value, "the workspace"),
        "holds `,`, which Jenkins reads between globs: one glob per entry" if "," in value else "",
    )


_CRON_ALIASES = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
# Jenkins' BaseParser.LOWER_BOUNDS and UPPER_BOUNDS.
_CRON_FIELDS: tuple[tuple[str, int, int], ...] = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)
_CRON_TERM = re.compile(
    r"(?:(?P<star>\*)|(?P<h>H)(?:\((?P<hs>\d+)-(?P<he>\d+)\))?|(?P<s>\d+)(?:-(?P<e>\d+))?)"
    r"(?:/(?P<step>\d+))?"
)


def _cron(value: str) -> str:
    """Jenkins' CronTabList: one spec a line, `#` comment lines, `TZ=` on the first line."""
    if len(value) > 10_000:
        return _too_long(value, 10_000)
    if _control(value, "\n\t"):
        return _control(value, "\n\t")
    problems = []
    for number, raw in enumerate(value.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line in _CRON_ALIASES:
            continue
        if line.startswith("TZ="):
            if number != 1:
                problems.append(f"has `TZ=` on line {number}; Jenkins reads it on line 1 only")
            continue
        problem = _cron_spec(line)
        if problem:
            problems.append(f"{problem} (line {number})")
    return "; ".join(problems[:10])


def _cron_spec(spec: str) -> str:
    fields = spec.split()
    if len(fields) != 5:
        plural = "s" if len(fields) != 1 else ""
        comment = " (a `#` comment needs a line of its own)" if "#" in spec else ""
        return f"has {len(fields)} field{plural}, not 5, in `{spec[:60]}`{comment}"
    for text, (name, low, high) in zip(fields, _CRON_FIELDS, strict=True):
        for term in text.split(","):
            problem = _cron_term(term, low, high)
            if problem:
                return f"has {name} `{text[:30]}`, but {problem}"
    return ""


def _cron_term(term: str, low: int, high: int) -> str:
    match = _CRON_TERM.fullmatch(term)
    if not match or len(term) > 30:
        return f"`{term[:30]}` is not *, H, H(a-b), a number or a range a-b, each with /step or not"
    numbers = [int(n) for n in match.group("s", "e", "hs", "he") if n is not None]
    if any(not low <= n <= high for n in numbers):
        return f"values run from {low} to {high}"
    if match.group("e") and int(match.group("s")) > int(match.group("e")):
        return "the range runs backwards"
    step = match.group("step")
    if step is not None and int(step) <= 0:
        return "a step must be positive"
    return ""


_FORMATS: dict[str, Format] = {
    "text": Format(_text, "control characters other than tab and newline are refused"),
    "line": Format(_line, "a single line of text"),
    "job-name": Format(
        _job_name, "ASCII letters, digits, `_`, `-` and `.`, starting with a letter or digit"
    ),
    "component-name": Format(
        _matching(r"[a-z][a-z0-9-]*", 60, "a component name"),
        "lower case letters, digits and dashes, starting with a letter, e.g. platform-api",
    ),
    "variable-name": Format(
        _matching(r"[A-Za-z_][A-Za-z0-9_]*", 128, "an environment variable name"),
        "letters, digits and _, not starting with a digit",
    ),
    "tool-version": Format(
        _matching(r"[A-Za-z0-9][A-Za-z0-9._/*+-]*", 64, "a tool version"),
        "a version as the version manager names it, e.g. 18.19.0, 3.11, lts/*",
    ),
    "label-expression": Format(
        _matching(r"[A-Za-z0-9_.:/+=&|!()<> -]+", 256, "a Jenkins label or label expression"),
        "labels are letters, digits and `_.:/+=-`, joined by && || ! ( ); no quotes",
    ),
    "docker-image": Format(
        _matching(
            r"(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*"
            r"(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*"
            r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?",
            255,
            "a docker image reference",
        ),
        "[registry[:port]/]name[:tag][@sha256:digest], e.g. node:18 or ghcr.io/acme/tool:1.2",
    ),
    "cron": Format(
        _cron,
        'minute hour day-of-month month day-of-week, e.g. "H 6 1 * *" (monthly), or @daily',
    ),
    "email": Format(
        _matching(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", 254, "an email address"),
        "one address per item, e.g. team@example.com",
    ),
    "credential-id": Format(
        _matching(r"[A-Za-z0-9_.-]+", 128, "a Jenkins credential id"),
        "Jenkins accepts letters, digits, `_`, `.` and `-` in a credential id",
    ),
    "git-url": Format(_git_url, "e.g. https://git.example.com/team/repo.git or git@host:team/repo"),
    "branch": Format(_branch, "a git branch name, e.g. main or release/1.2"),
    "relative-path": Format(_relative_path, "a path relative to the component file's folder"),
    "workspace-glob": Format(
        _workspace_glob, "a file or Ant glob relative to the workspace, e.g. reports/**/*.xml"
    ),
    "principal": Format(
        _matching(r"[^\s,'\"`$\\]+(?:,[^\s,'\"`$\\]+)*", 256, "a Jenkins user or group"),
        "a user or group name, or several separated by commas",
    ),
}


def format_names() -> tuple[str, ...]:
    """Every named format, for the schema's tests."""
    return tuple(_FORMATS)


def check(name: str, value: str) -> str:
    """Why `value` is not of format `name`, or "" when it is."""
    return _FORMATS[name].check(value)


def hint(name: str) -> str:
    """What a value of format `name` looks like."""
    return _FORMATS[name].hint


FormatFunction = tuple[Callable[[object], bool], type[FormatProblem]]


def format_functions() -> dict[str, FormatFunction]:
    """Each format as jsonschema checks it: a function returning True or raising FormatProblem."""
    return {name: (_raising(name), FormatProblem) for name in _FORMATS}


def format_checker() -> FormatChecker:
    """A jsonschema FormatChecker knowing exactly jobgen's formats."""
    # Imported here: a load of valid files never needs jsonschema (schema_check.py), and its
    # import is a tenth of a second of every command that loads.
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, (function, raises) in format_functions().items():
        checker.checks(name, raises=raises)(function)
    return checker


def _raising(name: str) -> Callable[[object], bool]:
    def checked(value: object) -> bool:
        if not isinstance(value, str) or not value:
            return True  # the type and minLength keywords report these
        problem = check(name, value)
        if problem:
            raise FormatProblem(problem)
        return True

    return checked
