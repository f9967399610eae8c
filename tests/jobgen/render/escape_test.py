import json
import subprocess

from jobgen.groovy.runtime import groovy_env, groovy_tool
from jobgen.render.escape import groovy_string, shell_word
from tests.hostile import HOSTILE


def test_groovy_literals_evaluate_to_the_exact_value(tmp_path):
    # One JVM for every string: each literal is printed as JSON and compared.
    values = [*HOSTILE, "bell\x07 nul\x00 del\x7f"]
    lines = [f"out << groovy.json.JsonOutput.toJson({groovy_string(v)})" for v in values]
    script = tmp_path / "literals.groovy"
    script.write_text("def out = []\n" + "\n".join(lines) + "\nprintln(out)\n", encoding="utf-8")
    result = subprocess.run(
        [groovy_tool(), "-c", "UTF-8", str(script)],
        capture_output=True,
        text=True,
        env=groovy_env(),
        check=True,
    )
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
