"""What the master reads out of an uploaded config.xml: kind, description, parameters, token."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

FREESTYLE = "freestyle"
PIPELINE = "pipeline"
FOLDER = "folder"

# XStream aliases of the item types this master can load, and their Java classes.
ROOT_KINDS = {
    "project": FREESTYLE,
    "flow-definition": PIPELINE,
    "com.cloudbees.hudson.plugins.folder.Folder": FOLDER,
}
KIND_CLASSES = {
    FREESTYLE: "hudson.model.FreeStyleProject",
    PIPELINE: "org.jenkinsci.plugins.workflow.job.WorkflowJob",
    FOLDER: "com.cloudbees.hudson.plugins.folder.Folder",
}
BUILD_CLASSES = {
    FREESTYLE: "hudson.model.FreeStyleBuild",
    PIPELINE: "org.jenkinsci.plugins.workflow.job.WorkflowRun",
}
EMPTY_FOLDER_XML = (
    b"<?xml version='1.1' encoding='UTF-8'?>\n"
    b"<com.cloudbees.hudson.plugins.folder.Folder><description></description><properties/>"
    b"<folderViews/><healthMetrics/></com.cloudbees.hudson.plugins.folder.Folder>\n"
)

DISABLE_CONCURRENT = (
    "org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty"
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class ConfigError(Exception):
    """The XML is malformed or names a type this master cannot load (Jenkins answers 500)."""


@dataclass(frozen=True)
class Parameter:
    """One parameter definition: its Jenkins class short name, name, default, choices."""

    type: str
    name: str
    default: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class LogRotator:
    """hudson.tasks.LogRotator's settings; -1 turns a limit off."""

    days: int = -1
    builds: int = -1
    artifact_days: int = -1
    artifact_builds: int = -1
    remove_last_build: bool = False


@dataclass(frozen=True)
class FolderView:
    """One view of a folder's `folderViews` (cloudbees-folder DefaultFolderViewHolder)."""

    java_class: str  # hudson.model.AllView or hudson.model.ListView
    name: str
    description: str | None = None
    include_regex: str | None = None  # ListView: items whose whole name matches
    job_names: tuple[str, ...] = ()  # ListView: items named here
    # XStream rebuilds the TreeSet with the comparator it names, without one in natural
    # (case-sensitive) order; ListView's own field is CASE_INSENSITIVE_ORDER (ListView.java:88).
    names_ignore_case: bool = False


@dataclass(frozen=True)
class ConfigInfo:
    """The fields of a config.xml the API exposes or the build logic needs."""

    kind: str
    description: str
    disabled: bool
    auth_token: str | None
    parameters: tuple[Parameter, ...]
    discarder: LogRotator | None = None
    quiet_period: str | None = None  # the job's <quietPeriod>, seconds
    concurrent: bool = True  # False: a build waits in the queue while another one runs
    views: tuple[FolderView, ...] = ()  # a folder's views as configured (none: its All view)
    primary_view: str | None = None


def parse_config(data: bytes, persist: bool) -> ConfigInfo:
    """Read a config.xml; ConfigError carries Jenkins' message for createItem or config.xml POST."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        verb = "persist" if persist else "process"
        raise ConfigError(f"Failed to {verb} config.xml") from error
    kind = ROOT_KINDS.get(str(root.tag))
    if kind is None:
        raise ConfigError(f"Unable to read config.xml: no item type {root.tag}")
    token = root.findtext("authToken")
    return ConfigInfo(
        kind=kind,
        description=root.findtext("description") or "",
        disabled=(root.findtext("disabled") or "").strip() == "true",
        auth_token=token.strip() if token and token.strip() else None,
        parameters=tuple(_parameters(root)),
        discarder=_log_rotator(root),
        quiet_period=root.findtext("quietPeriod"),
        concurrent=_concurrent(kind, root),
        views=tuple(_folder_views(root)) if kind == FOLDER else (),
        primary_view=root.findtext("folderViews/primaryView") if kind == FOLDER else None,
    )


_VIEW_CLASSES = ("hudson.model.AllView", "hudson.model.ListView")
_IGNORE_CASE = "jobNames/comparator[@class='java.lang.String$CaseInsensitiveComparator']"


def _folder_views(root: etree._Element) -> list[FolderView]:
    # The views this master can show; others (plugins' view types) are left out.
    found = []
    for node in root.iterfind("folderViews/views/*"):
        if node.tag in _VIEW_CLASSES and node.findtext("name"):
            found.append(
                FolderView(
                    java_class=str(node.tag),
                    name=str(node.findtext("name")),
                    description=node.findtext("description"),
                    include_regex=node.findtext("includeRegex"),
                    job_names=tuple(n.text or "" for n in node.iterfind("jobNames/string")),
                    names_ignore_case=node.find(_IGNORE_CASE) is not None,
                )
            )
    return found


def _log_rotator(root: etree._Element) -> LogRotator | None:
    # BuildDiscarderProperty's strategy, or the <logRotator> of configs older than 1.503
    # (Job.readResolve moves it into the property).
    node = root.find("properties/jenkins.model.BuildDiscarderProperty/strategy")
    if node is None:
        node = root.find("logRotator")
    if node is None or node.get("class", "hudson.tasks.LogRotator") != "hudson.tasks.LogRotator":
        return None

    def number(tag: str, absent: int) -> int:
        text = node.findtext(tag)
        if text is None:
            return absent
        return int(text.strip()) if text.strip().lstrip("-").isdigit() else -1

    # XStream leaves a missing primitive int at 0 (no readResolve fixes it): a LogRotator
    # without <daysToKeep> keeps no build by age. The artifact limits are Integers: null, off.
    return LogRotator(
        days=number("daysToKeep", 0),
        builds=number("numToKeep", 0),
        artifact_days=number("artifactDaysToKeep", -1),
        artifact_builds=number("artifactNumToKeep", -1),
        remove_last_build=(node.findtext("removeLastBuild") or "").strip() == "true",
    )


def _concurrent(kind: str, root: etree._Element) -> bool:
    # WorkflowJob.isConcurrentBuild: no DisableConcurrentBuildsJobProperty;
    # AbstractProject: the <concurrentBuild> field, false by default.
    if kind == PIPELINE:
        return root.find(f"properties/{DISABLE_CONCURRENT}") is None
    return (root.findtext("concurrentBuild") or "").strip() == "true"


def _parameters(root: etree._Element) -> list[Parameter]:
    found = []
    for definition in root.iterfind(
        "properties/hudson.model.ParametersDefinitionProperty/parameterDefinitions/*"
    ):
        tag = str(definition.tag)
        choices = tuple(s.text or "" for s in definition.iterfind("choices//string"))
        default = definition.findtext("defaultValue")
        if default is None:
            default = choices[0] if choices else ""
        short = tag.rsplit(".", 1)[-1]
        found.append(Parameter(short, definition.findtext("name") or "", default, choices))
    return found


def with_disabled(data: bytes, disabled: bool) -> bytes:
    """The same config with `<disabled>` set, as Jenkins writes it back after enable/disable."""
    root = etree.fromstring(data, _PARSER)
    node = root.find("disabled")
    if node is None:
        node = etree.SubElement(root, "disabled")
    node.text = "true" if disabled else "false"
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return b"<?xml version='1.1' encoding='UTF-8'?>\n" + body + b"\n"
