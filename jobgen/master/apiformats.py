"""Stapler's other flavours of an exported object: `api/xml` and `api/python`.

Both start from the dict `jsonapi.export` builds, which carries `_class` on every object.
XML follows Stapler's XMLDataWriter: the root element is the class's decapitalised simple
name, objects carry a `_class` attribute, a list repeats its property name made singular
(`jobs` -> `job`), and null values are left out. Python follows PythonDataWriter: JSON with
`True`, `False` and `None`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape

CONTENT_TYPES = {
    "json": "application/json;charset=utf-8",
    "python": "text/x-python;charset=UTF-8",
    "xml": "application/xml;charset=UTF-8",
}


def to_xml(data: dict[str, Any]) -> bytes:
    """The XML Stapler writes for an exported object."""
    simple = re.split(r"[.$]", str(data.get("_class", "object")))[-1]
    root = simple[:1].lower() + simple[1:] if not simple[1:2].isupper() else simple
    parts: list[str] = []
    _object(root, data, parts)
    return "".join(parts).encode()


def _object(name: str, data: dict[str, Any], parts: list[str]) -> None:
    kind = data.get("_class")
    parts.append(f"<{name} _class='{kind}'>" if kind else f"<{name}>")
    for key, value in data.items():
        if key != "_class":
            _property(_xml_name(key), value, parts)
    parts.append(f"</{name}>")


def _property(name: str, value: Any, parts: list[str]) -> None:
    if value is None:
        return  # Stapler marks null by absence
    if isinstance(value, list):
        singular = re.sub("s$", "", re.sub("ies$", "y", name))
        for entry in value:
            _property(singular, entry, parts)
    elif isinstance(value, dict):
        _object(name, value, parts)
    elif isinstance(value, bool):
        parts.append(f"<{name}>{str(value).lower()}</{name}>")
    else:
        parts.append(f"<{name}>{escape(str(value))}</{name}>")


def _xml_name(name: str) -> str:
    if not name:
        return "_"
    if not (name[0].isalpha() or name[0] == "_"):
        return name[1:] if len(name) > 1 and name[1].isalpha() else "_" + name
    return name


def to_python(data: Any) -> bytes:
    """A Python literal: JSON's syntax with True, False and None."""
    return "".join(_python(data)).encode()


def _python(value: Any) -> list[str]:
    if value is None:
        return ["None"]
    if isinstance(value, bool):
        return ["True" if value else "False"]
    if isinstance(value, dict):
        out = ["{"]
        for n, (key, entry) in enumerate(value.items()):
            out += [",", json.dumps(key), ":"] if n else [json.dumps(key), ":"]
            out += _python(entry)
        return [*out, "}"]
    if isinstance(value, list):
        out = ["["]
        for n, entry in enumerate(value):
            if n:
                out.append(",")
            out += _python(entry)
        return [*out, "]"]
    return [json.dumps(value, ensure_ascii=False)]
