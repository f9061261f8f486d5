"""Outcome columns shown in the command line's tables, with their short labels."""

from __future__ import annotations

__all__ = ["COLUMNS"]

COLUMNS: list[tuple[str, str]] = [
    ("welfare_pct", "Welfare"),
    ("real_wage_pct", "Real wage"),
    ("employment_pct", "Employ."),
    ("price_index_pct", "Prices"),
    ("exports_to_gdp_pct", "Exp/GDP"),
    ("imports_to_gdp_pct", "Imp/GDP"),
    ("trade_balance_change_pct", "Deficit"),
    ("tariff_revenue_pct_gdp", "Tariff rev"),
]
