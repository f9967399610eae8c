"""Credentials, anonymous access and CSRF crumbs, as python-jenkins meets them on real Jenkins."""

import jenkins
import pytest
import requests

from tests.jobgen.master.support import PASSWORD, TOKEN, USER, freestyle


def test_bad_credentials_are_401(master):
    for user, secret in ((USER, "wrong"), ("nobody", TOKEN)):
        client = jenkins.Jenkins(master.url, username=user, password=secret)
        with pytest.raises(jenkins.JenkinsException, match=r"\[401\]"):
            client.get_whoami()
    response = requests.get(f"{master.url}api/json", auth=(USER, "wrong"))
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Jenkins"'


def test_anonymous_read_is_off_even_for_the_root_page(master, server):
    # jenkins Jenkins.getTarget: without Overall/Read only ALWAYS_READABLE_PATHS and
    # unprotected root actions answer; `/` is neither, so anonymous gets 403 there too.
    root = requests.get(master.url)
    assert root.status_code == 403 and root.headers["X-Jenkins"] == "2.479.1"
    anonymous = jenkins.Jenkins(master.url)
    with pytest.raises(jenkins.BadHTTPException):
        anonymous.get_version()
    with pytest.raises(jenkins.JenkinsException, match=r"\[403\]"):
        anonymous.get_all_jobs()
    assert requests.get(f"{master.url}job/x/api/json").status_code == 403
    assert requests.get(f"{master.url}whoAmI/api/json").json()["anonymous"] is True
    # python-jenkins attaches credentials lazily, on its first jenkins_request: after that
    # its get_version is authenticated and works.
    assert server.get_whoami()["id"] == USER
    assert server.get_version() == "2.479.1"


def test_whoami(server):
    me = server.get_whoami()
    assert me["id"] == USER and me["_class"] == "hudson.model.User"


def test_password_sessions_need_the_crumb_and_python_jenkins_sends_it(master, server):
    by_password = jenkins.Jenkins(master.url, username=USER, password=PASSWORD)
    by_password.create_job("via-crumb", freestyle())  # the client fetched and sent the crumb
    assert server.job_exists("via-crumb")
    url = f"{master.url}job/via-crumb/doDelete"
    no_crumb = requests.post(url, auth=(USER, PASSWORD), allow_redirects=False)
    assert no_crumb.status_code == 403
    assert "No valid crumb" in no_crumb.text
    crumb = requests.get(f"{master.url}crumbIssuer/api/json", auth=(USER, PASSWORD)).json()
    assert crumb["crumbRequestField"] == "Jenkins-Crumb" and len(crumb["crumb"]) == 64
    headers = {crumb["crumbRequestField"]: crumb["crumb"]}
    with_crumb = requests.post(url, auth=(USER, PASSWORD), headers=headers, allow_redirects=False)
    assert with_crumb.status_code == 302


def test_api_tokens_are_exempt_from_crumbs(master):
    response = requests.post(
        f"{master.url}createItem",
        params={"name": "no-crumb-needed"},
        data=freestyle().encode(),
        headers={"Content-Type": "text/xml"},
        auth=(USER, TOKEN),
    )
    assert response.status_code == 200


def test_read_only_user_may_read_but_not_write(master, server):
    master.add_user("viewer", "view-token", admin=False)
    server.create_job("visible", freestyle(token="hidden-token"))
    viewer = jenkins.Jenkins(master.url, username="viewer", password="view-token")
    assert viewer.job_exists("visible")
    assert "hidden-token" not in viewer.get_job_config("visible")
    with pytest.raises(jenkins.JenkinsException, match=r"\[403\]"):
        viewer.create_job("nope", freestyle())
    denied = requests.post(f"{master.url}job/visible/doDelete", auth=("viewer", "view-token"))
    assert denied.headers["X-You-Are-Authenticated-As"] == "viewer"
