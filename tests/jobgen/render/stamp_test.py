"""A pipeline's script placed after stamping: the very bytes and hash of parsing it back."""

import hashlib
import re
from collections.abc import Callable

import pytest
from lxml import etree
from markupsafe import escape

from jobgen.render.marker import Marker
from jobgen.render.stamp import RenderError, _by_parse, _sha_at, stamp, with_script
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


def _by_parse_stamp(xml_text: str, extra: str = "") -> tuple[bytes, str]:
    """What stamp made before any shortcut: the whole rendered config parsed back."""
    unstamped = _by_parse(xml_text, MARKER, extra)
    sha = hashlib.sha256(unstamped).hexdigest()
    at = _sha_at(unstamped, MARKER.name)
    return unstamped[:at] + sha.encode() + unstamped[at:], sha


def _parsed_with_script(script: str) -> tuple[bytes, str]:
    return _by_parse_stamp(with_script(CONFIG, script, "job"), "[jobgen-calls]")


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


def _outcome(make: Callable[..., tuple[bytes, str]], *args: object, **named: object) -> object:
    """The stamped config, or the error and its message."""
    try:
        return make(*args, **named)
    except (RenderError, UnicodeEncodeError, ValueError, AssertionError) as error:
        return type(error), str(error)


def _template_text(value: str) -> str:
    """`value` as an XML template writes it (autoescaped, a carriage return as `&#13;`)."""
    return str(escape(value)).replace("\r", "&#13;")


# A description's text as a template wrote it: escaped values, and raw text no value makes
# (entities, markup, comments, CDATA, blanks, forbidden characters, the slot's own text).
DESCRIPTIONS = [
    *map(_template_text, (*HOSTILE, *SCRIPTS[:-1], "\r\n\r", "a" * 300 + " " * 700 + "b")),
    "",
    " ",
    "\n\t ",
    "&#32;",
    "&#13;",
    "&#x1F600; &#128512;",
    "a > b ]]> c",
    "a ]] > b",
    "x\r\ny\rz",
    "&#1;",
    "&undefined;",
    "&amp",
    "a <b>bold</b> c",
    "<!-- c -->x",
    "x<![CDATA[ <y> ]]>z",
    "<?pi x?>",
    "\x01",
    "\ufffe",
    "half \udc80 a pair",
    "\U0001f600\u2028\u0085",
    "jobgen-description-slot",
    "x" * 1_100_000,
]
EXTRAS = ["", "[jobgen-calls] f/a f/b", "[jobgen-alias] target=f/x content=0123", "bad \x01"]


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=range(len(DESCRIPTIONS)))
def test_a_config_stamped_from_its_skeleton_is_its_parse(description):
    # The parse is done once for configs alike but for their description's text: each
    # description here follows one with the same skeleton, and every one gives the bytes,
    # the hash or the error of parsing its own config back whole.
    config = CONFIG.replace(
        "<description>a pipeline</description>", f"<description>{description}</description>"
    )
    for extra in EXTRAS:
        assert _outcome(stamp, config, MARKER, extra) == _outcome(_by_parse_stamp, config, extra)
        rendered_in = with_script(config, "x < y", "job")
        assert _outcome(stamp, config, MARKER, extra, script="x < y") == _outcome(
            _by_parse_stamp, rendered_in, extra
        )


WORKER = """<project>
  <description>a worker</description>
  <builders>
    <hudson.tasks.Shell>
      <command></command>
      <configuredLocalRules/>
    </hudson.tasks.Shell>
  </builders>
  <publishers>
  </publishers>
</project>
"""


@pytest.mark.parametrize("command", [*SCRIPTS, "", " ", "\x01"], ids=range(len(SCRIPTS) + 3))
def test_a_placed_command_gives_the_bytes_of_the_command_rendered_in(command):
    placed = _outcome(stamp, WORKER, MARKER, "", script=command, slot="command")
    rendered_in = with_script(WORKER, command, "job", "command")
    assert placed == _outcome(_by_parse_stamp, rendered_in)


def test_a_worker_without_one_empty_command_is_a_render_error():
    with pytest.raises(RenderError, match="no single empty <command>"):
        stamp(WORKER.replace("<command></command>", ""), MARKER, script="x", slot="command")


# A library's head and tail around a job's own text, and texts a shortcut could get wrong:
# blank or empty pieces, a forbidden character or half a surrogate pair at either seam,
# a head the script does not start with, a script over the longest placed.
SHARED = [
    ("// head <lib> & co\r\n", "\n// tail ]]>\n"),
    ("head\n", "tail"),
    (" ", "\n"),
    ("\x01 head", "tail"),
    ("head \ud83d", "\ude00 tail"),
    ("\U0001f600" * 10, "&" * 10),
    ("x" * 600_000, "y" * 300_000),
]
MIDDLES = [*SCRIPTS, "", " ", "\n\n", "\x00", "\ufffe", "\ude00", "z" * 200_000]


@pytest.mark.parametrize("shared", SHARED, ids=range(len(SHARED)))
def test_a_script_placed_around_its_shared_head_and_tail_is_its_parse(shared):
    head, tail = shared
    scripts = [head + middle + tail for middle in MIDDLES]
    scripts += [head + tail, head[:-1] + "!" + tail, "other" + tail, head]
    for script in scripts:
        assert _outcome(stamp, CONFIG, MARKER, script=script, shared=shared) == _outcome(
            _by_parse_stamp, with_script(CONFIG, script, "job")
        )


def test_a_script_past_what_a_parse_takes_is_refused_with_its_shared_ends_placed_or_not():
    # libxml2 refuses a text node over XML_MAX_TEXT_LENGTH (10,000,000 bytes): placed in
    # pieces, a script that long still goes through the parse, to be refused the same way.
    shared = ("h" * 6_000_000, "t" * 5_000_000)
    script = "".join((shared[0], "body", shared[1]))
    placed = _outcome(stamp, CONFIG, MARKER, script=script, shared=shared)
    assert placed == _outcome(_by_parse_stamp, with_script(CONFIG, script, "job"))
    assert placed[0] is RenderError


# A config with many texts besides its description: every plain one is a slot of its
# skeleton (render/stamp.py `_TEXT`), more than ten so that one token could start another.
MANY = """<flow-definition>
  <actions/>
  <description>a pipeline</description>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
{params}
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
    <script></script>
    <sandbox>true</sandbox>
  </definition>
  <disabled>false</disabled>
</flow-definition>
"""
PARAM = """        <hudson.model.StringParameterDefinition>
          <name>{name}</name>
          <description>the commit {name} runs</description>
          <defaultValue>{value}</defaultValue>
        </hudson.model.StringParameterDefinition>"""


def _many(values: list[str]) -> str:
    """MANY with one parameter a value, its name and default the value as written."""
    params = [PARAM.format(name=f"P_{i}", value=value) for i, value in enumerate(values)]
    return MANY.format(params="\n".join(params))


TEXTS = [
    *DESCRIPTIONS,
    "jobgen-slot-0-",
    "jobgen-slot-1",
    "x jobgen-slot-3- y",
    "&#106;obgen-slot-2-",
]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_a_config_alike_but_for_its_texts_is_its_parse_whatever_each_text(text):
    # Configs alike but for their plain texts are written from one skeleton (docs/
    # jenkins-facts.md, skel17): each text here is put in the first, a middle and the last
    # parameter of configs that share a skeleton, and each gives the bytes, the hash or
    # the error of parsing its own config back whole.
    plain = [f"value {i}" for i in range(12)]
    for at in (0, 5, 11):
        for values in (plain, [*plain[:at], text, *plain[at + 1 :]]):
            config = _many(values)
            for extra in EXTRAS[:2]:
                assert _outcome(stamp, config, MARKER, extra) == _outcome(
                    _by_parse_stamp, config, extra
                )
            rendered_in = with_script(config, "x < y", "job")
            assert _outcome(stamp, config, MARKER, script="x < y") == _outcome(
                _by_parse_stamp, rendered_in
            )


PLAIN = _many([f"value {i}" for i in range(12)])


@pytest.mark.parametrize(
    "config",
    [
        # The first <description> in the text is not the config's own.
        CONFIG.replace(
            "<flow-definition>", "<flow-definition><!-- <description>x</description> -->"
        ),
        CONFIG.replace(
            "<flow-definition>", "<flow-definition>\n  <x><description>x</description></x>"
        ),
        CONFIG.replace("<properties>", "<properties><description>y</description>"),
        # The text is in a space-preserving root; the slot's own text is elsewhere.
        CONFIG.replace("<flow-definition>", '<flow-definition xml:space="preserve">'),
        CONFIG.replace("<sandbox>true</sandbox>", "<sandbox>jobgen-description-slot</sandbox>"),
        CONFIG.replace("<description>a pipeline</description>", "<description/>"),
        CONFIG.replace("<description>a pipeline</description>", ""),
        CONFIG.replace("</flow-definition>", ""),
        PLAIN,
        # A text where the parse drops it (an empty container), or not a text node alone:
        # next to CDATA, in a comment, in a processing instruction, an entity's value.
        PLAIN.replace("<properties>", "<properties>\n  <builders>x</builders>"),
        # ... and one dropped where a character reference spells its token (or the other).
        PLAIN.replace(
            "<properties>", "<properties><builders>x</builders><a>&#106;obgen-slot-1-</a>"
        ),
        PLAIN.replace(
            "<properties>", "<properties><builders>x</builders><a>&#106;obgen-tols-1-</a>"
        ),
        PLAIN.replace("<actions/>", "<actions><![CDATA[c]]>x</actions>"),
        PLAIN.replace("<actions/>", "<actions><!-- a>x</b --></actions>"),
        PLAIN.replace("<actions/>", "<actions><!-- c -->x</actions>"),
        PLAIN.replace("<actions/>", "<actions><?pi a>x</b ?></actions>"),
        '<!DOCTYPE f [<!ENTITY e "a>x</b">]>\n' + PLAIN.replace("value 3", "&e;"),
        # Mixed content, a text that starts blank, one in a space-preserving root.
        PLAIN.replace("<actions/>", "<actions><a/>x</actions>"),
        PLAIN.replace("value 4", " value 4"),
        PLAIN.replace("<flow-definition>", '<flow-definition xml:space="preserve">'),
        # The first description in the text is not the config's own, and the marker can go
        # in that one's text.
        PLAIN.replace("<actions/>", "<x><description>q sha256=</description></x>"),
        # A token where no slot is: an attribute, a text the skeleton keeps, a tag.
        PLAIN.replace("<actions/>", '<actions a="jobgen-slot-0-"/>'),
        PLAIN.replace("value 5", "&amp; jobgen-slot-7-"),
        PLAIN.replace("<actions/>", "<jobgen-slot-9->x</jobgen-slot-9->"),
        # A text outside the root, a `>` in an attribute, not well-formed.
        PLAIN + "x</flow-definition>",
        PLAIN.replace("<actions/>", '<actions a="b>c">d</actions>'),
        PLAIN.replace("<actions/>", '<actions a="b>c</d">e</actions>'),
        PLAIN.replace("</disabled>", "</disable>"),
    ],
    ids=range(28),
)
def test_a_config_whose_texts_are_not_plain_slots_is_its_parse(config):
    for extra in EXTRAS[:2]:
        assert _outcome(stamp, config, MARKER, extra) == _outcome(_by_parse_stamp, config, extra)


MARKERS = [
    Marker(owner="o w", item="f/ünï/job-v1", name="<j&b>", component="c\r\n"),
    Marker(owner="o", item="f/j", name="j", component="", sha256="set"),
    Marker(owner="o", item="f/j", name="j", component="", sha256="x\ny sha256="),
    Marker(owner="o", item="f/j", name="j", component="", sha256="ü <&> sha256="),
]


@pytest.mark.parametrize("marker", MARKERS, ids=range(len(MARKERS)))
def test_the_hash_goes_where_the_parse_puts_it_whatever_the_marker_says(marker):
    # From a skeleton the hash goes at the end of the marker's line, known without a look.
    def parsed(xml_text: str, extra: str) -> tuple[bytes, str]:
        unstamped = _by_parse(xml_text, marker, extra)
        sha = hashlib.sha256(unstamped).hexdigest()
        at = _sha_at(unstamped, marker.name)
        return unstamped[:at] + sha.encode() + unstamped[at:], sha

    for config in (CONFIG, PLAIN, PLAIN.replace("<actions/>", "<actions>ü</actions>")):
        for extra in EXTRAS[:3]:
            assert _outcome(stamp, config, marker, extra) == _outcome(parsed, config, extra)
