from jobgen.plan.references import scan_references
from jobgen.render.rewrite import rewrite_calls

SOURCE = """\
// build('in-a-line-comment')
/* build("in-a-block-comment") */
def text = "build('in-a-string')"
build('plain')
build("double")
build job: 'command', wait: false
build(job: "named", parameters: [string(name: 'X', value: 'build(\\'nested\\')')], propagate: false)
build(wait: true,
      job: 'later')
results.m = build(job: 'used', parameters: params()).result
foo.build('method-of-something-else')
def build(String job) { }
build("x-${suffix}")
build job: computed
"""


def test_every_form_is_found_at_the_opening_quote_of_the_name():
    scan = scan_references(SOURCE, "p.groovy")
    found = [(c.target, c.pos.line, c.pos.col) for c in scan.calls]
    assert found == [
        ("plain", 4, 7),
        ("double", 5, 7),
        ("command", 6, 12),
        ("named", 7, 12),
        ("later", 9, 12),
        ("used", 10, 24),
    ]


def test_computed_names_are_dynamic():
    scan = scan_references(SOURCE, "p.groovy")
    assert [(d.text, d.pos.line) for d in scan.dynamic] == [('"x-${suffix}"', 13), ("computed", 14)]


def test_rewriting_changes_only_the_references():
    scan = scan_references(SOURCE, "p.groovy")
    names = {c.target: f"../f/{c.target}-v2-abc1234" for c in scan.calls}
    rewritten = rewrite_calls(SOURCE, scan.calls, names)
    assert "build('../f/plain-v2-abc1234')" in rewritten
    assert "build job: '../f/command-v2-abc1234', wait: false" in rewritten
    assert "// build('in-a-line-comment')" in rewritten
    assert "def text = \"build('in-a-string')\"" in rewritten
    assert "value: 'build(\\'nested\\')'" in rewritten
    # Nothing else moved: rewriting back gives the source again.
    again = scan_references(rewritten, "p.groovy")
    back = {c.target: c.target.split("/")[-1].split("-v2-")[0] for c in again.calls}
    assert rewrite_calls(rewritten, again.calls, back) == SOURCE


def test_hostile_text_around_references_does_not_confuse_the_scanner():
    source = "def s = '''build('x')\n''' + \"\"\"build(\"y\")\"\"\" + /build('z')/\nbuild('real')\n"
    assert [c.target for c in scan_references(source, "p.groovy").calls] == ["real"]


def _targets(source: str) -> list[str]:
    return [c.target for c in scan_references(source, "p.groovy").calls]


def test_each_span_is_exactly_the_name_inside_its_quotes():
    for call in scan_references(SOURCE, "p.groovy").calls:
        start, end = call.span
        assert SOURCE[start:end] == call.target
        assert SOURCE[start - 1] in "'\"" and SOURCE[end] == SOURCE[start - 1]


def test_calls_after_return_else_and_in_closures_are_found():
    source = (
        "def f() {\n  return build('returned')\n}\n"
        "if (x) { build('then') } else build('otherwise')\n"
        "parallel a: { build job: 'in-closure' }, b: { build(job: 'other', wait: false) }\n"
    )
    assert _targets(source) == ["returned", "then", "otherwise", "in-closure", "other"]


def test_command_style_calls_continue_over_trailing_commas_only():
    source = "build job: 'first',\n  parameters: [],\n  wait: false\nbuild 'second'\n'not-a-call'\n"
    assert _targets(source) == ["first", "second"]


def test_a_quoted_job_key_is_the_job_argument():
    assert _targets("build('job': 'quoted-key', wait: false)\n") == ["quoted-key"]


def test_declarations_and_other_objects_builds_are_not_calls():
    source = "def build(x) {}\nString build(y) {}\nsteps.build('a')\ndef m = [build: 'b']\n"
    assert scan_references(source, "p.groovy") == scan_references("", "p.groovy")


def test_single_quoted_dollar_is_literal_and_gstrings_or_expressions_are_dynamic():
    source = "build('lit-${x}')\nbuild(\"g-$x\")\nbuild('a' + b)\nbuild(job: name, wait: false)\n"
    scan = scan_references(source, "p.groovy")
    assert [c.target for c in scan.calls] == ["lit-${x}"]
    assert [(d.text, d.pos.line) for d in scan.dynamic] == [
        ('"g-$x"', 2),
        ("'a' + b", 3),
        ("name", 4),
    ]


def test_hostile_comments_and_strings_never_yield_references():
    source = (
        "/* unterminated? no: */ build('one') /* build('x') // */\n"
        "def a = 'it''s' + \"\\\"build('y')\\\"\" // build('z')\n"
        "def b = $/ build('w') /$\n"
        "def c = 10 / 2 / 5; build('two')\n"
        "/* build('never') and no end"
    )
    assert _targets(source) == ["one", "two"]


def test_names_may_contain_any_text_and_keep_their_position():
    source = "\n\n    build(  job:\n 'ünï-x'  )\n"
    [call] = scan_references(source, "dir/p.groovy").calls
    assert (call.target, str(call.pos)) == ("ünï-x", "dir/p.groovy:4:2")


def test_calls_inside_gstring_placeholders_are_code_but_escaped_dollars_are_text():
    source = (
        "echo \"result: ${build('x').result}, ${[1].collect { build(job: 'y') }}\"\n"
        "echo \"\\${build('literal')}\"\n"
        "build('z')\n"
    )
    calls = scan_references(source, "p.groovy").calls
    assert [(c.target, c.pos.line, c.pos.col) for c in calls] == [
        ("x", 1, 23),
        ("y", 1, 64),
        ("z", 3, 7),
    ]
    assert all(source[c.span[0] : c.span[1]] == c.target for c in calls)
