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
