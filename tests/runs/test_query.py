"""SQL over runs (DuckDB views over the Parquet files) and run comparisons."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.builders import DATED, FAILS_AT_RUN, LIBERATION, RETALIATION, ScenarioWriter
from worldorder.errors import ScenarioError
from worldorder.runs import QueryError, RunError, RunRecord, compare, connect, execute_run, sql

COLUMNS = ["welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct"]


@pytest.fixture
def two_runs(write_scenario: ScenarioWriter, runs_dir: Path, clock) -> list[RunRecord]:
    return [execute_run(write_scenario(), runs_dir=runs_dir),
            execute_run(write_scenario(RETALIATION), runs_dir=runs_dir)]


def test_sql_spans_every_complete_run(two_runs: list[RunRecord], runs_dir: Path) -> None:
    a, b = two_runs
    df = sql("select run_id, count(*) as n, max(date) as date from economies "
             "group by run_id order by run_id", runs_dir)
    assert df.to_dict("records") == [{"run_id": a.run_id, "n": 8, "date": "undated"},
                                     {"run_id": b.run_id, "n": 8, "date": "undated"}]
    usa = sql("select run_id, welfare_pct from economies where economy = 'USA' "
              "order by run_id", runs_dir)
    expected = [r.economies().set_index("economy").loc["USA", "welfare_pct"] for r in two_runs]
    np.testing.assert_allclose(usa["welfare_pct"], expected, rtol=0, atol=0)
    for table in ("flows", "policies", "timeline"):
        counts = sql(f"select run_id, count(*) as n from {table} group by run_id "
                     "order by run_id", runs_dir)
        assert list(counts["n"]) == [len(getattr(r, table)()) for r in two_runs]
    cols = sql("select * from economies limit 1", runs_dir).columns
    assert list(cols[:3]) == ["run_id", "date", "economy"] and "filename" not in cols
    joined = sql("select r.scenario, e.welfare_pct from economies e join runs r using (run_id) "
                 "where e.economy = 'CHN' order by r.scenario", runs_dir)
    assert list(joined["scenario"]) == ["test-liberation", "test-retaliation"]


def test_runs_table_lists_every_folder_but_views_only_complete_runs(
        two_runs: list[RunRecord], write_scenario: ScenarioWriter, runs_dir: Path) -> None:
    bad = LIBERATION + FAILS_AT_RUN
    with pytest.raises(ScenarioError, match="not a member of NATO"):
        execute_run(write_scenario(bad, name="bad.yaml"), runs_dir=runs_dir)
    runs = sql("select run_id, status, preset, economies, error from runs order by created_utc",
               runs_dir)
    assert list(runs["status"]) == ["complete", "complete", "failed"]
    assert runs["preset"].iloc[0] == "ignatenko2025" and runs["economies"].iloc[0] == 8
    assert "not a member of NATO" in runs["error"].iloc[2]
    assert sql("select count(distinct run_id) as n from economies", runs_dir)["n"][0] == 2


def test_views_exist_without_runs(tmp_path: Path) -> None:
    con = connect(tmp_path / "empty")
    try:
        for table in ("economies", "flows", "policies", "timeline", "runs"):
            assert con.execute(f"select count(*) from {table}").fetchone() == (0,)
        cols = [r[0] for r in con.execute("describe economies").fetchall()]
        assert cols[:4] == ["run_id", "date", "economy", "name"]
        assert "priced" in [r[0] for r in con.execute("describe timeline").fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("query", "message"),
    [("selec 1", r"^SQL: Parser Error: syntax error at or near \"selec\"$"),
     ("select * from nosuch", r"^SQL: Catalog Error: Table with name nosuch does not exist!"),
     ("select nosuch from economies", r"^SQL: Binder Error: .*nosuch")],
)
def test_bad_sql_is_one_line(two_runs: list[RunRecord], runs_dir: Path, query: str,
                             message: str) -> None:
    with pytest.raises(QueryError, match=message) as info:
        sql(query, runs_dir)
    assert "\n" not in str(info.value) and "LINE 1" not in str(info.value)


def pandas_compare(a: pd.DataFrame, b: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    m = a.merge(b, on=on, how="outer", suffixes=("_a", "_b"))
    for c in COLUMNS:
        m[f"{c}_diff"] = m[f"{c}_b"] - m[f"{c}_a"]
    return m


def test_compare_equals_pandas(two_runs: list[RunRecord], runs_dir: Path) -> None:
    a, b = two_runs
    df = compare(a.run_id, "test-retaliation", runs_dir)
    assert df.attrs["run_a"] == a.run_id and df.attrs["run_b"] == b.run_id
    assert list(df.columns) == ["date", "economy", "name"] + [
        f"{c}_{s}" for c in COLUMNS for s in ("a", "b", "diff")]
    ref = pandas_compare(a.economies()[["date", "economy", *COLUMNS]],
                         b.economies()[["date", "economy", *COLUMNS]], ["date", "economy"])
    ref = ref.sort_values(["date", "economy"]).reset_index(drop=True)
    assert list(df["economy"]) == list(ref["economy"])
    for col in ref.columns[2:]:
        np.testing.assert_allclose(df[col], ref[col], rtol=0, atol=1e-12, err_msg=col)
    usa = df.set_index("economy").loc["USA"]
    assert usa["welfare_pct_diff"] < 0  # retaliation hurts the US
    same = compare(a.run_id, a.run_id, runs_dir, ["tariff_revenue"])
    assert list(same.columns[-3:]) == ["tariff_revenue_a", "tariff_revenue_b",
                                       "tariff_revenue_diff"]
    assert (same["tariff_revenue_diff"] == 0).all()


def test_compare_runs_with_different_dates(two_runs: list[RunRecord],
                                           write_scenario: ScenarioWriter,
                                           runs_dir: Path) -> None:
    undated = two_runs[0]
    dated = execute_run(write_scenario(DATED), runs_dir=runs_dir)
    df = compare(undated.run_id, dated.run_id, runs_dir)
    assert len(df) == 4 * 8  # the union of the dates
    assert list(dict.fromkeys(df["date"])) == ["2025-02-04", "2025-04-02", "2025-04-09",
                                               "undated"]
    at = df[df["date"] == "2025-04-02"]
    assert at["welfare_pct_a"].isna().all() and at["welfare_pct_diff"].isna().all()
    assert at["welfare_pct_b"].notna().all()
    one = compare(undated.run_id, dated.run_id, runs_dir, date="2025-04-09")
    assert set(one["date"]) == {"2025-04-09"} and len(one) == 8
    # each run's last date
    last = compare(undated.run_id, dated.run_id, runs_dir, mode="last")
    assert set(last["date_a"]) == {"undated"} and set(last["date_b"]) == {"2025-04-09"}
    ea = undated.economies()
    eb = dated.economies()
    ref = pandas_compare(ea[["economy", *COLUMNS]],
                         eb[eb["date"] == "2025-04-09"][["economy", *COLUMNS]], ["economy"])
    ref = ref.sort_values("economy").reset_index(drop=True)
    for col in ref.columns[1:]:
        np.testing.assert_allclose(last[col], ref[col], rtol=0, atol=1e-12, err_msg=col)
    with pytest.raises(RunError, match=r"date '2030-01-01' is in neither run"):
        compare(undated.run_id, dated.run_id, runs_dir, date="2030-01-01")


def test_compare_errors(two_runs: list[RunRecord], runs_dir: Path) -> None:
    a, b = two_runs
    with pytest.raises(RunError, match=r"unknown column 'gdp' to compare; choose from "
                                       r"welfare_pct, "):
        compare(a.run_id, b.run_id, runs_dir, ["gdp"])
    with pytest.raises(RunError, match="unknown column 'name'"):
        compare(a.run_id, b.run_id, runs_dir, ["name"])
    with pytest.raises(RunError, match="no run 'nope'"):
        compare(a.run_id, "nope", runs_dir)
    with pytest.raises(RunError, match="unknown comparison mode"):
        compare(a.run_id, b.run_id, runs_dir, mode="first")  # type: ignore[arg-type]
    (a.path / "economies.parquet").unlink()
    with pytest.raises(RunError, match=r"is corrupt: economies\.parquet is missing"):
        compare(a.run_id, b.run_id, runs_dir)


def test_every_recorded_table_is_a_view(two_runs: list[RunRecord], runs_dir: Path) -> None:
    # the politics layer's tables and the notes of actions are queryable like the trade tables
    for table in ("memberships", "events", "pledges", "defense_targets", "aid", "forces",
                  "note_reciprocal"):
        out = sql(f"select run_id, count(*) as n from {table} group by run_id", runs_dir)
        rows = dict(zip(out["run_id"], out["n"], strict=True))
        for rec in two_runs:
            expected = len(pd.read_parquet(rec.path / f"{table}.parquet"))
            assert rows.get(rec.run_id, 0) == expected, table
    assert int(sql("select count(*) as n from memberships", runs_dir)["n"].iloc[0]) > 0
    notes = sql("select distinct run_id, note from note_reciprocal", runs_dir)
    assert set(notes["note"]) == {"reciprocal_USA"}
