"""GET config.xml after a save answers what Jenkins stores: XStream's re-serialisation.

jenkins AbstractItem.updateByXml (config.xml POST) ends with `configXmlFile.write(this)`:
the item is written from memory. createItem from XML (ItemGroupMixIn.createProjectFromXML)
and copy store the upload as it came (no save).
"""

import jenkins
import requests
from lxml import etree

from jobgen.master import EmbeddedMaster
from tests.jobgen.master.support import TOKEN, USER

ROTATED = """<?xml version='1.1' encoding='UTF-8'?>
<project>
  <description>say "hi"</description>
  <!-- a comment XStream does not keep -->
  <properties><jenkins.model.BuildDiscarderProperty><strategy class="hudson.tasks.LogRotator">
    <daysToKeep>3</daysToKeep><numToKeep>5</numToKeep>
  </strategy></jenkins.model.BuildDiscarderProperty></properties>
  <builders><hudson.tasks.Shell><command>echo hi</command></hudson.tasks.Shell></builders>
</project>
"""
FOLDER = "<com.cloudbees.hudson.plugins.folder.Folder/>"


def _root(text: str) -> etree._Element:
    return etree.fromstring(text.split("?>", 1)[1].encode())


def test_a_saved_job_comes_back_with_every_field_xstream_writes(server):
    # jenkins Items.load + XmlFile.write: every non-null field, in declaration order.
    # LogRotator.removeLastBuild is a primitive: false when the upload had none.
    server.create_job("rotated", ROTATED)
    assert server.get_job_config("rotated") == ROTATED  # created: no save yet
    server.reconfig_job("rotated", ROTATED)
    text = server.get_job_config("rotated")
    assert text.startswith("<?xml version='1.1' encoding='UTF-8'?>\n<project>\n  <actions/>")
    assert "<description>say &quot;hi&quot;</description>" in text  # XStream's escaping
    assert "comment" not in text
    strategy = _root(text).find("properties/jenkins.model.BuildDiscarderProperty/strategy")
    assert [(c.tag, c.text) for c in strategy] == [
        ("daysToKeep", "3"),
        ("numToKeep", "5"),
        ("removeLastBuild", "false"),
    ]
    fields = [c.tag for c in _root(text)]
    assert fields[:5] == ["actions", "description", "keepDependencies", "properties", "scm"]
    assert fields[-3:] == ["builders", "publishers", "buildWrappers"]


def test_a_folder_comes_back_with_its_views_and_icon(server, master):
    # cloudbees-folder AbstractFolder.init: folderViews (an AllView named "All"),
    # healthMetrics and the StockFolderIcon are set on load and saved with the folder.
    server.create_job("f", FOLDER)
    server.reconfig_job("f", FOLDER)
    answer = requests.get(f"{master.url}job/f/config.xml", auth=(USER, TOKEN))
    root = _root(answer.text)
    assert root.get("plugin", "").startswith("cloudbees-folder@")
    assert root.findtext("folderViews/views/hudson.model.AllView/name") == "All"
    assert root.find("folderViews/tabBar").get("class") == "hudson.views.DefaultViewsTabBar"
    icon = root.find("icon").get("class")
    assert icon == "com.cloudbees.hudson.plugins.folder.icons.StockFolderIcon"
    assert root.find("healthMetrics") is not None


def test_verbatim_config_keeps_the_uploaded_bytes(tmp_path):
    home = tmp_path / "home"
    with EmbeddedMaster.start(
        home=home, user=USER, token=TOKEN, quiet_period=0, verbatim_config=True
    ) as master:
        server = jenkins.Jenkins(master.url, username=USER, password=TOKEN)
        server.create_job("rotated", ROTATED)
        server.reconfig_job("rotated", ROTATED)
        assert server.get_job_config("rotated") == ROTATED
        assert (home / "jobs" / "rotated" / "config.xml").read_text() == ROTATED
