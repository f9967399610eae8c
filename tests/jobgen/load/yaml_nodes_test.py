"""The position-keeping YAML reader."""

from __future__ import annotations

import yaml

from jobgen.diagnostics import SourcePos
from jobgen.load.yaml_nodes import _LOADER, MAX_NODES, parse_yaml

DOC = """\
component: api   # a comment
steps:
  build:
    - make
    - make install
  test: {sh: make test, timeout: 5}
notify:
  on: [failure]
"""


def test_positions_of_keys_and_values_by_path() -> None:
    parsed = parse_yaml(DOC, "api.yaml")
    pos = parsed.positions
    assert pos.value(("component",)) == SourcePos("api.yaml", 1, 12)
    assert pos.key(("steps", "build")) == SourcePos("api.yaml", 3, 3)
    assert pos.value(("steps", "build", 1)) == SourcePos("api.yaml", 5, 7)
    assert pos.key(("steps", "test", "timeout")) == SourcePos("api.yaml", 6, 25)
    assert pos.value(("steps", "test", "timeout")) == SourcePos("api.yaml", 6, 34)


def test_a_missing_path_falls_back_to_its_nearest_ancestor() -> None:
    pos = parse_yaml(DOC, "api.yaml").positions
    assert pos.value(("steps", "test", "nope", 3)) == pos.value(("steps", "test"))


def test_plain_values_and_keys_kept_as_written() -> None:
    parsed = parse_yaml(DOC + "python: 3.10\nflag: yes\n", "api.yaml")
    assert isinstance(parsed.value, dict)
    assert parsed.value["notify"] == {"on": ["failure"]}  # YAML 1.1 would make the key True
    assert parsed.value["steps"]["test"]["timeout"] == 5
    assert parsed.value["python"] == 3.1
    assert parsed.positions.text(("python",)) == "3.10"
    assert parsed.value["flag"] is True


def test_columns_count_characters_not_bytes() -> None:
    parsed = parse_yaml("a: [é中𝄞, x]\n", "u.yaml")
    assert parsed.positions.value(("a", 1)) == SourcePos("u.yaml", 1, 10)


def test_duplicate_keys_are_errors_at_the_second_key() -> None:
    parsed = parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "d.yaml")
    found = [(d.pos, d.code) for d in parsed.diagnostics]
    assert found == [
        (SourcePos("d.yaml", 4, 3), "duplicate-key"),
        (SourcePos("d.yaml", 5, 1), "duplicate-key"),
    ]
    assert parsed.value == {"a": 1, "b": {"c": 1}}


def test_syntax_errors_carry_the_position_of_the_problem() -> None:
    parsed = parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "s.yaml")
    (diagnostic,) = parsed.diagnostics
    assert diagnostic.code == "yaml-syntax"
    assert diagnostic.pos is not None and diagnostic.pos.line == 3
    assert "line 2" in diagnostic.hint  # where the unclosed list began


def test_merge_keys_fill_in_without_overriding() -> None:
    parsed = parse_yaml("base: &b {x: 1, y: 2}\nmine:\n  <<: *b\n  x: 9\n", "m.yaml")
    assert parsed.value == {"base": {"x": 1, "y": 2}, "mine": {"x": 9, "y": 2}}
    assert parsed.diagnostics == ()


def test_alias_bombs_stop_at_a_bound() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    parsed = parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert [d.code for d in parsed.diagnostics] == ["yaml-too-large"]
    assert str(MAX_NODES) in parsed.diagnostics[0].message


def test_empty_document_is_none_without_errors() -> None:
    parsed = parse_yaml("# only a comment\n", "e.yaml")
    assert parsed.value is None and parsed.diagnostics == ()


def test_several_documents_are_a_syntax_error() -> None:
    parsed = parse_yaml("a: 1\n---\nb: 2\n", "two.yaml")
    assert [d.code for d in parsed.diagnostics] == ["yaml-syntax"]


def test_500_deep_nesting_is_one_positioned_error_not_a_recursion_error() -> None:
    text = "component: deep\ndescription: " + "[" * 500 + "]" * 500 + "\n"
    parsed = parse_yaml(text, "c.yaml")
    (too_deep,) = [d for d in parsed.diagnostics if d.code == "yaml-too-deep"]
    assert too_deep.pos == SourcePos("c.yaml", 2, 14 + 64)


def test_a_5000_digit_integer_is_a_positioned_error_not_a_value_error() -> None:
    # Python refuses int() of over 4,300 digits with a ValueError.
    parsed = parse_yaml("retention: {days: " + "9" * 5000 + "}\n", "c.yaml")
    (big,) = parsed.diagnostics
    assert big.code == "yaml-number-too-large" and big.pos == SourcePos("c.yaml", 1, 19)


def test_a_control_character_is_reported_where_it_is() -> None:
    (found,) = parse_yaml("component: a\ndescription: a\x1bb\n", "c.yaml").diagnostics
    assert found.pos == SourcePos("c.yaml", 2, 15) and "U+001B" in found.message


# Plain scalars the YAML 1.1 resolver reads as something else than text, their near misses,
# and the quoted, block and tagged forms of the same: `yaml/resolver.py` picks patterns by
# the first character, so every first character with patterns is here.
_TRICKY = """\
on: [yes, Yes, YES, no, No, NO, true, True, TRUE, false, False, FALSE, on, On, ON, off, Off, OFF]
y: [y, Y, n, N, yES, nO, oN, "yes", 'no', yesterday, nothing, octal, Offset, tRue, f, t]
nulls: [~, null, Null, NULL, nULL, "~", 'null', '', "", none]
empty:
numbers: [0, -0, +1, -12, 1_000, 0b101, -0b1_0, 017, 0o17, 0x1F, -0xff, 190:20:30, 08, 09_1]
floats: [1.5, -1.5, +.5, .5, 1e3, 1.0e+3, 1.0e3, -.inf, .Inf, .NAN, .nan, 190:20:30.15, 1.2.3]
dots: [., .., .x, 8.12.0, 3.10, 1., -., +, -, "-1", '1.5', 1_0.5_0]
times: [2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10 -5, 2001-13-99x]
odd: [=, '=', <<, '<<', "<", <x, "&", 'a: b', ! 12, !!str 12, !!int "12", npm test, 12 monkeys]
base: &base {a: 1, on: 2}
merged: {<<: *base, b: yes}
block: |
  yes
folded: >-
  12
'yes': quoted key
? complex
: value
"""


def _tags(node: yaml.Node) -> list[tuple[str, str, int, int]]:
    """Every node's tag, scalar text and start, depth first."""
    if isinstance(node, yaml.ScalarNode):
        return [(node.tag, node.value, node.start_mark.line, node.start_mark.column)]
    items = node.value if isinstance(node, yaml.SequenceNode) else sum(node.value, ())
    inner = [t for item in items for t in _tags(item)]
    return [(node.tag, "", node.start_mark.line, node.start_mark.column), *inner]


def test_the_loader_tags_every_scalar_as_pyyamls_own_resolver_does() -> None:
    # Twice: the second time the remembered tags answer.
    for _ in range(2):
        ours = _tags(yaml.compose(_TRICKY, Loader=_LOADER))
        assert ours == _tags(yaml.compose(_TRICKY, Loader=yaml.SafeLoader))
    assert ("tag:yaml.org,2002:bool", "yes", 0, 5) in ours  # the test holds what it names
    assert len(ours) > 140
