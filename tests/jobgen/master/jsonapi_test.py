"""The `tree=` parser."""

import pytest

from jobgen.master.jsonapi import TreeError, parse_tree


def test_nested_fields_and_ranges():
    tree = parse_tree("jobs[name,url,jobs[name]{0,2}],views[name]")
    assert list(tree.fields) == ["jobs", "views"]
    assert list(tree.fields["jobs"].fields) == ["name", "url", "jobs"]
    assert tree.fields["jobs"].fields["jobs"].window == (0, 2)


@pytest.mark.parametrize("text", ["jobs[name", "jobs]name[", "[name]"])
def test_malformed_trees_are_rejected(text):
    with pytest.raises(TreeError):
        parse_tree(text)


def test_names_are_not_trimmed():
    # stapler NamedPathPruner.Reader.peek: a name runs to the next `,[]{}`, spaces included.
    tree = parse_tree("name, url")
    assert list(tree.fields) == ["name", " url"]


@pytest.mark.parametrize("text", ["", "name,", "jobs[]", "jobs{x}"])
def test_what_stapler_refuses(text):
    with pytest.raises(TreeError):
        parse_tree(text)


def test_open_ranges():
    # NamedPathPruner.parseRange: {N}, {N,}, {,M}.
    assert parse_tree("a{2}").fields["a"].window == (2, 3)
    assert parse_tree("a{2,}").fields["a"].window == (2, None)
    assert parse_tree("a{,4}").fields["a"].window == (0, 4)
