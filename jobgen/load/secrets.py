"""The one secret detector: what looks like a secret, where it sits, and how to mask it.

Component files and jobgen.yaml name Jenkins credential ids only; a secret in
them is refused wherever it is (any field, any depth), and no diagnostic
ever prints one: `mask_text` hides every match in text about to be shown.
Two kinds of evidence count:
- the key says so: a value under `password`, `token`, `*_KEY`..., or the
  `default:` of a parameter so named;
- the value says so: an AWS access key id, a private key block, a password or
  long token in a URL's userinfo, a long high-entropy token.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import lru_cache

from jobgen.diagnostics import Diagnostic
from jobgen.load.formats import MAX_TEXT
from jobgen.load.yaml_nodes import PositionMap, YamlPath

MASK = "****"
# Key names that hold a secret value. `_key` must end the name: `key_file` names a path.
SECRET_KEY = re.compile(r"password|passwd|secret|token|api[_-]?key|private[_-]?key|_key$", re.I)
SECRET_HINT = (
    "store the secret in Jenkins as a credential and name its id under `credentials:` "
    "(then remove it from the file and from git history)"
)
_VALUE_PATTERNS = (
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")),
    # user:password@ in any scheme's URL; `ssh://git@host` (a user alone) is fine.
    ("a password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/@:]*:[^\s/@]+@", re.I)),
    ("a token in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[A-Za-z0-9_\-.~]{20,}@", re.I)),
)
_TOKEN = re.compile(r"[A-Za-z0-9+/_\-]{32,}={0,2}")
# Random base64 runs near 6 bits a character; hex digests (git hashes, sha256) stay at 4 or less.
_ENTROPY_BITS = 4.3


# The shortest text any pattern above can match: an AWS key id is 20 characters, a private
# key's header 27, a token 32; both URL patterns need a `://`.
_SHORTEST = 20


# Texts in which no secret was seen: the same URLs and commands recur in every file (3,000
# of the 5,900 texts tried in 1000 component files). Bounded: a file's own texts pass by.
_CLEAN: set[str] = set()
_CLEAN_MAX = 4096


def secret_kind(text: str) -> str:
    """What secret `text` holds (`an AWS access key id`...), or "" when none is seen."""
    if len(text) < _SHORTEST and "://" not in text:
        return ""  # most values: no pattern can match, so none is tried
    if text in _CLEAN:
        return ""
    for kind, pattern in _VALUE_PATTERNS:
        if pattern.search(text):
            return kind
    if any(_random(m.group(0)) for m in _TOKEN.finditer(text)):
        return "a long random token"
    if len(_CLEAN) < _CLEAN_MAX:
        _CLEAN.add(text)
    return ""


def _random(token: str) -> bool:
    has_classes = sum(bool(re.search(p, token)) for p in ("[a-z]", "[A-Z]", "[0-9]")) == 3
    return has_classes and _entropy(token) >= _ENTROPY_BITS


def _entropy(token: str) -> float:
    counts = Counter(token)
    return -sum(n / len(token) * math.log2(n / len(token)) for n in counts.values())


def mask_text(text: str, keys: bool = False) -> str:
    """`text` with every secret-looking value replaced by ****: for anything shown to people.

    With `keys`, `text` is a line of a file, and values after secret-named keys
    (`password: x`, `API_TOKEN=x`) are masked too.
    """
    for _, pattern in _VALUE_PATTERNS:
        text = pattern.sub(MASK, text)
    text = _TOKEN.sub(lambda m: MASK if _random(m.group(0)) else m.group(0), text)
    if not keys:
        return text
    return _KEY_VALUE.sub(lambda m: m.group(1) + MASK if _keyed(m) else m.group(0), text)


# `password: x`, `"token" = x`, `API_TOKEN=x` in a line of YAML, shell or a message.
_KEY_VALUE = re.compile(r"""([\w.-]+["']?\s*[:=]\s*)(?!\s*[|>{\[]\s*$)([^\s,}\]#]+)""")


def _keyed(match: re.Match[str]) -> bool:
    key = match.group(1).rstrip(":= \t\"'")
    return bool(SECRET_KEY.search(key)) and not match.group(2).startswith(("$", MASK))


def find_secrets(value: object, positions: PositionMap, at: YamlPath = ()) -> Iterator[Diagnostic]:
    """Every secret in a document: by its key's name, or by its own shape."""
    found: list[Diagnostic] = []
    _find(value, positions, at, found)
    return iter(found)


# Whether each key name is a secret's (SECRET_KEY), by name: the same few dozen keys make up
# every file, 24,000 in 1000 component files.
@lru_cache(maxsize=4096)
def _secret_key(key: str) -> bool:
    return bool(SECRET_KEY.search(key))


def _find(value: object, positions: PositionMap, at: YamlPath, found: list[Diagnostic]) -> None:
    # One function appending to one list, not nested generators: a value passes no `yield
    # from` a level. Strings, lists and dicts first: most values are, and the Mapping check
    # (an ABC) is slow.
    if isinstance(value, str):
        kind = secret_kind(value) if len(value) <= MAX_TEXT else ""  # longer is refused unread
        if kind:
            found.append(_found(positions, at, f"{_where(at)} holds what looks like {kind}"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _find(item, positions, (*at, i), found)
    elif isinstance(value, (dict, Mapping)):
        for key, item in value.items():
            here = (*at, key)
            secret_key = _secret_key(key)
            if secret_key and _is_filled_scalar(item):
                found.append(_found(positions, here, f"`{key}` looks like a secret value"))
            elif secret_key and _named_default(item):
                message = f"the default of parameter `{key}` looks like a secret value"
                found.append(_found(positions, (*here, "default"), message))
            else:
                _find(item, positions, here, found)


def _found(positions: PositionMap, at: YamlPath, message: str) -> Diagnostic:
    # The value itself is never echoed: it may be a real secret.
    return Diagnostic(
        positions.value(at),
        "secret-in-file",
        f"{message}; component files must not hold secrets",
        SECRET_HINT,
    )


def _where(at: YamlPath) -> str:
    text = ""
    for part in at:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"`{text}`" if text else "the document"


def _named_default(value: object) -> bool:
    # A `type: credentials` parameter's default is a credential id, the one right way.
    return (
        isinstance(value, Mapping)
        and value.get("type") != "credentials"
        and _is_filled_scalar(value.get("default"))
    )


def _is_filled_scalar(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool) and value != ""
