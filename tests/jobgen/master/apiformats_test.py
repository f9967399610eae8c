"""api/xml and api/python: the flavours of Stapler's export."""

import ast

import requests
from lxml import etree

from tests.jobgen.master.support import TOKEN, USER, freestyle

AUTH = (USER, TOKEN)


def test_api_xml_follows_stapler_xml_data_writer(server, master):
    # stapler XMLDataWriter: root named after the class, `_class` attribute, lists repeat
    # the singular name, null values are absent.
    server.create_job("app", freestyle("a &lt;b&gt;"))
    answer = requests.get(f"{master.url}job/app/api/xml", auth=AUTH)
    assert answer.headers["Content-Type"] == "application/xml;charset=UTF-8"
    root = etree.fromstring(answer.content)
    assert root.tag == "freeStyleProject"
    assert root.get("_class") == "hudson.model.FreeStyleProject"
    assert root.findtext("description") == "a <b>"
    assert root.find("lastBuild") is None  # null
    listing = etree.fromstring(requests.get(f"{master.url}api/xml", auth=AUTH).content)
    assert listing.tag == "hudson" and [j.findtext("name") for j in listing.iter("job")] == ["app"]


def test_api_python_is_a_python_literal(server, master):
    # stapler PythonDataWriter: JSON's syntax with True, False and None.
    server.create_job("app", freestyle())
    answer = requests.get(
        f"{master.url}job/app/api/python?tree=name,buildable,lastBuild", auth=AUTH
    )
    assert answer.headers["Content-Type"] == "text/x-python;charset=UTF-8"
    assert ast.literal_eval(answer.text) == {
        "_class": "hudson.model.FreeStyleProject",
        "buildable": True,
        "lastBuild": None,
        "name": "app",
    }
