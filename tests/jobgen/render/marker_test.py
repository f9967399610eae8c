from urllib.parse import quote

import pytest

from jobgen.render.marker import Marker, format_marker, owned, parse_marker

SHA = "0123456789abcdef" * 4
MARKER = Marker("jobs-repo", "frontend/frontend-build-v1-abc", "frontend-build", "frontend", SHA)


def test_marker_round_trips_on_the_first_line_of_a_description():
    description = f"{format_marker(MARKER)}\n\nJavaScript UI\n"
    assert parse_marker(description) == MARKER


def test_description_without_marker_is_not_jobgens():
    assert parse_marker("a job somebody made by hand") is None
    assert parse_marker(None) is None
    assert parse_marker("[jobgen] owner=x") is None


@pytest.mark.parametrize(
    "description",
    [
        f"made by hand\n{format_marker(MARKER)}",  # a marker line anywhere but the first
        f" {format_marker(MARKER)}",  # leading space
        f"{format_marker(MARKER)} extra",  # trailing words
        format_marker(MARKER).replace(" item=", "  item="),  # another spelling
        format_marker(MARKER).replace("owner=jobs-repo", "owner=jobs%2Drepo"),  # encoded twice
        format_marker(MARKER).replace(SHA, "abc"),  # not a sha256
    ],
)
def test_only_the_exact_first_line_counts(description):
    assert parse_marker(description) is None
    assert not owned(MARKER.item, description, MARKER.owner)


def test_the_marker_binds_the_items_own_full_name():
    description = format_marker(MARKER)
    assert owned("frontend/frontend-build-v1-abc", description, "jobs-repo")
    assert not owned("frontend/copy-of-build", description, "jobs-repo")  # createItem?mode=copy
    assert not owned("frontend/frontend-build-v1-abc", description, "other-repo")


def test_an_owner_with_spaces_is_one_field():
    marker = Marker("my jobs repo", "a b/job", "job", "a b")
    line = format_marker(marker)
    assert " " not in line.partition("owner=")[2].partition(" item=")[0]
    assert parse_marker(line) == marker
    assert owned("a b/job", line, "my jobs repo") and not owned("a b/job", line, "my")


def test_every_field_is_percent_encoded_alike_with_or_without_characters_to_encode():
    # Names with nothing to encode skip quote(): the line must be the same either way.
    for c in [chr(c) for c in range(0x250)] + ["\u2028", "\U0001f600"]:
        value = f"team {c}/a-b_c.d~e" if c != " " else "a b"
        for field in (value, value.replace(" ", "")):
            line = format_marker(Marker(field, field, field, field, SHA))
            encoded = quote(field, safe="/")
            expected = f"[jobgen] owner={encoded} item={encoded} name={encoded}"
            assert line == f"{expected} component={encoded} sha256={SHA}", repr(field)
            assert parse_marker(line) == Marker(field, field, field, field, SHA)


def test_each_field_is_encoded_alone_when_another_has_characters_to_encode():
    # All four fields are looked at at once first: one needing quote() must not change
    # how the others are written.
    plain, spaced = "team/a-b_c.d~e", "team a/ü"
    for at in range(4):
        fields = [plain] * 4
        fields[at] = spaced
        line = format_marker(Marker(*fields, SHA))
        owner, item, name, component = (quote(field, safe="/") for field in fields)
        assert line == (
            f"[jobgen] owner={owner} item={item} name={name} component={component} sha256={SHA}"
        )
        assert parse_marker(line) == Marker(*fields, SHA)
