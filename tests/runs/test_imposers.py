"""Imposers ranked by the duty their new rates add on baseline trade, not by pair counts."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from worldorder.runs.imposers import rank_imposers


def flows(rows: list[tuple[str, str, float, float, float]], date: str = "d") -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["exporter", "importer", "value_before", "tariff_before",
                                       "tariff_after"]).assign(date=date)


def test_a_big_rise_on_half_the_imports_beats_tiny_rises_on_many_pairs() -> None:
    rows = [(f"P{k}", "ARE", 1.0, 0.05, 0.051) for k in range(9)]  # 9 pairs, +0.1 point
    rows += [("CHN", "USA", 50.0, 0.03, 0.30), ("DEU", "USA", 50.0, 0.03, 0.03)]
    ranked = rank_imposers(flows(rows), share=0.0)
    assert list(ranked["imposer"]) == ["USA", "ARE"]
    usa = ranked.iloc[0]
    assert usa["added"] == 50.0 * 0.27
    assert abs(usa["rise"] - 0.135) < 1e-12  # trade-weighted: half the imports at +27 points
    assert abs(usa["average_before"] - 0.03) < 1e-12
    assert abs(usa["average_after"] - 0.165) < 1e-12
    # imposers that do not matter (under 2% of the largest) are left out by default
    assert list(rank_imposers(flows(rows))["imposer"]) == ["USA"]


def test_cuts_and_unchanged_importers_are_no_imposers() -> None:
    rows = [("CHN", "USA", 10.0, 0.2, 0.1), ("USA", "CHN", 10.0, 0.1, 0.1)]
    assert rank_imposers(flows(rows)).empty


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0.1, 100.0), st.floats(0.0, 0.5), st.floats(0.0, 0.5)),
                min_size=1, max_size=12))
def test_added_duty_is_the_sum_of_value_times_rate_change(data) -> None:
    rows = [(f"X{k}", f"M{k % 3}", v, t0, t1) for k, (v, t0, t1) in enumerate(data)]
    df = flows(rows)
    ranked = rank_imposers(df, share=0.0).set_index("imposer")
    for imp, g in df.groupby("importer"):
        added = float((g["value_before"] * (g["tariff_after"] - g["tariff_before"])).sum())
        if added > 1e-9:
            assert abs(ranked.loc[imp, "added"] - added) < 1e-9 * max(1.0, added)
        else:
            assert imp not in ranked.index
    assert list(ranked["added"]) == sorted(ranked["added"], reverse=True)
