"""The JUnit XML report: one testcase per scenario, read back by a standard XML parser."""

import xml.etree.ElementTree as ET

from jobgen.groovy.junit import Verdict, junit_xml, write_junit_xml


def test_one_testcase_per_scenario_and_the_first_mismatch_as_message(tmp_path):
    verdicts = [
        Verdict("model-processing/happy_path"),
        Verdict(
            "model-processing/list/two",
            ("result: expected SUCCESS, got FAILURE\n  more", "b"),
        ),
        Verdict("components/x/tests/a.yaml", ("a.yaml:1:1: bad",), "invalid scenario file"),
    ]
    path = tmp_path / "reports" / "jobgen.xml"
    write_junit_xml(path, verdicts)
    root = ET.parse(path).getroot()
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    cases = [(c.get("classname"), c.get("name")) for c in suite.iter("testcase")]
    assert cases == [
        ("model-processing", "happy_path"),
        ("model-processing", "list/two"),
        ("invalid scenario file", "components/x/tests/a.yaml"),
    ]
    failure = list(suite.iter("testcase"))[1].find("failure")
    assert failure.get("message") == "result: expected SUCCESS, got FAILURE"
    assert failure.text == "result: expected SUCCESS, got FAILURE\n  more\nb"


def test_text_from_a_run_cannot_break_the_xml():
    hostile = "echo: \"</failure><x a='1'>&amp;\x00\x1b ☃\""
    root = ET.fromstring(junit_xml([Verdict("c/s", (hostile,))]))
    failure = root.find("testsuite/testcase/failure")
    assert failure.text == "echo: \"</failure><x a='1'>&amp; ☃\""
    assert len(list(root.iter("testcase"))) == 1
