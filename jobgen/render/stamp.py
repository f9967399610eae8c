"""The last step of every rendered config: parse it back, stamp the marker, hash it."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from lxml import etree
from markupsafe import escape

from jobgen.render.marker import Marker, format_marker

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
# Containers the templates may leave empty: their indentation is not content.
_CONTAINERS = frozenset(
    ("properties", "triggers", "publishers", "buildWrappers", "builders", "extensions")
)
# Below libxml2's limit on one text node (XML_MAX_TEXT_LENGTH, 10,000,000 bytes), which a
# parse refuses: a longer script goes through the parse, to be refused the same way.
_LONGEST_PLACED = 1_000_000
_OPEN, _CLOSE = "<description>", "</description>"
# An element's text that a skeleton leaves out: no markup, reference, carriage return or
# `>` (one may end `]]>`), not starting with a character XML calls blank, and running to an
# end tag. Such text never changes how the rest parses and writes (docs/jenkins-facts.md,
# skel17); a text that could goes into the skeleton, which is then one config's alone.
_TEXT = re.compile(r">([^<>&\r\s][^<>&\r]*)</")
_SLOT, _OTHER = "jobgen-slot-", "jobgen-tols-"  # the starts of slots' tokens (`_tokens`)
_TOKEN = re.compile(r"jobgen-(?:slot|tols)-\d+-")
_DESCRIPTION = "jobgen-description-slot"  # the description's text, cut out first


class RenderError(Exception):
    """A template produced something that is not well-formed XML (a jobgen bug)."""


def stamp(
    xml_text: str,
    marker: Marker,
    extra: str = "",
    script: str | None = None,
    slot: str = "script",
    shared: tuple[str, str] = ("", ""),
    placed: bytes | None = None,
) -> tuple[bytes, str]:
    """Canonical bytes and content hash: sha256 of the config with an empty sha256 field.

    `extra` is a line added to the description after the marker (an alias's target).
    With `script`, `xml_text` is a config rendered with its one `<slot>` element empty
    (a pipeline's `<script>`, a worker's `<command>`) and `script` is that element's text:
    the same bytes as rendering it in. The script is most of a pipeline's config and holds
    no markup: parsing it back only to write it again escaped was a quarter of a typical
    pipeline's stamp and half of the largest's, and escaping it into the template as much
    again (105 MB of scripts in 1000 components). Without its command a worker's config
    is one its component's other workers share (`_unstamped`). `shared` are the texts many
    scripts start and end with (a library's head and tail): escaped once (`_placeable`).
    `placed` is `placed_script(script)` when the caller has it already.
    """
    if script is None:
        return _stamp(xml_text, marker, extra)
    text = _placeable(script, shared) if placed is None else placed
    if text is None:
        # Parsed as ever with the script in it: refused with the same error.
        return _stamp(with_script(xml_text, script, marker.name, slot), marker, extra)
    empty = f"<{slot}/>".encode()  # how the serialiser writes the element left empty
    unstamped, at = _unstamped(xml_text, marker, extra)
    head, found, tail = unstamped.partition(empty)
    if not found or empty in tail or b"</description>" not in head:
        raise RenderError(f"{marker.name}: the template has no single empty <{slot}>")
    # Hashed and stamped in pieces: the script is never copied but into the result.
    pieces = (b"<%s>" % slot.encode(), text, b"</%s>" % slot.encode(), tail)
    digest = hashlib.sha256(head)
    for piece in pieces:
        digest.update(piece)
    sha = digest.hexdigest()
    return b"".join((head[:at], sha.encode(), head[at:], *pieces)), sha


def _placeable(script: str, shared: tuple[str, str] = ("", "")) -> bytes | None:
    """`script` as the serialiser writes an element's text, or None when only a parse
    can say what becomes of it (a character XML 1.0 forbids, no text at all, too long).

    libxml2 escapes &, <, > and a carriage return in text and writes the rest as it is
    in UTF-8 (docs/jenkins-facts.md, coldgroovy; tests/jobgen/render/stamp_test.py
    compares every character with the parse and serialisation). Each character is
    written alone, so a script that starts and ends with the `shared` texts (a library's
    head and tail, half of every pipeline's script) is written as they are, worked out
    once, around its own middle, worked out here.
    """
    head, tail = shared
    if head and tail and len(script) >= len(head) + len(tail):
        ends = _shared_piece(head), _shared_piece(tail)
        if ends[0] and ends[1] and script.startswith(head) and script.endswith(tail):
            middle = _escaped(script[len(head) : len(script) - len(tail)])
            if middle is not None and ends[0][1] + middle[1] + ends[1][1] <= _LONGEST_PLACED:
                return b"".join((ends[0][0], middle[0], ends[1][0]))
    # isspace: a superset of XML's blanks, and false at once for any script with a word.
    if not script or script.isspace():
        return None
    escaped = _escaped(script)
    return None if escaped is None or escaped[1] > _LONGEST_PLACED else escaped[0]


def placed_script(script: str) -> bytes | None:
    """`script` as stamp places it in its element (`_placeable`), or None."""
    return _placeable(script)


@lru_cache(maxsize=8)
def _shared_piece(text: str) -> tuple[bytes, int] | None:
    """A shared text placed, and its length in UTF-8; None when it is not placeable alone.
    Keyed by the text, one object for every script of a library: hashed once."""
    placed = _placeable(text)
    return None if placed is None else (placed, len(text.encode("utf-8")))


def _escaped(text: str) -> tuple[bytes, int] | None:
    """`text` escaped as the serialiser writes it, and its length in UTF-8 before; None
    with a character XML 1.0 forbids or that UTF-8 cannot encode (a lone surrogate)."""
    raw = _utf8(text)
    if raw is None:
        return None
    size = len(raw)
    for char, escaped in _BYTE_ESCAPES:
        raw = raw.replace(char, escaped)
    return raw, size


def _utf8(text: str) -> bytes | None:
    """`text` in UTF-8, as the serialiser writes it; None with a character XML 1.0 forbids
    or that UTF-8 cannot encode (a lone surrogate): only the parse can say what then."""
    if _forbidden(text):
        return None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _forbidden(text: str) -> bool:
    """Whether `text` holds a character XML 1.0 forbids but for surrogates, which do not
    encode at all: the C0 controls but tab, newline and carriage return, U+FFFE, U+FFFF.
    Each `in` is a memchr; written out, not looped over: a generator's steps cost more
    than the searches (a regex or a translate over the whole text, several times more)."""
    return (
        "\x00" in text
        or "\x01" in text
        or "\x02" in text
        or "\x03" in text
        or "\x04" in text
        or "\x05" in text
        or "\x06" in text
        or "\x07" in text
        or "\x08" in text
        or "\x0b" in text
        or "\x0c" in text
        or "\x0e" in text
        or "\x0f" in text
        or "\x10" in text
        or "\x11" in text
        or "\x12" in text
        or "\x13" in text
        or "\x14" in text
        or "\x15" in text
        or "\x16" in text
        or "\x17" in text
        or "\x18" in text
        or "\x19" in text
        or "\x1a" in text
        or "\x1b" in text
        or "\x1c" in text
        or "\x1d" in text
        or "\x1e" in text
        or "\x1f" in text
        or "\ufffe" in text
        or "\uffff" in text
    )


# How libxml2 writes these characters in an element's text (docs/jenkins-facts.md,
# coldgroovy); `&` first: the others' escapes start with one.
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_BYTE_ESCAPES = tuple((char.encode(), escaped.encode()) for char, escaped in _ESCAPES)


def _text_escaped(text: str) -> str:
    """`text` as the serialiser writes an element's text (`_escaped`), left a str."""
    for char, escaped in _ESCAPES:
        text = text.replace(char, escaped)
    return text


def with_script(xml_text: str, script: str, name: str, slot: str = "script") -> str:
    """A config rendered with an empty `<slot>`, as its template writes it with `script`
    in it: autoescaped, a carriage return as `&#13;` (render/templates.py)."""
    empty = f"<{slot}></{slot}>"  # the template's element, rendered empty
    if xml_text.count(empty) != 1:
        raise RenderError(f"{name}: the template has no single empty <{slot}>")
    return xml_text.replace(empty, f"<{slot}>{template_text(script)}</{slot}>")


def template_text(value: str) -> str:
    """`value` as an XML template writes it: autoescaped, a carriage return as `&#13;`
    (render/templates.py `_xml_value`)."""
    return str(escape(value)).replace("\r", "&#13;")


def _stamp(xml_text: str, marker: Marker, extra: str) -> tuple[bytes, str]:
    unstamped, at = _unstamped(xml_text, marker, extra)
    sha = hashlib.sha256(unstamped).hexdigest()
    return b"".join((unstamped[:at], sha.encode(), unstamped[at:])), sha


def _unstamped(xml_text: str, marker: Marker, extra: str) -> tuple[bytes, int]:
    """`_by_parse(xml_text, marker, extra)`, the parse done once for every config alike but
    for the text of its elements (a skeleton), when each is plain: the rest parses and
    writes the same whatever plain text is there, and libxml2 writes each text as it is
    but for the escapes `_placeable` writes (docs/jenkins-facts.md, coldstamp, skel17).
    Of 19,000 configs in 1000 components, alike but for their description about 6,000
    differ (a component's names are in its parameters, paths and views); alike but for
    every plain text, 17: the parse and serialisation were half of every stamp.

    With it, where the hash goes (`_sha_at`): placed from a skeleton, the end of the
    marker's line, known without looking for it.
    """
    start = xml_text.find(_OPEN)
    end = xml_text.find(_CLOSE, start)
    line = format_marker(marker)
    # Where `_sha_at` finds it when the marker line holds no line end (`_around`).
    if start >= 0 and end >= 0 and line.endswith(" sha256=") and "\n" not in line:
        start += len(_OPEN)
        user_text = _plain_value(xml_text[start:end])
        around = None if user_text is None else _around(xml_text[:start], xml_text[end:])
        if user_text is not None and around is not None:
            text = _encoded(_text_escaped(_with_marker(user_text, line, extra)))
            head, tail = around
            if text is not None:  # each text of the config placed is then under the limit
                return b"".join((head, text, tail)), len(head) + len(_text_escaped(line).encode())
    unstamped = _by_parse(xml_text, marker, extra)
    return unstamped, _sha_at(unstamped, marker.name)


@lru_cache(maxsize=1024)
def _around(before: str, after: str) -> tuple[bytes, bytes] | None:
    """The config written around its description's text, for every plain text put between
    `before` and `after`; None when only the full parse can say. From the skeleton of
    configs alike but for their texts (`_skeleton`), filled with this one's other texts.

    Kept per process for the next config alike but for its description (a component's
    jobs and stable jobs share one, 13,000 of 19,000 configs): the key is the whole config
    but that text, so an entry is never stale. The first <description> in the text is the
    description's (the check below), so it is the first written too (a text before it is
    escaped, a comment written as it is): the hash goes where `_sha_at` puts it.
    """
    # The description's own text is cut out first: it may hold references the slots
    # leave in the skeleton, and the marker goes in with it.
    parts = _TEXT.split(before + _DESCRIPTION + after)
    texts = parts[1::2]
    parts[1::2] = _tokens(len(texts), ">", "</")  # the split took these too
    skeleton = _skeleton("".join(parts), len(texts))
    if skeleton is None or texts[skeleton[1]] != _DESCRIPTION:
        return None
    pieces, description = skeleton
    parts[0::2] = pieces  # each with the `>` and `</` the split took
    parts[1::2] = texts
    head = _encoded("".join(parts[: 2 * description + 1]))
    tail = _encoded("".join(parts[2 * description + 2 :]))
    return None if head is None or tail is None else (head, tail)


def _plain_value(raw: str) -> str | None:
    """The text the parse makes of `raw`, an element's content, when it is text alone (no
    markup, not blank: the parser may drop blank text); None when only the full parse can
    say (then it also refuses what is wrong, with its error)."""
    if "<" in raw or raw.isspace():
        return None
    if "&" not in raw and ">" not in raw and "\r" not in raw:
        return raw  # what the parse reads as it is: a forbidden character, _placeable refuses
    # Entities, a `]]>` the parse refuses, line ends it folds: its own rules, on the text alone.
    try:
        element = etree.fromstring(f"<d>{raw}</d>".encode(), _PARSER)
    except (etree.XMLSyntaxError, UnicodeEncodeError):
        return None
    return element.text or ""


@lru_cache(maxsize=256)
def _skeleton(key: str, slots: int) -> tuple[tuple[str, ...], int] | None:
    """The serialised config around the texts of its `slots` slots, for every plain text
    put in them, and which slot is the description's; None when that is not sure.

    `key` is the config with the tokens of `_tokens(slots)` in place of its slots' texts:
    all of the config but those texts, so an entry is never stale. Kept per process for
    every config alike (17 in 1000 components). It is parsed and written twice, the
    second time with other tokens: each writing must hold its own tokens once each, in
    order, and none of the other's. A token dropped (an empty container) or merged into
    other text is missing; one written where no slot is (a character reference can spell
    one) is written alike both times, so one of the two holds a token not its own.
    """
    written: tuple[str, ...] = ()
    description = None
    for prefix in (_OTHER, _SLOT):
        text = key if prefix == _SLOT else key.replace(">" + _SLOT, ">" + prefix)
        try:
            root = etree.fromstring(text.encode("utf-8"), _PARSER)
        except (etree.XMLSyntaxError, UnicodeEncodeError):
            return None  # the full parse says what is wrong
        _empty_containers(root)
        serialised = _serialise(root).decode("utf-8")
        if tuple(_TOKEN.findall(serialised)) != _tokens(slots, prefix=prefix):
            return None
        written = tuple(_TOKEN.split(serialised))
        element = root.find("description")
        description = None if element is None or len(element) else element.text
    if description not in _tokens(slots):
        return None
    return written, _tokens(slots).index(description)


@lru_cache(maxsize=128)
def _tokens(count: int, before: str = "", after: str = "", prefix: str = _SLOT) -> tuple[str, ...]:
    """The texts a skeleton's slots hold while it is parsed, each between `before` and
    `after`: none is the start of another."""
    return tuple(f"{before}{prefix}{i}-{after}" for i in range(count))


def _encoded(text: str) -> bytes | None:
    """A config written by the serialiser in pieces, as bytes; None when the parse would
    say otherwise of a text in it (a character XML 1.0 forbids, a lone surrogate, longer
    than the longest text `_placeable` places)."""
    raw = _utf8(text)
    return raw if raw is not None and len(raw) <= _LONGEST_PLACED else None


def _by_parse(xml_text: str, marker: Marker, extra: str) -> bytes:
    """The config parsed back whole and serialised, before its hash: what any shortcut
    here must write (tests/jobgen/render/stamp_test.py compares them)."""
    return _serialise(_parsed(xml_text, marker, extra))


def _empty_containers(root: etree._Element) -> None:
    for element in root.iter(*_CONTAINERS):
        if len(element) == 0:
            element.text = None


def _parsed(xml_text: str, marker: Marker, extra: str) -> etree._Element:
    """The config parsed back, its empty containers emptied, the marker in its description."""
    try:
        root = etree.fromstring(xml_text.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as error:
        raise RenderError(f"{marker.name}: rendered XML is not well-formed: {error}") from error
    _empty_containers(root)
    description = root.find("description")
    assert description is not None, f"{marker.name}: the template has no <description>"
    user_text = description.text or ""
    description.text = _with_marker(user_text, format_marker(marker), extra)
    return root


def _sha_at(unstamped: bytes, name: str) -> int:
    """Where the hash goes in the config: after `sha256=`, the marker line's last field.

    The marker is the description's first line and `sha256=` ends it, so the hash goes
    where that line ends: the same bytes as serialising again with the hash in the
    marker, at a fraction of the cost (one serialisation a job instead of two).
    """
    start = unstamped.index(b"<description>")
    ends = [
        i
        for i in (unstamped.find(b"\n", start), unstamped.find(b"</description>", start))
        if i >= 0
    ]
    end = min(ends)
    if not unstamped[start:end].endswith(b" sha256="):
        raise RenderError(f"{name}: the marker is not the description's first line")
    return end


def _with_marker(text: str, line: str, extra: str) -> str:
    # The marker's `line` is the first, the only place ownership is read from (marker.py).
    lines = [line, *([extra] if extra else [])]
    return "\n".join([*lines, "", text] if text else lines)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
