"""JSON string literals as json.dumps writes them, without a call through json.dumps.

The build's manifest and its record of written files hold 26,000 paths each for
1000 components, and the manifest's lines their names and hashes; json.dumps costs a
microsecond or two a call. For a str it only calls json's C encoder of strings
(ensure_ascii, its default): called straight, that is a tenth of a microsecond.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring_ascii

# `json.dumps(text)`: the encoder itself, not a function around it (a Python call less
# for each of the 300,000 strings a build's manifest quotes).
quoted: Callable[[str], str] = encode_basestring_ascii


def unquoted(literal: str) -> str:
    """The string a JSON string literal (as `quoted` writes it) stands for."""
    return str(json.loads(literal)) if "\\" in literal else literal[1:-1]
