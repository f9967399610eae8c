"""A declared parameter as rendered: Jenkins defaults a choice to its first entry."""

from __future__ import annotations

from jobgen.diagnostics import SourcePos
from jobgen.load.model import Parameter
from jobgen.plan.parameters import declared_param

POS = SourcePos("c.yaml", 1, 1)


def test_a_choice_default_goes_first() -> None:
    param = declared_param(Parameter("D", POS, default="b", type="choice", choices=("a", "b", "c")))
    assert (param.default, param.choices) == ("b", ("b", "a", "c"))
    plain = declared_param(Parameter("D", POS, type="choice", choices=("a", "b")))
    assert (plain.default, plain.choices) == ("a", ("a", "b"))


def test_a_boolean_default_is_true_or_false_as_yaml_spells_it() -> None:
    assert declared_param(Parameter("B", POS, default="yes", type="boolean")).default == "true"
    assert declared_param(Parameter("B", POS, type="boolean")).default == "false"
