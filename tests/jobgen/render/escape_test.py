import json
import subprocess
import unicodedata
from pathlib import Path

import pytest

from jobgen.groovy.runtime import groovy_env, groovy_tool
from jobgen.render.escape import comment_text, groovy_string, shell_word, variable_name
from tests.hostile import HOSTILE


def _groovy(script: Path, text: str) -> subprocess.CompletedProcess[str]:
    script.write_text(text, encoding="utf-8")
    command = [groovy_tool(), "-c", "UTF-8", str(script)]
    return subprocess.run(command, capture_output=True, text=True, env=groovy_env(), check=False)


def test_groovy_literals_evaluate_to_the_exact_value(tmp_path):
    # One JVM for every string: each literal is printed as JSON and compared.
    # Every ASCII character too: most values take a shortcut with nothing to escape.
    values = [*HOSTILE, "bell\x07 nul\x00 del\x7f", *(f"a{chr(c)}b" for c in range(128))]
    lines = [f"out << groovy.json.JsonOutput.toJson({groovy_string(v)})" for v in values]
    result = _groovy(
        tmp_path / "literals.groovy", "def out = []\n" + "\n".join(lines) + "\nprintln(out)\n"
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads("[" + result.stdout.strip()[1:-1] + "]")
    assert printed == values


def test_groovy_literal_is_one_line_and_never_interpolates():
    literal = groovy_string("a\nb ${x}")
    assert "\n" not in literal
    assert literal.startswith("'") and literal.endswith("'")


def test_shell_words_reach_the_command_unchanged():
    for value in HOSTILE:
        command = f"printf %s {shell_word(value)}"
        result = subprocess.run(["bash", "-c", command], capture_output=True, check=True)
        assert result.stdout.decode("utf-8") == value


COMMENT_BREAKERS = [
    "8\ntouch MARKER",
    "8\rtouch MARKER",
    "8\u2028touch MARKER",
    "8\\u000atouch MARKER",
]


def test_comment_text_keeps_bash_and_groovy_comments_on_one_line(tmp_path):
    # The toolchain pre-scripts once put `requirements.node` into a comment as written.
    marker = tmp_path / "MARKER"
    for value in COMMENT_BREAKERS:
        text = value.replace("MARKER", str(marker))
        subprocess.run(["bash", "-c", f"# node {comment_text(text)}\ntrue"], check=True)
    lines = [f"// {comment_text(v.replace('MARKER', str(marker)))}" for v in COMMENT_BREAKERS]
    body = "\n".join(lines).replace("touch", "new File('x').text = ") + "\nprintln('ok')\n"
    result = _groovy(tmp_path / "comments.groovy", body)
    assert result.stdout.strip() == "ok", result.stderr
    assert not marker.exists() and not (tmp_path / "x").exists()


def test_comment_text_replaces_each_control_or_line_separator_character_wherever_it_is():
    # comment_text skips its per-character walk for text without such a character
    # (str.isprintable): both ways must give the same text for every character.
    everything = [chr(c) for c in range(0x3100)] + ["\ufeff", "\U000e0001", "\U0001f600"]
    for c in everything:
        broken = unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
        for value in (c, f"a\\{c}b", f"{c} x é\\"):
            expected = value.replace(c, "?") if broken else value
            assert comment_text(value) == expected.replace("\\", "\\\\"), repr(value)


@pytest.mark.parametrize("name", ["A B", "X}", "$(id)", "1A", ""])
def test_a_variable_name_shell_cannot_quote_is_refused(name):
    with pytest.raises(ValueError):
        variable_name(name)
