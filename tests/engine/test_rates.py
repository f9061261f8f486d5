"""Rates are fractions in a sane range, checked by one shared type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from worldorder.engine.rates import RATE_ERROR, RATE_MAX, RATE_MIN, Rate


class M(BaseModel):
    rate: Rate


@settings(max_examples=40, deadline=None)
@given(st.floats(RATE_MIN, RATE_MAX))
def test_rates_in_the_range_pass_unchanged(x: float) -> None:
    assert M(rate=x).rate == x


@pytest.mark.parametrize("x", [25.0, 5.0, 3.01, -0.5, -0.31])
def test_rates_outside_say_they_are_fractions(x: float) -> None:
    with pytest.raises(ValidationError) as info:
        M(rate=x)
    (err,) = info.value.errors()
    assert err["type"] == RATE_ERROR
    assert "rates are fractions, 0.25 means 25%" in err["msg"]
    assert f"{x:g} would be {100 * x:,.0f}%" in err["msg"]
