"""What Jenkins writes when it saves a config: the fields XStream fills in, and their values.

Jenkins re-serialises every item it saves (createItem, config.xml POST, copy) with
XStream: each non-null field is written, in the class's declaration order, whether the
uploaded XML had it or not. A field missing from the upload holds what loading left in it:
false or 0 for a primitive, what `onLoad`/`readResolve` put there otherwise. So a config
we uploaded comes back longer, but means the same.

Two users of one table: the embedded master adds the fields (`fill`), as a save would;
drift detection removes the ones that hold exactly that value (`strip`), so a re-saved
config compares equal to the one we rendered and a real edit still shows.
Facts and their sources: docs/jenkins-facts.md, section strictmaster.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class Field:
    """One field of a class: its element, the XML a save writes for it when the upload had none
    (None: nothing is written, the field stays null), and the XML that means "absent"."""

    tag: str
    written: str | None
    absent: str | None = None  # defaults to `written`

    @property
    def neutral(self) -> str | None:
        """The value that means the same as no element."""
        return self.absent if self.absent is not None else self.written


_FOLDER_VIEWS = (
    '<folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">'
    "<views><hudson.model.AllView>"
    '<owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>'
    "<name>All</name><filterExecutors>false</filterExecutors><filterQueue>false</filterQueue>"
    '<properties class="hudson.model.View$PropertyList"/>'
    "</hudson.model.AllView></views>"
    '<tabBar class="hudson.views.DefaultViewsTabBar"/></folderViews>'
)

# Root elements, by tag; fields in XStream order (superclass fields first).
ROOTS: dict[str, tuple[Field, ...]] = {
    "project": (
        Field("actions", "<actions/>"),
        Field("description", None, "<description/>"),
        Field("keepDependencies", "<keepDependencies>false</keepDependencies>"),
        Field("properties", "<properties/>"),
        Field("scm", '<scm class="hudson.scm.NullSCM"/>'),
        Field("canRoam", "<canRoam>false</canRoam>"),
        Field("disabled", "<disabled>false</disabled>"),
        Field(
            "blockBuildWhenDownstreamBuilding",
            "<blockBuildWhenDownstreamBuilding>false</blockBuildWhenDownstreamBuilding>",
        ),
        Field(
            "blockBuildWhenUpstreamBuilding",
            "<blockBuildWhenUpstreamBuilding>false</blockBuildWhenUpstreamBuilding>",
        ),
        Field("triggers", "<triggers/>"),
        Field("concurrentBuild", "<concurrentBuild>false</concurrentBuild>"),
        Field("builders", "<builders/>"),
        Field("publishers", "<publishers/>"),
        Field("buildWrappers", "<buildWrappers/>"),
    ),
    "flow-definition": (
        Field("actions", "<actions/>"),
        Field("description", None, "<description/>"),
        Field("keepDependencies", "<keepDependencies>false</keepDependencies>"),
        Field("properties", "<properties/>"),
        Field("definition", None),
        Field("triggers", "<triggers/>"),
        Field("disabled", "<disabled>false</disabled>"),
    ),
    "com.cloudbees.hudson.plugins.folder.Folder": (
        Field("actions", "<actions/>"),
        Field("description", None, "<description/>"),
        Field("properties", "<properties/>"),
        Field("folderViews", _FOLDER_VIEWS),
        Field("healthMetrics", "<healthMetrics/>"),
        Field("icon", '<icon class="com.cloudbees.hudson.plugins.folder.icons.StockFolderIcon"/>'),
    ),
}

# Nested objects, by their class: the `class` attribute, else the element's tag.
CLASSES: dict[str, tuple[Field, ...]] = {
    "hudson.tasks.LogRotator": (
        Field("daysToKeep", "<daysToKeep>0</daysToKeep>"),
        Field("numToKeep", "<numToKeep>0</numToKeep>"),
        Field("artifactDaysToKeep", None, "<artifactDaysToKeep>-1</artifactDaysToKeep>"),
        Field("artifactNumToKeep", None, "<artifactNumToKeep>-1</artifactNumToKeep>"),
        Field("removeLastBuild", "<removeLastBuild>false</removeLastBuild>"),
    ),
    "hudson.model.StringParameterDefinition": (
        Field("name", None),
        Field("description", None, "<description/>"),
        Field("defaultValue", None),
        Field("trim", "<trim>false</trim>"),
    ),
    "hudson.model.BooleanParameterDefinition": (
        Field("name", None),
        Field("description", None, "<description/>"),
        Field("defaultValue", "<defaultValue>false</defaultValue>"),
    ),
    "org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition": (
        Field("script", None),
        Field("sandbox", "<sandbox>false</sandbox>"),
    ),
    "hudson.triggers.SCMTrigger": (
        Field("spec", None),
        Field("ignorePostCommitHooks", "<ignorePostCommitHooks>false</ignorePostCommitHooks>"),
    ),
    "org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty": (
        Field("abortPrevious", "<abortPrevious>false</abortPrevious>"),
    ),
}

# Lists and maps: whitespace inside them is layout, not a value (XStream writes `<x/>`).
CONTAINERS = frozenset(
    {
        "actions",
        "properties",
        "triggers",
        "builders",
        "publishers",
        "buildWrappers",
        "parameterDefinitions",
        "views",
        "healthMetrics",
        "folderViews",
        "choices",
        "extensions",
        "configuredLocalRules",
    }
)

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def fields_of(element: etree._Element, is_root: bool) -> tuple[Field, ...]:
    """The known fields of an element's class, or () for a class this table does not know."""
    if is_root:
        return ROOTS.get(str(element.tag), ())
    return CLASSES.get(element.get("class") or str(element.tag), ())


def fill(root: etree._Element) -> None:
    """Add every field a Jenkins save would write that the element tree lacks (in place)."""
    for element in list(root.iter()):
        known = fields_of(element, element is root)
        for n, field in enumerate(known):
            if field.written is None or element.find(field.tag) is not None:
                continue
            new = etree.fromstring(field.written, _PARSER)
            _insert(element, new, [f.tag for f in known[:n]], [f.tag for f in known[n + 1 :]])


def strip(root: etree._Element) -> None:
    """Remove every known field that holds the value it would have if absent (in place)."""
    for element in list(root.iter()):
        if str(element.tag) in CONTAINERS and len(element) == 0:
            element.text = None
        known = fields_of(element, element is root)
        for field in known:
            child = element.find(field.tag)
            if field.neutral is not None and child is not None and _same(child, field.neutral):
                element.remove(child)


def _same(child: etree._Element, neutral: str) -> bool:
    expected = etree.fromstring(neutral, _PARSER)
    return _shape(child) == _shape(expected)


def _shape(element: etree._Element) -> tuple[object, ...]:
    attributes = sorted((k, v) for k, v in element.attrib.items() if k != "plugin")
    text = (element.text or "").strip() if len(element) or element.tag in CONTAINERS else None
    if text is None:
        text = element.text or ""
    return (element.tag, attributes, text, tuple(_shape(c) for c in element))


def _insert(
    parent: etree._Element, new: etree._Element, before: list[str], after: list[str]
) -> None:
    # After the nearest earlier field that is present, else before the nearest later one,
    # else last: the fields of the class keep their order around whatever else is there.
    for tag in reversed(before):
        anchor = parent.find(tag)
        if anchor is not None:
            anchor.addnext(new)
            return
    for tag in after:
        anchor = parent.find(tag)
        if anchor is not None:
            anchor.addprevious(new)
            return
    parent.append(new)
