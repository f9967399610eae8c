"""The queue: Jenkins' 5 s quiet period by default, and duplicate requests folded into it."""

import jenkins
import pytest
import requests

from jobgen.master import EmbeddedMaster
from jobgen.master.builds import QUIET_PERIOD
from tests.jobgen.master.support import TOKEN, USER, freestyle


@pytest.fixture
def quiet(tmp_path):
    """A master with the default quiet period (the other tests run theirs at 0)."""
    with EmbeddedMaster.start(home=tmp_path / "home", user=USER, token=TOKEN) as master:
        yield master


def test_the_default_quiet_period_is_jenkins_five_seconds(quiet):
    # jenkins Jenkins.getQuietPeriod: 5 unless configured.
    assert QUIET_PERIOD == 5.0 and quiet.state.builds.quiet_period == 5.0
    server = jenkins.Jenkins(quiet.url, username=USER, password=TOKEN)
    server.create_job("slow", freestyle())
    item = server.get_queue_item(server.build_job("slow"))
    assert item["_class"] == "hudson.model.Queue$WaitingItem"
    assert item["why"].startswith("In the quiet period. Expires in ")
    assert item["timestamp"] > item["inQueueSince"]  # the time it is due


def test_identical_requests_fold_into_the_waiting_item(quiet):
    # jenkins Queue.scheduleInternal: same parameters -> ScheduleResult.existing(item);
    # ParametersDefinitionProperty.buildWithParameters answers it 303, ParameterizedJobMixIn
    # .doBuild 201 (JENKINS-66105), both with the existing item's Location.
    server = jenkins.Jenkins(quiet.url, username=USER, password=TOKEN)
    server.create_job("p", freestyle(params=("P",)))
    server.create_job("plain", freestyle())
    auth, url = (USER, TOKEN), quiet.url
    first = requests.post(f"{url}job/p/buildWithParameters?P=a", auth=auth)
    again = requests.post(f"{url}job/p/buildWithParameters?P=a", auth=auth, allow_redirects=False)
    other = requests.post(f"{url}job/p/buildWithParameters?P=b", auth=auth)
    assert (first.status_code, again.status_code, other.status_code) == (201, 303, 201)
    assert again.headers["Location"] == first.headers["Location"]
    assert other.headers["Location"] != first.headers["Location"]
    plain = [requests.post(f"{url}job/plain/build", auth=auth) for _ in range(2)]
    assert [r.status_code for r in plain] == [201, 201]
    assert plain[0].headers["Location"] == plain[1].headers["Location"]
    assert len(server.get_queue_info()) == 3
