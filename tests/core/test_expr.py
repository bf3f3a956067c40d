"""The condition language: parses what authors write, refuses what it cannot run safely."""

from __future__ import annotations

import pytest

from simtool.core import expr


def run(text: str, **env: float | None) -> object:
    return expr.compile_condition(text)(env)


def test_detection_trigger_reads_as_written() -> None:
    cond = "blood_loss_ml >= 500 or (blood_loss_ml >= 300 and shock_index >= 0.9)"
    assert run(cond, blood_loss_ml=520, shock_index=0.7) is True
    assert run(cond, blood_loss_ml=320, shock_index=0.95) is True
    assert run(cond, blood_loss_ml=320, shock_index=0.7) is False


def test_precedence_and_arithmetic() -> None:
    assert run("a + b * 2 > 6", a=1, b=3) is True       # 1 + 6 = 7
    assert run("(a + b) * 2 > 6", a=1, b=1) is False    # 4
    assert run("not a > 1 and b < 2", a=0, b=1) is True
    assert run("-a < 0", a=3) is True
    assert run("a / b > 1", a=1, b=0) is False          # division by zero: no value


def test_missing_values_make_comparisons_false() -> None:
    assert run("since.oxytocin < 900", **{"since.oxytocin": None}) is False
    assert run("since.oxytocin + 1 > 0", **{"since.oxytocin": None}) is False


@pytest.mark.parametrize("text, message", [
    ("hr >", "expected a number, a name or '(' at end of condition"),
    ("hr > 3 )", "expected 'and', 'or' or end of condition, found ')' at column 8"),
    ("hr + 1", "a condition must be a comparison or a true/false combination"),
    ("hr > 1 and 3", "'and' needs true/false operands (a comparison)"),
    ("(hr > 1", "expected ')' at end of condition"),
    ("hr $ 2", "unexpected character '$' at column 4"),
    ("", "empty condition"),
    ("__import__('os')", "unexpected character \"'\" at column 12"),
    ("(hr > 1) > 2", "cannot compare a true/false value with '>'"),
])
def test_bad_conditions_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(expr.ExprError) as err:
        expr.parse(text)
    assert str(err.value) == message


def test_names_and_numbers_are_reported_for_validation() -> None:
    node = expr.parse("blood_loss_ml > 1500 and given.oxytocin >= 1")
    assert expr.names(node) == {"blood_loss_ml", "given.oxytocin"}
    assert expr.numbers(node) == [1500.0, 1.0]
    with pytest.raises(expr.ExprError, match="unknown variable 'blod_loss'"):
        expr.check_names(expr.parse("blod_loss > 1"), {"blood_loss_ml"}.__contains__)
