"""XML in one canonical form, so a config Jenkins merely re-saved compares equal.

Dropped: the declaration, `plugin="name@version"` attributes (Jenkins adds
and updates them on every save), indentation, and every field a save writes
with the value it has when absent (jobgen/xstream.py: `<removeLastBuild>false`,
a folder's default views and icon, ...); attributes are sorted. Other text
content is kept exactly, so a real edit still shows.
"""

from __future__ import annotations

import difflib

from lxml import etree

from jobgen.deploy.redact import mask_secrets
from jobgen.xstream import strip

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def canonical(xml: bytes | str) -> str:
    """The canonical, indented text of a config.xml."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    if data.lstrip().startswith(b"<?xml"):
        data = data[data.index(b"?>") + 2 :]  # Jenkins writes version 1.1, which lxml refuses
    root = etree.fromstring(data, _PARSER)
    strip(root)  # what a Jenkins save fills in means the same as its absence
    for element in root.iter():
        if "plugin" in element.attrib:
            del element.attrib["plugin"]
        ordered = sorted(element.attrib.items())
        element.attrib.clear()
        element.attrib.update(ordered)
        if len(element) and element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode")


def unified(name: str, remote: bytes | str, local: bytes | str) -> str:
    """A unified diff from the master's config to the compiled one, canonical on both sides.

    Secrets read from the master (an `authToken`, a password) are masked first.
    """
    lines = difflib.unified_diff(
        mask_secrets(canonical(remote)).splitlines(keepends=True),
        mask_secrets(canonical(local)).splitlines(keepends=True),
        fromfile=f"master/{name}",
        tofile=f"compiled/{name}",
    )
    return "".join(lines)
