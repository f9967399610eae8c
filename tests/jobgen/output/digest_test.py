"""A file's sha256 is worked out once however many ask, and is always the sha256 of its bytes."""

from __future__ import annotations

import hashlib

from jobgen.output.digest import hashed, sha256_hex


def test_bytes_and_text_hash_as_the_bytes_written_to_the_build_folder():
    text = "<project>caf\u00e9</project>"
    assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    data = text.encode("utf-8")
    assert sha256_hex(data) == sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_a_new_value_where_an_old_one_lived_gets_its_own_hash():
    # Python reuses the id of a freed object at once: a hash remembered by id alone would
    # hand the second config the first one's sha256.
    for i in range(200):
        data = bytearray(b"<project>%d</project>" % i)  # a fresh object each time
        frozen = bytes(data)
        assert sha256_hex(frozen) == hashlib.sha256(frozen).hexdigest()
        del frozen


def test_a_text_is_hashed_as_the_bytes_given_back_to_write():
    # The writer writes the bytes `hashed` gives: asked first by the render cache (the
    # same text object), they must still be the text's UTF-8 bytes and their sha256.
    text = "// caf\u00e9 \u2603\n" * 3
    assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    digest, raw = hashed(text)
    assert raw == text.encode("utf-8") and digest == hashlib.sha256(raw).hexdigest()
    data = b"<project/>"
    assert hashed(data) == (hashlib.sha256(data).hexdigest(), data)
