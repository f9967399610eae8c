"""The docs are true: every link they make resolves inside the repository."""

import re

from tests.repos import PROJECT

LINK = re.compile(r"\]\(([^)\s]+)\)")
DOCS = [PROJECT / "README.md", PROJECT / "DEVELOPERS.md", *sorted(PROJECT.glob("docs/**/*.md"))]


def test_every_link_of_the_docs_resolves_inside_the_repository():
    broken = []
    for doc in DOCS:
        for target in LINK.findall(doc.read_text("utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address, or a place in the same page
            path = (doc.parent / target.split("#")[0]).resolve()
            if not path.is_relative_to(PROJECT) or not path.exists():
                broken.append(f"{doc.relative_to(PROJECT)}: {target}")
    assert broken == []


def test_the_readme_starts_with_make_demo_then_install_then_init():
    text = (PROJECT / "README.md").read_text("utf-8")
    order = [text.index(s) for s in ("make demo", "## Install", "pipx install", "jobgen init")]
    assert order == sorted(order)
