import io
from email.message import Message

import pytest

from jobgen.master.body import BodyError, discard_unread, read_body


def _headers(**fields: str) -> Message:
    message = Message()
    for name, value in fields.items():
        message[name.replace("_", "-")] = value
    return message


def test_chunks_with_extensions_and_trailers_make_one_body():
    stream = io.BytesIO(b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: y\r\n\r\nNEXT")
    assert read_body(stream, _headers(Transfer_Encoding="chunked"), 100) == b"hello world"
    assert stream.read() == b"NEXT"  # the next request on the connection is untouched


@pytest.mark.parametrize(
    ("wire", "headers", "status"),
    [
        (b"zz\r\n", {"Transfer_Encoding": "chunked"}, 400),
        (b"5\r\nhelloXX0\r\n\r\n", {"Transfer_Encoding": "chunked"}, 400),
        (b"ff\r\n" + b"x" * 255 + b"\r\n0\r\n\r\n", {"Transfer_Encoding": "chunked"}, 413),
        (b"", {"Transfer_Encoding": "gzip"}, 400),
        (b"", {"Transfer_Encoding": "chunked", "Content_Length": "3"}, 400),
        (b"ab", {"Content_Length": "3"}, 400),  # the client hung up early
    ],
)
def test_bad_framing_is_an_http_error(wire, headers, status):
    with pytest.raises(BodyError) as error:
        read_body(io.BytesIO(wire), _headers(**headers), 100)
    assert error.value.status == status


def test_only_a_small_declared_body_is_dropped_unread():
    assert discard_unread(io.BytesIO(b"abc"), _headers(Content_Length="3"), False)
    assert not discard_unread(io.BytesIO(b""), _headers(Content_Length="99999999"), False)
    assert not discard_unread(io.BytesIO(b""), _headers(Transfer_Encoding="chunked"), False)
    assert not discard_unread(io.BytesIO(b""), _headers(Content_Length="3"), True)
