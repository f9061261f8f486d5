"""``runs sql`` is a read-only query of the run store (issue 12, item 1).

Each hostile statement of the issue is tried through the command line: none may read a file
outside the store, write or overwrite a file, or run a second statement.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.builders import ScenarioWriter
from worldorder.cli.runs_cmd import runs_app
from worldorder.runs import QueryError, RunRecord, execute_run, sql

runner = CliRunner()


@pytest.fixture
def run(write_scenario: ScenarioWriter, runs_dir: Path) -> RunRecord:
    return execute_run(write_scenario(), runs_dir=runs_dir)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_hostile_statements_are_refused(run: RunRecord, runs_dir: Path,
                                        tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not print me")
    before = _files(run.path)
    target = run.path / "economies.parquet"
    hostile = [
        f"select content from read_text('{secret}')",
        f"select * from read_csv('{secret}')",
        f"COPY (select 1 x) TO '{target}' (FORMAT parquet)",
        f"ATTACH '{tmp_path / 'x.db'}' AS x",
        f"EXPORT DATABASE '{tmp_path / 'export'}'",
        f"select 1; COPY (select 1 x) TO '{tmp_path / 'y.csv'}'",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "create table t as select 1",
        "insert into runs select * from runs",
        "drop view economies",
        "INSTALL httpfs",
        "LOAD httpfs",
        f"select * from read_parquet('{tmp_path}/*.parquet')",
    ]
    for query in hostile:
        r = runner.invoke(runs_app, ["sql", query, "--runs-dir", str(runs_dir)])
        assert r.exit_code == 1, (query, r.output)
        assert isinstance(r.exception, QueryError), (query, r.exception)
        message = str(r.exception)
        assert "\n" not in message and "do not print me" not in message, query
    assert _files(run.path) == before
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "export").exists()
    assert not (tmp_path / "y.csv").exists()


def test_read_only_statements_work(run: RunRecord, runs_dir: Path) -> None:
    for query in ("select count(*) as n from economies",
                  "with a as (select * from economies) select count(*) as n from a",
                  "from economies select count(*) as n",
                  "select count(*) as n from (values (1)) v(x) cross join economies",
                  ):
        assert int(sql(query, runs_dir)["n"].iloc[0]) == 8, query
    assert len(sql("describe economies", runs_dir)) > 5
    assert len(sql("summarize policies", runs_dir)) > 3
    assert sql("select status from runs", runs_dir)["status"].tolist() == ["complete"]
    # a trailing semicolon is one statement
    assert len(sql("select 1 as x;", runs_dir)) == 1


def test_one_statement_one_line(runs_dir: Path) -> None:
    with pytest.raises(QueryError, match=r"^SQL: give one read-only statement .*found 2"):
        sql("select 1; select 2", runs_dir)
    with pytest.raises(QueryError, match=r"^SQL: only read-only queries .* not COPY"):
        sql("copy (select 1) to 'x.csv'", runs_dir)
    with pytest.raises(QueryError, match=r"^SQL: give a query"):
        sql("  ;  ", runs_dir)
