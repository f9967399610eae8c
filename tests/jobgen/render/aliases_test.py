"""A stable job's content hash: what deployed masters hold, whatever the script."""

import hashlib

import pytest

from jobgen.render.aliases import _content
from jobgen.render.stamp import RenderError, placed_script, with_script
from tests.jobgen.render.stamp_test import CHUNKS, CONFIG, SCRIPTS, WORKER, _outcome

ALIAS_SCRIPTS = [*SCRIPTS, "it's \"quoted\" & 'more'\r\n", "", " ", "\r\n", "\x01", "\ufffe"]


def _whole(xml: str, script: str, slot: str) -> str:
    """The definition masters hold: sha256 of the config with its script rendered in."""
    return hashlib.sha256(with_script(xml, script, "job", slot).encode()).hexdigest()[:16]


@pytest.mark.parametrize("script", ALIAS_SCRIPTS + CHUNKS, ids=range(len(ALIAS_SCRIPTS + CHUNKS)))
def test_the_content_hash_in_pieces_is_the_hash_of_the_config_with_its_script(script):
    # Hashed from the script as stamp places it, with the quotes the template escapes too:
    # a different value would make the next deploy rewrite every stable job.
    for xml, slot in ((CONFIG, "script"), (WORKER, "command")):
        placed = placed_script(script)
        assert _content(xml, script, placed, "job", slot) == _whole(xml, script, slot)


def test_a_config_without_one_empty_script_is_a_render_error_as_before():
    twice = CONFIG.replace("<sandbox>true</sandbox>", "<script></script>")
    for xml in (twice, CONFIG.replace("<script></script>", "")):
        placed = placed_script("x")
        assert _outcome(_content, xml, "x", placed, "job", "script") == _outcome(
            _whole, xml, "x", "script"
        )
        with pytest.raises(RenderError, match="no single empty <script>"):
            _content(xml, "x", placed, "job", "script")
