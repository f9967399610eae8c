"""The one escaping function per target language for text from component files.

XML goes through Jinja2 autoescaping; Groovy and shell values go through the
functions here, exposed to templates as the `groovy` and `sh` filters. Each
returns a complete literal (quotes included), so a template can never forget
the quotes around an escaped value.
"""

from __future__ import annotations

import re
import shlex
import unicodedata

_GROOVY_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
# Other control characters become \uXXXX so a script line never breaks.
_GROOVY_TABLE = str.maketrans(
    {
        **{chr(c): f"\\u{c:04x}" for c in (*range(0x20), 0x7F)},
        **_GROOVY_ESCAPES,
    }
)


def groovy_string(value: str) -> str:
    """A single-quoted Groovy literal whose value is exactly `value`.

    Single quotes make `$` inert (no GString interpolation); backslashes are
    doubled, which also keeps Groovy's source-level `\\uXXXX` processing from
    seeing an escape the user did not write.
    """
    # Printable ASCII without a quote or backslash needs no escape: most values (names,
    # parameters), skipping a translate that looks up every character (300,000 a compile).
    if value.isascii() and value.isprintable() and "'" not in value and "\\" not in value:
        return f"'{value}'"
    return "'" + value.translate(_GROOVY_TABLE) + "'"


def shell_word(value: str) -> str:
    """A POSIX shell word whose value is exactly `value`, expanding nothing."""
    return shlex.quote(value)


def comment_text(value: str) -> str:
    """`value` made safe inside a one-line `#` (shell) or `//` (Groovy) comment.

    A line break would end the comment and run the rest as code, so every
    control or line-separator character becomes `?`. Backslashes are doubled:
    Groovy reads `\\u000a` as a newline even inside a comment.
    """
    if value.isprintable():  # false for every Cc, Cf, Zl and Zp character: none to replace
        return value.replace("\\", "\\\\")
    chars = ("?" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in value)
    return "".join(chars).replace("\\", "\\\\")


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def variable_name(value: str) -> str:
    """An environment variable name, which shell syntax cannot quote: anything else is refused.

    The loader's `varName` pattern already refuses such names at their position;
    reaching here with one is a bug, never a value to pass through.
    """
    if not _NAME.fullmatch(value):
        raise ValueError(f"not a variable name: {value!r}")
    return value
