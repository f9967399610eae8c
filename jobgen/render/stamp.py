"""The last step of every rendered config: parse it back, stamp the marker, hash it."""

from __future__ import annotations

import hashlib

from lxml import etree
from markupsafe import escape

from jobgen.render.marker import Marker, format_marker

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
# Containers the templates may leave empty: their indentation is not content.
_CONTAINERS = frozenset(
    ("properties", "triggers", "publishers", "buildWrappers", "builders", "extensions")
)
_EMPTY_SCRIPT = "<script></script>"  # a pipeline template's script, rendered empty
_SCRIPT_SLOT = b"<script/>"  # how the serialiser writes that empty element
# The characters XML 1.0 forbids but for surrogates, which do not encode at all: the C0
# controls but tab, newline and carriage return, U+FFFE and U+FFFF. Looked for one by one:
# `in` is a memchr, a regex or a translate over the whole script ten to fifty times slower.
_FORBIDDEN = (*(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"), "\ufffe", "\uffff")
# Below libxml2's limit on one text node (XML_MAX_TEXT_LENGTH, 10,000,000 bytes), which a
# parse refuses: a longer script goes through the parse, to be refused the same way.
_LONGEST_PLACED = 1_000_000


class RenderError(Exception):
    """A template produced something that is not well-formed XML (a jobgen bug)."""


def stamp(
    xml_text: str, marker: Marker, extra: str = "", script: str | None = None
) -> tuple[bytes, str]:
    """Canonical bytes and content hash: sha256 of the config with an empty sha256 field.

    `extra` is a line added to the description after the marker (an alias's target).
    With `script`, `xml_text` is a pipeline's config rendered with an empty `<script>`
    and `script` is that element's text: the same bytes as rendering it in. The script
    is most of a pipeline's config and holds no markup: parsing it back only to write it
    again escaped was a quarter of a typical pipeline's stamp and half of the largest's,
    and escaping it into the template as much again (105 MB of scripts in 1000 components).
    """
    if script is None:
        return _stamp(xml_text, marker, extra)
    text = _placeable(script)
    if text is None:
        # Parsed as ever with the script in it: refused with the same error.
        return _stamp(with_script(xml_text, script, marker.name), marker, extra)
    head, slot, tail = _serialise(_parsed(xml_text, marker, extra)).partition(_SCRIPT_SLOT)
    if not slot or _SCRIPT_SLOT in tail or b"</description>" not in head:
        raise RenderError(f"{marker.name}: the template has no single empty <script>")
    # Hashed and stamped in pieces: the script is never copied but into the result.
    pieces = (b"<script>", text, b"</script>", tail)
    digest = hashlib.sha256(head)
    for piece in pieces:
        digest.update(piece)
    sha = digest.hexdigest()
    return b"".join((_insert_sha(head, sha, marker.name), *pieces)), sha


def _placeable(script: str) -> bytes | None:
    """`script` as the serialiser writes an element's text, or None when only a parse
    can say what becomes of it (a character XML 1.0 forbids, no text at all, too long).

    libxml2 escapes &, <, > and a carriage return in text and writes the rest as it is
    in UTF-8 (docs/jenkins-facts.md, coldgroovy; tests/jobgen/render/stamp_test.py
    compares every character with the parse and serialisation).
    """
    # isspace: a superset of XML's blanks, and false at once for any script with a word.
    if not script or script.isspace() or any(char in script for char in _FORBIDDEN):
        return None
    try:
        raw = script.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if len(raw) > _LONGEST_PLACED:
        return None
    if b"&" in raw:  # first: the others' escapes start with one
        raw = raw.replace(b"&", b"&amp;")
    return raw.replace(b"<", b"&lt;").replace(b">", b"&gt;").replace(b"\r", b"&#13;")


def with_script(xml_text: str, script: str, name: str) -> str:
    """A config rendered with an empty `<script>`, as its template writes it with `script`
    in it: autoescaped, a carriage return as `&#13;` (render/templates.py)."""
    if xml_text.count(_EMPTY_SCRIPT) != 1:
        raise RenderError(f"{name}: the template has no single empty <script>")
    inline = str(escape(script)).replace("\r", "&#13;")
    return xml_text.replace(_EMPTY_SCRIPT, f"<script>{inline}</script>")


def _stamp(xml_text: str, marker: Marker, extra: str) -> tuple[bytes, str]:
    unstamped = _serialise(_parsed(xml_text, marker, extra))
    sha = hashlib.sha256(unstamped).hexdigest()
    return _insert_sha(unstamped, sha, marker.name), sha


def _parsed(xml_text: str, marker: Marker, extra: str) -> etree._Element:
    """The config parsed back, its empty containers emptied, the marker in its description."""
    try:
        root = etree.fromstring(xml_text.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as error:
        raise RenderError(f"{marker.name}: rendered XML is not well-formed: {error}") from error
    for element in root.iter(*_CONTAINERS):
        if len(element) == 0:
            element.text = None
    description = root.find("description")
    assert description is not None, f"{marker.name}: the template has no <description>"
    user_text = description.text or ""
    description.text = _with_marker(user_text, marker, extra)
    return root


def _insert_sha(unstamped: bytes, sha: str, name: str) -> bytes:
    """The config with the hash after `sha256=`, the marker line's last field.

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
    return unstamped[:end] + sha.encode() + unstamped[end:]


def _with_marker(text: str, marker: Marker, extra: str) -> str:
    # The marker is the first line, the only place ownership is read from (render/marker.py).
    lines = [format_marker(marker), *([extra] if extra else [])]
    return "\n".join([*lines, "", text] if text else lines)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
