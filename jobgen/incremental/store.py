"""Cache files: a header naming the tool, the format and the interpreter, then a checksum.

Like Jinja's bytecode cache (`bc_magic`), a file whose header is not exactly ours
(another tool, an older format, another jobgen or Python) is foreign and ignored;
one whose payload does not match its sha256 is corrupt and ignored. A cache is
never repaired, only rewritten whole by the next compile (written beside, then
renamed, so a crash leaves the old file or the new one, never half of one).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from pathlib import Path

from jobgen import __version__
from jobgen.incremental import reads

FORMAT = 1
FOLDER = ".jobgen"  # beside the build folder, which holds exactly the compile's result


def cache_folder(output: Path) -> Path:
    """Where the caches of the build folder `output` live: `.jobgen/cache/` beside it."""
    return output.resolve().parent / FOLDER / "cache"


def cache_file(output: Path, kind: str) -> Path:
    """The cache file of `kind` for the build folder `output`."""
    return cache_folder(output) / f"{output.resolve().name}.{kind}"


_MAGIC = b"jobgen-cache\n"


def header(kind: str) -> bytes:
    """The first line of every cache file of `kind`: any difference makes a file foreign."""
    tag = f"{kind} format={FORMAT} jobgen={__version__} python={sys.implementation.cache_tag}"
    return _MAGIC + tag.encode() + b"\n"


def write(path: Path, kind: str, payload: bytes) -> None:
    """Store `payload` under a header and its sha256; atomic replacement of any older file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256(payload).hexdigest().encode()
    temporary.write_bytes(header(kind) + digest + b"\n" + payload)
    os.replace(temporary, path)


def read(path: Path, kind: str) -> bytes | None:
    """The payload of a cache file of `kind`, or None when absent, foreign or corrupt."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = header(kind)
    if not data.startswith(head):
        return None
    digest, newline, payload = data[len(head) :].partition(b"\n")
    if not newline or hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    return payload


class _PlainUnpickler(pickle.Unpickler):
    """Builds only plain values (str, bytes, tuples, lists, dicts, numbers): no class, no call."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"cache holds a global {module}.{name}: refused")


def dumps_plain(value: object) -> bytes:
    """Plain values as pickle bytes (C speed; read back only through `loads_plain`)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads_plain(data: bytes) -> object | None:
    """Plain values back, or None when the bytes hold anything else or are malformed."""
    try:
        return _PlainUnpickler(io.BytesIO(data)).load()
    except Exception:  # any malformed payload means: no cache
        return None


def read_record(path: Path, kind: str, salt: bytes, size: int) -> tuple[object, ...] | None:
    """A cache record `(salt, reads snapshot, *rest)` of `size` fields: `(snapshot, *rest)`
    when the salt is `salt` and every file, probe and listing the snapshot recorded is as
    it was."""
    data = read(path, kind)
    value = loads_plain(data) if data is not None else None
    if not isinstance(value, tuple) or len(value) != size or value[0] != salt:
        return None
    snapshot = value[1]
    if not isinstance(snapshot, dict) or not reads.unchanged(snapshot):
        return None
    return value[1:]
