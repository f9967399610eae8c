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


def groovy_string(value: str) -> str:
    """A single-quoted Groovy literal whose value is exactly `value`.

    Single quotes make `$` inert (no GString interpolation); backslashes are
    doubled, which also keeps Groovy's source-level `\\uXXXX` processing from
    seeing an escape the user did not write. Other control characters become
    `\\uXXXX` so a script line never breaks.
    """
    out = []
    for char in value:
        escaped = _GROOVY_ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def shell_word(value: str) -> str:
    """A POSIX shell word whose value is exactly `value`, expanding nothing."""
    return shlex.quote(value)
