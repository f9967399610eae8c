"""Reading a request body as Jenkins' Jetty frames it, bounded, and never waiting forever.

The framing follows Jetty 12's HttpParser (jetty/jetty.project,
jetty-core/jetty-http/.../http/HttpParser.java, see docs/jenkins-facts.md):
`Transfer-Encoding: chunked` is read chunk by chunk; a Content-Length that
is not a number, or two that disagree, is 400; a request with neither has no
body (RFC 9112 6.3), which is what `curl -X POST` sends to trigger a build.
Two choices are jobgen's own, both so that a hostile client cannot make the
master wait or fill its memory: a negative Content-Length is 400 (Jetty reads
it as "no body"), and a body longer than the limit is 413 without reading it.
"""

from __future__ import annotations

import re
from email.message import Message
from typing import Protocol

_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")
DISCARD_LIMIT = 64 * 1024  # what an unauthenticated caller's body may cost: one small read
_MAX_LINE = 8192  # a chunk-size or trailer line; Jetty's header limit is of this order


class Stream(Protocol):
    """What a body is read from: the connection's buffered reader."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


class BodyError(Exception):
    """A body that cannot be read: answer `status` and close the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def content_length(headers: Message) -> int | None:
    """The declared length, None when the body is chunked or absent; BodyError when invalid."""
    encodings = headers.get_all("Transfer-Encoding") or []
    lengths = headers.get_all("Content-Length") or []
    if encodings:
        tokens = [t.strip().lower() for value in encodings for t in value.split(",")]
        if tokens[-1:] != ["chunked"] or tokens.count("chunked") != 1:
            raise BodyError(400, "Bad Transfer-Encoding, chunked not last")
        if lengths:  # both framings at once: the request-smuggling shape, refused
            raise BodyError(400, "Transfer-Encoding and Content-Length")
        return None
    values = {value.strip() for value in lengths}
    if not values:
        return 0
    if len(values) > 1:
        raise BodyError(400, "Multiple Content-Lengths")
    [value] = values
    if not re.fullmatch(r"-?[0-9]{1,18}", value):
        raise BodyError(400, "Invalid Content-Length Value")
    if int(value) < 0:
        raise BodyError(400, "Invalid Content-Length Value")
    return int(value)


def read_body(stream: Stream, headers: Message, limit: int) -> bytes:
    """The whole body of the request whose `headers` were read from `stream`."""
    length = content_length(headers)
    if length is None:
        return _read_chunked(stream, limit)
    if length > limit:
        raise BodyError(413, f"Request body larger than {limit} bytes")
    return _read_exactly(stream, length)


def _read_exactly(stream: Stream, length: int) -> bytes:
    data = stream.read(length) if length else b""
    if len(data) != length:
        raise BodyError(400, "Early EOF")
    return data


def _read_chunked(stream: Stream, limit: int) -> bytes:
    body = bytearray()
    while True:
        line = stream.readline(_MAX_LINE + 1)
        match = _CHUNK_SIZE.fullmatch(line)
        if match is None:
            raise BodyError(400, "Bad chunk size")
        size = int(match.group(1), 16)
        if size == 0:
            break
        if len(body) + size > limit:
            raise BodyError(413, f"Request body larger than {limit} bytes")
        body += _read_exactly(stream, size)
        if stream.readline(3) not in (b"\r\n", b"\n"):
            raise BodyError(400, "Bad chunk end")
    for _ in range(100):  # trailer fields, ignored as Jenkins ignores them, up to the blank line
        line = stream.readline(_MAX_LINE + 1)
        if line in (b"\r\n", b"\n"):
            return bytes(body)
        if not line or len(line) > _MAX_LINE:
            raise BodyError(400, "Bad trailer")
    raise BodyError(400, "Too many trailers")


def discard_unread(stream: Stream, headers: Message, expect_continue: bool) -> bool:
    """After an answer that needed no body: drop a small one unread; False to hang up instead.

    A client refused before it sent its body (it waited for `100 Continue`)
    sends none. A small declared body is dropped so the connection stays
    usable, as Jetty consumes leftover content; a large or chunked one is
    not read at all, and the connection is closed.
    """
    if expect_continue:
        return False
    try:
        length = content_length(headers)
        if length is None or length > DISCARD_LIMIT:
            return False
        _read_exactly(stream, length)
    except BodyError:
        return False
    return True
