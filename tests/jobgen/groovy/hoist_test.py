"""The mocks' classes are sent once and blanked in each script, every line kept in place."""

from jobgen.groovy.compile import body_range, compile_groovy
from jobgen.groovy.hoist import split_classes


def test_the_classes_leave_the_script_and_every_line_stays_where_it_was():
    text = compile_groovy("echo('hi')\n", "test").text
    classes, rest = split_classes(text)
    assert "class JobgenState" in classes and "class JobgenSignatures" in classes
    assert "class JobgenState" not in rest and "def stage(" in rest
    assert len(rest.splitlines()) == len(text.splitlines())
    assert body_range(rest) == body_range(text)
    # The same library around another body: the same classes, so one copy serves both.
    assert split_classes(compile_groovy("echo('other')\n", "test").text)[0] == classes


def test_a_text_without_markers_is_left_whole():
    assert split_classes("class A {}\necho('x')\n") == ("", "class A {}\necho('x')\n")
