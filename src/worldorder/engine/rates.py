"""Tariff rates as users write them: fractions in a sane range.

Every rate a scenario sets (``tariff``'s ``rate`` and per-partner schedule, ``tariff_deal``'s
``rate`` and ``partner_rate``, ``reciprocal_tariff``'s ``floor``) is a fraction: 0.25 means
25%. :data:`Rate` is the one annotated type they share; a value outside
[:data:`RATE_MIN`, :data:`RATE_MAX`] is refused when the file is read, with its file, line and
field and the hint that rates are fractions (``rate: 25`` is 2,500%, not 25%).

The bounds: the highest country-wide additional rate on record in 2025 is 1.45 (the US on
China in April 2025), so 3.0 (300%) leaves room for threats beyond it while catching a percent
typed as a number (5, 10, 25); below zero a rate cuts an existing duty, and baseline applied
tariffs are below 30%, so a cut below −0.3 would turn a tariff into an import subsidy.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

__all__ = ["RATE_ERROR", "RATE_MAX", "RATE_MIN", "Rate", "check_rate"]

RATE_ERROR = "rate_range"
"""The pydantic error type of a rate outside the range."""

RATE_MIN = -0.3
RATE_MAX = 3.0


def check_rate(value: float) -> float:
    """``value`` if it lies in [RATE_MIN, RATE_MAX], else an error with the hint that rates
    are fractions."""
    if not RATE_MIN <= value <= RATE_MAX:
        raise PydanticCustomError(
            RATE_ERROR, "rate outside [{lo}, {hi}]: rates are fractions, 0.25 means 25%; "
                        "{value} would be {pct}%",
            {"lo": f"{RATE_MIN:g}", "hi": f"{RATE_MAX:g}", "value": f"{value:g}",
             "pct": f"{100 * value:,.0f}"})
    return value


Rate = Annotated[float, AfterValidator(check_rate)]
"""A tariff rate as a fraction (0.25 = 25%), checked against the sane range."""
