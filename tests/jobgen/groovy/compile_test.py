from pathlib import Path

from jobgen.groovy.compile import compile_groovy, load_library, wrap


def _lib(tmp_path: Path) -> Path:
    (tmp_path / "test").mkdir()
    (tmp_path / "common").mkdir()
    (tmp_path / "test" / "prelude.groovy").write_text("def mocked = true\n")
    (tmp_path / "common" / "b.groovy").write_text("def b() {}\n")
    (tmp_path / "common" / "a.groovy").write_text("def a() {}")
    (tmp_path / "test" / "epilogue.groovy").write_text("report()\n")
    return tmp_path


def test_library_wraps_body_in_order(tmp_path):
    compiled = compile_groovy("build('x')\n", "test", _lib(tmp_path))
    lines = compiled.text.splitlines()
    assert lines[0] == "def mocked = true"
    assert lines[1:3] == ["def a() {}", "def b() {}"]
    assert lines[compiled.body_first_line - 1] == "build('x')"
    assert lines[-1] == "report()"


def test_body_lines_map_back_to_the_job_file(tmp_path):
    compiled = compile_groovy("one\ntwo\n", "test", _lib(tmp_path))
    assert compiled.body_line(compiled.body_first_line + 1) == 2
    assert compiled.body_line(1) is None


def test_every_script_of_a_library_starts_with_its_lead_and_ends_with_its_tail(tmp_path):
    # What render escapes once for all its jobs (render/stamp.py, `shared`): a preamble goes
    # after the lead, so a script with one starts with it too.
    library = load_library("test", _lib(tmp_path))
    for preamble in ("", "def team() {}", "def team() {}\n"):
        text = wrap("build('x')", library, preamble).text
        assert text.startswith(library.lead)
        assert text.endswith(library.tail)
        assert preamble in text[len(library.lead) : len(text) - len(library.tail)]
    assert library.lead == "def mocked = true\ndef a() {}\ndef b() {}\n"
