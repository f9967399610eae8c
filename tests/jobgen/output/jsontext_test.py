"""JSON string literals as json.dumps writes them, read back without json for plain text."""

from __future__ import annotations

import json

import pytest

from jobgen.output.jsontext import quoted, unquoted

TEXTS = [
    "jobs/frontend/frontend-build-v3-1a2b3c4.xml",
    "",
    'a "quoted" name',
    "back\\slash",
    "new\nline\ttab\x00nul\x7fdel",
    "caf\u00e9 \u2028 \U0001f600",
    "\udc80",  # a lone surrogate, as a non-UTF-8 file name decodes
]


@pytest.mark.parametrize("text", TEXTS)
def test_quoted_is_what_json_writes_and_unquoted_reads_it_back(text):
    assert quoted(text) == json.dumps(text)
    assert unquoted(quoted(text)) == text
