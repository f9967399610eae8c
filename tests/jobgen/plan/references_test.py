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
