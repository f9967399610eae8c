"""Who may do what: administrators, a deployer without Administer, read-only users.

Each check follows the permission jenkinsci/jenkins asks for (docs/jenkins-facts.md,
strictmaster), through real HTTP with python-jenkins.
"""

import jenkins
import pytest
import requests

from tests.jobgen.master.support import freestyle

DEPLOYER, DEPLOY_TOKEN = "deployer", "deploy-token"


@pytest.fixture
def deployer(master):
    """python-jenkins as a user with Job/Create, Configure, Delete and Read only."""
    master.add_user(DEPLOYER, DEPLOY_TOKEN, role="deployer")
    return jenkins.Jenkins(master.url, username=DEPLOYER, password=DEPLOY_TOKEN)


def test_a_deployer_creates_reconfigures_and_deletes_jobs(deployer, server):
    # ItemGroupMixIn.createTopLevelItem: Item.CREATE; AbstractItem.updateByXml: CONFIGURE;
    # AbstractItem.writeConfigDotXml: EXTENDED_READ (implied by CONFIGURE); delete: DELETE.
    deployer.create_folder("team")
    deployer.create_job("team/app", freestyle("first"))
    deployer.reconfig_job("team/app", freestyle("second"))
    assert "second" in deployer.get_job_config("team/app")
    deployer.delete_job("team/app")
    assert not server.job_exists("team/app")


def test_a_deployer_may_not_build_nor_read_the_plugin_list(master, deployer, server):
    server.create_job("app", freestyle())
    # BuildAuthorizationToken.checkPermission asks for Item.BUILD.
    with pytest.raises(jenkins.JenkinsException, match=r"\[403\]"):
        deployer.build_job("app")
    # PluginManager.getApi and getTarget ask for Jenkins.SYSTEM_READ (administrators have it).
    answer = requests.get(
        f"{master.url}pluginManager/api/json?depth=2", auth=(DEPLOYER, DEPLOY_TOKEN)
    )
    assert answer.status_code == 403
    assert answer.headers["X-Required-Permission"] == "hudson.model.Hudson.SystemRead"
    assert answer.headers["X-Permission-Implied-By"] == "hudson.model.Hudson.Administer"
    assert "deployer is missing the Overall/SystemRead permission" in answer.text
    assert server.get_plugins(depth=2)  # the administrator reads it
    with pytest.raises(jenkins.JenkinsException, match=r"\[403\]"):
        deployer.quiet_down()  # Jenkins.doQuietDown: MANAGE


def test_a_reader_sees_configs_with_secrets_masked_but_changes_nothing(master, server):
    master.add_user("viewer", "view-token", admin=False)
    server.create_job("app", freestyle(token="build-secret"))
    viewer = jenkins.Jenkins(master.url, username="viewer", password="view-token")
    # Without CONFIGURE, ExtendedReadRedaction masks secrets in config.xml.
    assert "build-secret" not in viewer.get_job_config("app")
    for attempt in (
        lambda: viewer.reconfig_job("app", freestyle()),
        lambda: viewer.delete_job("app"),
        lambda: viewer.create_job("other", freestyle()),
    ):
        with pytest.raises(jenkins.JenkinsException, match=r"\[403\]"):
            attempt()


def test_without_extended_read_config_xml_is_refused(master, server):
    master.add_user("peeker", "peek-token", role="Overall/Read,Job/Read")
    server.create_job("app", freestyle())
    answer = requests.get(f"{master.url}job/app/config.xml", auth=("peeker", "peek-token"))
    assert answer.status_code == 403
    assert answer.headers["X-Required-Permission"] == "hudson.model.Item.ExtendedRead"


def test_items_a_user_may_not_read_are_not_found(master, server):
    # Jenkins hides an item from a caller without Item.READ: 404, not 403.
    master.add_user("outsider", "out-token", role="Overall/Read")
    server.create_job("app", freestyle())
    answer = requests.get(f"{master.url}job/app/api/json", auth=("outsider", "out-token"))
    assert answer.status_code == 404
