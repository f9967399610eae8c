"""`repository.install`: a committed wheel must be there and be the pinned jobgen."""

from pathlib import Path

from jobgen import __version__
from jobgen.load.loader import load

SETTINGS = """jobgen: {pin}
repository:
  url: https://git.example.com/jobs.git
  install: {install}
"""


def _codes(root: Path, install: str, pin: str = __version__) -> list[str]:
    (root / "components").mkdir(exist_ok=True)
    (root / "jobgen.yaml").write_text(SETTINGS.format(pin=pin, install=install))
    found = load([root / "components"]).diagnostics
    return [d.code for d in found if d.code.startswith(("install", "schema"))]


def test_an_index_url_or_the_committed_wheel_of_the_pin_is_fine(tmp_path):
    assert _codes(tmp_path, "https://pypi.example.com/simple/") == []
    wheel = f"wheels/jobgen-{__version__}-py3-none-any.whl"
    (tmp_path / "wheels").mkdir()
    (tmp_path / wheel).write_bytes(b"PK")
    assert _codes(tmp_path, wheel) == []


def test_a_wheel_that_is_not_in_the_repository_is_an_error_at_its_line(tmp_path):
    (tmp_path / "components").mkdir()
    (tmp_path / "jobgen.yaml").write_text(
        SETTINGS.format(pin=__version__, install="wheels/jobgen-0.1.0-py3-none-any.whl")
    )
    (finding,) = [
        d for d in load([tmp_path / "components"]).diagnostics if d.code != "no-components"
    ]
    assert finding.code == "install-missing"
    assert finding.pos is not None and finding.pos.line == 3
    assert "not in this repository" in finding.message


def test_a_wheel_of_another_version_than_the_pin_is_an_error(tmp_path):
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "jobgen-9.9.9-py3-none-any.whl").write_bytes(b"PK")
    assert _codes(tmp_path, "wheels/jobgen-9.9.9-py3-none-any.whl") == ["install-version"]


def test_something_that_is_neither_a_url_nor_a_wheel_is_a_schema_error(tmp_path):
    codes = _codes(tmp_path, "jobgen==0.1.0")
    assert len(codes) == 1 and codes[0].startswith("schema")
