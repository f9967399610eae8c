"""A config.xml as Jenkins writes it after a save: XStream's fields, layout and escaping.

Jenkins never stores the uploaded bytes: it loads them into the item and saves the item
(Items.load + XmlFile.write with XStream2). What `GET config.xml` answers afterwards has
every field written with its value (jobgen/xstream.py), `plugin="name@version"` on the
classes of plugins, XStream's PrettyPrintWriter layout (two spaces, `<x/>` for an empty
object or list) and its escaping (`"` and `'` too). Comments are gone.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from jobgen.xstream import CONTAINERS, fill

DECLARATION = b"<?xml version='1.1' encoding='UTF-8'?>\n"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)

# Which plugin a class comes from, by package prefix (XStream2 names it on each element).
_PLUGIN_PACKAGES = (
    ("org.jenkinsci.plugins.workflow.job.", "workflow-job"),
    ("org.jenkinsci.plugins.workflow.cps.", "workflow-cps"),
    ("com.cloudbees.hudson.plugins.folder.", "cloudbees-folder"),
    ("hudson.plugins.git.", "git"),
    ("org.jenkinsci.plugins.credentialsbinding.", "credentials-binding"),
    ("hudson.plugins.build__timeout.", "build-timeout"),
)
_ROOT_CLASSES = {
    "flow-definition": "org.jenkinsci.plugins.workflow.job.WorkflowJob",
    "project": "hudson.model.FreeStyleProject",
}
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#xd;"}


def resave(data: bytes, plugins: Mapping[str, str]) -> bytes:
    """The bytes Jenkins would store for an uploaded config (already known to parse)."""
    if data.lstrip().startswith(b"<?xml"):
        data = data[data.index(b"?>") + 2 :]  # lxml refuses the version 1.1 Jenkins writes
    root = etree.fromstring(data, _PARSER)
    fill(root)
    lines: list[str] = []
    _write(root, 0, plugins, lines)
    return DECLARATION + "\n".join(lines).encode("utf-8")


def _write(element: etree._Element, level: int, plugins: Mapping[str, str], out: list[str]) -> None:
    pad = "  " * level
    attributes: dict[str, str] = {str(k): str(v) for k, v in element.attrib.items()}
    plugin = _plugin_of(element, level == 0, plugins)
    if plugin and "reference" not in attributes:
        attributes["plugin"] = plugin  # XStream2 writes it after `class`
    opening = str(element.tag) + "".join(f' {k}="{_escape(v)}"' for k, v in attributes.items())
    children = [c for c in element if isinstance(c.tag, str)]
    if children:
        out.append(f"{pad}<{opening}>")
        for child in children:
            _write(child, level + 1, plugins, out)
        out.append(f"{pad}</{element.tag}>")
    elif element.text:
        out.append(f"{pad}<{opening}>{_escape(element.text)}</{element.tag}>")
    elif element.tag in CONTAINERS or "class" in attributes or "reference" in attributes:
        out.append(f"{pad}<{opening}/>")  # an empty object or list
    else:
        out.append(f"{pad}<{opening}></{element.tag}>")  # an empty string


def _plugin_of(element: etree._Element, is_root: bool, plugins: Mapping[str, str]) -> str | None:
    name = element.get("class") or (_ROOT_CLASSES.get(str(element.tag)) if is_root else None)
    name = name or str(element.tag)
    for prefix, short in _PLUGIN_PACKAGES:
        if name.startswith(prefix) and short in plugins:
            return f"{short}@{plugins[short]}"
    return None


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in text)
