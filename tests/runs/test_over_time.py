"""Two runs over time: values in force between solved dates, differences the last date hides."""

from __future__ import annotations

import pandas as pd

from worldorder.runs.over_time import differences_over_time, hidden_difference


def econ(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "economy", "welfare_pct"])


A = econ([("2025-02-01", "USA", -0.2), ("2025-02-01", "CHN", -0.5),
          ("2025-05-01", "USA", 0.3), ("2025-05-01", "CHN", -0.1)])
# B lacks a step of February: its first solved date is later, the end is the same
B = econ([("2025-03-01", "USA", -1.2), ("2025-03-01", "CHN", -0.4),
          ("2025-05-01", "USA", 0.3), ("2025-05-01", "CHN", -0.1)])


def test_values_in_force_fill_the_union_of_dates() -> None:
    diff = differences_over_time(A, B, "welfare_pct")
    assert list(diff.index) == ["2025-02-01", "2025-03-01", "2025-05-01"]
    # on 1 February B has not moved from the baseline (0); on 1 March A's February result holds
    assert diff.loc["2025-02-01", "USA"] == 0.2 and diff.loc["2025-03-01", "USA"] == -1.0
    assert (diff.loc["2025-05-01"] == 0.0).all()


def test_the_last_date_hides_an_earlier_gap() -> None:
    found = hidden_difference(A, B, "welfare_pct")
    assert found is not None
    assert (found.economy, found.date, found.earlier, found.last) == \
        ("USA", "2025-03-01", -1.0, 0.0)
    assert "differs by -1.00 points for USA on 2025-03-01" in found.sentence()
    assert hidden_difference(A, A, "welfare_pct") is None
    # a gap at the last date at least as large as earlier ones hides nothing
    C = B.assign(welfare_pct=B["welfare_pct"].where(B["date"] != "2025-05-01", 2.0))
    assert hidden_difference(A, C, "welfare_pct") is None
