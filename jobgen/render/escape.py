"""The one escaping function per target language for text from component files.

XML goes through Jinja2 autoescaping; Groovy and shell values go through the
functions here, exposed to templates as the `groovy` and `sh` filters. Each
returns a complete literal (quotes included), so a template can never forget
the quotes around an escaped value.
"""

from __future__ import annotations

import shlex

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
    return "'" + value.translate(_GROOVY_TABLE) + "'"


def shell_word(value: str) -> str:
    """A POSIX shell word whose value is exactly `value`, expanding nothing."""
    return shlex.quote(value)
