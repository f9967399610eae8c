"""The XStream field table: what a save fills in is what drift detection strips."""

from lxml import etree

from jobgen.xstream import fill, strip

PIPELINE = (
    "<flow-definition><properties><jenkins.model.BuildDiscarderProperty>"
    '<strategy class="hudson.tasks.LogRotator"><daysToKeep>7</daysToKeep>'
    "<numToKeep>10</numToKeep><artifactDaysToKeep>-1</artifactDaysToKeep></strategy>"
    "</jenkins.model.BuildDiscarderProperty></properties>"
    '<definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">'
    "<script>echo 1</script></definition></flow-definition>"
)


def _text(root: etree._Element) -> str:
    return etree.tostring(root, encoding="unicode")


def test_strip_undoes_fill():
    filled, plain = etree.fromstring(PIPELINE), etree.fromstring(PIPELINE)
    fill(filled)
    assert filled.findtext(".//removeLastBuild") == "false"
    assert filled.findtext("definition/sandbox") == "false"
    assert [c.tag for c in filled] == [
        "actions",
        "keepDependencies",
        "properties",
        "definition",
        "triggers",
        "disabled",
    ]
    strip(filled)
    strip(plain)
    assert _text(filled) == _text(plain)


def test_a_value_other_than_the_default_stays():
    # LogRotator's int fields are 0 when absent (XStream, no readResolve): -1 is a value.
    root = etree.fromstring(PIPELINE.replace("<daysToKeep>7</daysToKeep>", ""))
    fill(root)
    assert root.findtext(".//daysToKeep") == "0"
    strip(root)
    assert root.find(".//daysToKeep") is None and root.findtext(".//numToKeep") == "10"
    assert root.find(".//artifactDaysToKeep") is None  # -1: the same as absent
