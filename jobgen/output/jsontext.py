"""JSON string literals as json.dumps writes them, without a call into json for plain text.

The build's manifest and its record of written files hold 26,000 paths each for
1000 components; json.dumps costs a microsecond or two a call, most of a
one-component compile's writing time. A path of printable ASCII with no quote or
backslash is written as is, which is exactly what json.dumps gives for it.
"""

from __future__ import annotations

import json


def quoted(text: str) -> str:
    """`json.dumps(text)`."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text)


def unquoted(literal: str) -> str:
    """The string a JSON string literal (as `quoted` writes it) stands for."""
    return str(json.loads(literal)) if "\\" in literal else literal[1:-1]
