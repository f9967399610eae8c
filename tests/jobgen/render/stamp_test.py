"""A pipeline's script placed after stamping: the very bytes and hash of parsing it back."""

import re

import pytest
from lxml import etree

from jobgen.render.marker import Marker
from jobgen.render.stamp import RenderError, stamp, with_script
from tests.hostile import HOSTILE

MARKER = Marker(owner="o", item="f/job-v1-abc", name="job", component="c")
CONFIG = """<flow-definition>
  <description>a pipeline</description>
  <properties>
  </properties>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
    <script></script>
    <sandbox>true</sandbox>
  </definition>
</flow-definition>
"""
# Every character XML 1.0 allows, a chunk at a time; surrogates cannot be encoded at all.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ALLOWED = "".join(c for c in map(chr, range(0x110000)) if not _FORBIDDEN.match(c))
CHUNKS = [_ALLOWED[i : i + 4096] for i in range(0, len(_ALLOWED), 4096)]


def _parsed_with_script(script: str) -> tuple[bytes, str]:
    """What stamp made before it placed scripts: the whole rendered config parsed back."""
    return stamp(with_script(CONFIG, script, "job"), MARKER, "[jobgen-calls]")


SCRIPTS = [
    *HOSTILE,
    "x",
    "a]]>b &amp; &#13; &lt;",
    "\r",
    "\r\n\r\n",
    "line\r\nline\n",
    " " * 1000 + "after a long blank run",
    "\n" * 700 + "x" + "\t" * 700,
    "x" + " " * 5000,
    "<" * 3000 + "&" * 3000,
    "\ufeff\u2028\u0085\ufdd0\U0010fffd",
]


@pytest.mark.parametrize("script", SCRIPTS + CHUNKS, ids=range(len(SCRIPTS) + len(CHUNKS)))
def test_a_placed_script_gives_the_bytes_and_hash_of_the_parse(script):
    # libxml2 escapes &, <, > and a carriage return in text (docs/jenkins-facts.md,
    # coldgroovy): every other allowed character comes out as it went in.
    placed = stamp(CONFIG, MARKER, "[jobgen-calls]", script=script)
    assert placed == _parsed_with_script(script)
    assert etree.fromstring(placed[0]).findtext("definition/script") == script


@pytest.mark.parametrize("script", ["", " ", "\n\t \n", "\r\n"])
def test_a_blank_script_is_what_the_parse_makes_of_it(script):
    assert stamp(CONFIG, MARKER, script=script) == stamp(with_script(CONFIG, script, "job"), MARKER)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff"])
def test_a_character_xml_forbids_is_refused_as_the_parse_refuses_it(char):
    script = f"ok\n{char} here"
    with pytest.raises(RenderError) as placed:
        stamp(CONFIG, MARKER, script=script)
    with pytest.raises(RenderError) as parsed:
        stamp(with_script(CONFIG, script, "job"), MARKER)
    assert str(placed.value) == str(parsed.value)
    assert "not well-formed" in str(placed.value)


def test_a_lone_surrogate_is_refused_as_before():
    with pytest.raises(UnicodeEncodeError):
        stamp(CONFIG, MARKER, script="half \udc80 a pair")


def test_a_config_without_one_empty_script_is_a_render_error():
    twice = CONFIG.replace("<sandbox>true</sandbox>", "<script></script>")
    with pytest.raises(RenderError, match="no single empty <script>"):
        stamp(twice, MARKER, script="x")
    with pytest.raises(RenderError, match="no single empty <script>"):
        stamp(CONFIG.replace("<script></script>", ""), MARKER, script="x")
