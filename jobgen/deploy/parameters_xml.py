"""A deployed job's parameter definitions read back from its config.xml, types included.

Rollback gives an alias the parameters of the version it points back to;
they are read from the master, written by jobgen/templates/parameters.xml.j2.
"""

from __future__ import annotations

from lxml import etree

from jobgen.plan.specs import Param

_NODELABEL = "org.jvnet.jenkins.plugins.nodelabelparameter."
TYPE_BY_TAG = {
    "hudson.model.StringParameterDefinition": "string",
    "hudson.model.TextParameterDefinition": "text",
    "hudson.model.BooleanParameterDefinition": "boolean",
    "hudson.model.ChoiceParameterDefinition": "choice",
    "com.cloudbees.plugins.credentials.CredentialsParameterDefinition": "credentials",
    _NODELABEL + "NodeParameterDefinition": "node",
    _NODELABEL + "LabelParameterDefinition": "label",
}


def declared_parameters(root: etree._Element) -> tuple[Param, ...]:
    """Every parameter definition jobgen writes, in the order declared."""
    found = root.find("properties/hudson.model.ParametersDefinitionProperty/parameterDefinitions")
    if found is None:
        found = root.find(".//parameterDefinitions")
    if found is None:
        return ()
    return tuple(_param(d) for d in found if d.tag in TYPE_BY_TAG)


def _param(definition: etree._Element) -> Param:
    kind = TYPE_BY_TAG[str(definition.tag)]
    choices = tuple(s.text or "" for s in definition.iterfind("choices/a/string"))
    if kind == "node":
        default = definition.findtext("defaultSlaves/string") or ""
    elif kind == "choice":
        default = choices[0] if choices else ""
    elif kind == "boolean":
        # A primitive boolean: absent (canonical() strips it when false) means false.
        default = definition.findtext("defaultValue") or "false"
    else:
        default = definition.findtext("defaultValue") or ""
    description = definition.findtext("description") or ""
    required = description.endswith(" (required)") or definition.findtext("required") == "true"
    return Param(
        name=definition.findtext("name") or "",
        default=default,
        description=description.removesuffix(" (required)"),
        required=required,
        type=kind,
        choices=choices,
    )
