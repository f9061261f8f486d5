"""SQL over runs with DuckDB, which reads the runs' Parquet files in place.

:func:`connect` opens an in-memory DuckDB database with one view per recorded table over every
complete run (each with a ``run_id`` column first): every registered layer's tables (``economies``,
``flows``, ``policies``, ``memberships``, ``events``, ...), the engine's ``timeline``, and the
``note_<kind>`` tables of strategic actions found in the runs, the partitioned tables of sweeps
(``sweep_samples``, ``sweep_economies``: every ``<table>/part-*.parquet`` of a run); and the
table ``runs`` (one row per run folder, from the manifests, whatever its status).
:func:`compare` sets two runs side by side.

:func:`sql` is a read-only query of the run store, safe to hand SQL a user typed: the views are
registered first, then the connection may read only the runs' own table files
(``allowed_paths``), external access is switched off (``enable_external_access = false``: no
other file, no ``COPY``, ``ATTACH``, ``EXPORT DATABASE``, ``INSTALL`` or ``LOAD``) and the
configuration is locked (``lock_configuration = true``), as the DuckDB manual's "Securing
DuckDB" page describes. The text must be exactly one read-only statement (``SELECT``, ``WITH``,
``FROM``, ``VALUES``, ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``, ``EXPLAIN``), checked with
DuckDB's own parser (:func:`duckdb.extract_statements`) before it runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from worldorder.runs.errors import QueryError, RunError
from worldorder.runs.manifest import Status
from worldorder.runs.record import RunRecord, load_run, scan_runs
from worldorder.runs.tables import SCHEMAS, table_path

if TYPE_CHECKING:
    import duckdb

__all__ = ["DEFAULT_COLUMNS", "READ_ONLY", "compare", "connect", "read_only_statement",
           "sql"]

#: Table names that become views (a run's files are named after its tables).
_SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

DEFAULT_COLUMNS = ("welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct")
_SQL_TYPES = {pa.string(): "VARCHAR", pa.float64(): "DOUBLE", pa.int64(): "BIGINT",
              pa.bool_(): "BOOLEAN", pa.int32(): "INTEGER"}

_RUNS_COLUMNS = {"run_id": "str", "scenario": "str", "dataset": "str", "status": "str",
                 "created_utc": "str", "dates": "int64", "path": "str", "error": "str",
                 "finished_utc": "str", "preset": "str", "closure": "str",
                 "economies": "Int64", "dataset_sha256": "str", "total_seconds": "float64",
                 "kind": "str"}


def _literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _one_line(exc: Exception) -> str:
    """DuckDB's message without the excerpt of the query it points into."""
    lines = []
    for line in str(exc).splitlines():
        if not line.strip():
            break
        lines.append(line.strip())
    return " ".join(lines) or type(exc).__name__


def _table_view(table: str, files: list[tuple[str, Path]]) -> str:
    if not files and table in SCHEMAS:
        cols = ", ".join(f"NULL::{_SQL_TYPES[f.type]} AS {_ident(f.name)}"
                         for f in SCHEMAS[table])
        return f"SELECT NULL::VARCHAR AS run_id, {cols} WHERE false"
    paths = ", ".join(_literal(p.as_posix()) for _, p in files)
    run_id = ("parse_filename(parse_dirpath(filename, 'both_slash'), false, 'both_slash')")
    return (f"SELECT {run_id} AS run_id, * EXCLUDE (filename) "
            f"FROM read_parquet([{paths}], filename = true, union_by_name = true)")


def _partitioned_view(files: list[Path]) -> str:
    paths = ", ".join(_literal(p.as_posix()) for p in files)
    folder = "parse_dirpath(parse_dirpath(filename, 'both_slash'), 'both_slash')"
    return (f"SELECT parse_filename({folder}, false, 'both_slash') AS run_id, "
            f"* EXCLUDE (filename) "
            f"FROM read_parquet([{paths}], filename = true, union_by_name = true)")


# Statement types a user query may have: they only read (the views read the runs' files).
READ_ONLY = ("SELECT", "EXPLAIN")


def read_only_statement(query: str) -> str:
    """The one read-only statement in ``query``.

    Raises:
        QueryError: The text does not parse, holds no statement or several, or a statement
            that is not a query (``COPY``, ``ATTACH``, ``SET``, ``CREATE``, ``INSERT`` ...).
    """
    import duckdb  # loads on first query

    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise QueryError(f"SQL: {_one_line(exc)}") from None
    if not statements:
        raise QueryError("SQL: give a query, e.g. \"select * from runs\"")
    if len(statements) > 1:
        raise QueryError(f"SQL: give one read-only statement (a query); found "
                         f"{len(statements)} statements")
    kind = statements[0].type
    if kind.name not in READ_ONLY:
        raise QueryError(f"SQL: only read-only queries (SELECT, WITH, DESCRIBE, SUMMARIZE, "
                         f"EXPLAIN) can be run over the runs, not {kind.name}")
    return statements[0].query.strip().rstrip(";")


def _lock(con: duckdb.DuckDBPyConnection, files: list[Path]) -> None:
    """Let ``con`` read only ``files`` from now on, and lock its configuration."""
    if files:
        paths = ", ".join(_literal(str(p.resolve())) for p in files)
        con.execute(f"SET allowed_paths = [{paths}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")


def connect(runs_dir: str | Path | None = None, *, sandbox: bool = False
            ) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection over the runs.

    Args:
        runs_dir: The runs folder (default: ``$WORLDORDER_RUNS`` or ``./runs``).

    Returns:
        A connection with a view per recorded table (every complete run, ``run_id`` first:
        ``economies``, ``flows``, ``policies``, ``timeline``, the politics layer's tables, any
        other registered layer's, and the ``note_<kind>`` tables found) and the table ``runs``
        (``run_id, scenario, dataset, status, created_utc, dates, path, error, finished_utc,
        preset, closure, economies, dataset_sha256, total_seconds, kind``; ``kind`` is
        ``scenario``, or ``command`` for a command's results such as ``strategy bargain``).
        The views read the files present when the connection was opened.
        With ``sandbox``, the connection then reads only those files and its configuration
        is locked (see the module docstring).
    """
    records = scan_runs(runs_dir)
    import duckdb  # loads on first query (start-up time of the other commands)

    con = duckdb.connect()
    complete = [r for r in records if r.status == Status.COMPLETE]
    readable: list[Path] = []
    found = {p.stem for r in complete for p in r.path.glob("*.parquet")}
    for table in [*SCHEMAS, *sorted(found - set(SCHEMAS))]:
        if not _SAFE_NAME.match(table):
            continue
        files = [(r.run_id, table_path(r.path, table)) for r in complete
                 if table_path(r.path, table).is_file()]
        readable += [p for _, p in files]
        con.execute(f"CREATE VIEW {_ident(table)} AS {_table_view(table, files)}")
    # partitioned tables (a sweep's ``sweep_samples/part-*.parquet``): the run is two levels up
    partitioned = sorted({p.parent.name for r in complete for p in r.path.glob("*/part-*.parquet")}
                         - set(SCHEMAS) - found)
    for table in partitioned:
        if not _SAFE_NAME.match(table):
            continue
        parts = [p for r in complete for p in sorted((r.path / table).glob("part-*.parquet"))]
        readable += parts
        con.execute(f"CREATE VIEW {_ident(table)} AS {_partitioned_view(parts)}")
    summary = pd.DataFrame([r.summary() for r in records])
    if summary.empty:
        summary = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _RUNS_COLUMNS.items()})
    con.register("_runs_frame", summary)
    con.execute("CREATE TABLE runs AS SELECT * FROM _runs_frame")
    con.unregister("_runs_frame")
    if sandbox:
        _lock(con, readable)
    return con


def sql(query: str, runs_dir: str | Path | None = None) -> pd.DataFrame:
    """Run one read-only SQL query over the runs (see :func:`connect` for the views), in the
    sandbox the module docstring describes.

    Raises:
        QueryError: Not one read-only statement, or the query failed; one line.
    """
    import duckdb  # loads on first query

    statement = read_only_statement(query)
    con = connect(runs_dir, sandbox=True)
    try:
        rel = con.sql(statement)
        return rel.df() if rel is not None else pd.DataFrame()
    except duckdb.Error as exc:
        raise QueryError(f"SQL: {_one_line(exc)}") from None
    finally:
        con.close()


def _economies_file(record: RunRecord) -> Path:
    path = table_path(record.path, "economies")
    if record.status == Status.CORRUPT:
        raise RunError(f"run {record.run_id} is corrupt: {record.error}")
    if record.kind != "scenario":
        raise RunError(f"run {record.run_id} holds the results of 'worldorder "
                       f"{record.scenario.replace('-', ' ', 1)}', not a scenario's economies; "
                       "'worldorder runs show' and 'worldorder runs sql' read its tables")
    if not path.is_file():
        raise RunError(f"run {record.run_id} is {record.status}: it has no economies table")
    return path


def _numeric_columns(path: Path) -> list[str]:
    schema = pq.read_schema(path)
    return [f.name for f in schema if pa.types.is_floating(f.type) or
            pa.types.is_integer(f.type)]


def _run_dates(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    rows = con.execute(f"SELECT DISTINCT date FROM {source} ORDER BY date").fetchall()
    return [r[0] for r in rows]


def compare(run_a: str | Path, run_b: str | Path, runs_dir: str | Path | None = None,
            columns: Sequence[str] = DEFAULT_COLUMNS, *,
            mode: Literal["dates", "last"] = "dates", date: str | None = None
            ) -> pd.DataFrame:
    """Two runs side by side, per economy: the values in A and B and B − A.

    Args:
        run_a: Reference of run A (anything :func:`~worldorder.runs.record.load_run` takes).
        run_b: Reference of run B.
        runs_dir: The runs folder.
        columns: Numeric columns of ``economies`` to compare.
        mode: ``dates`` matches rows by date (on the union of both runs' dates, NaN where a
            run lacks a date or an economy); ``last`` compares each run's last date.
        date: In ``dates`` mode, only this date.

    Returns:
        ``date, economy, name`` (``date_a, date_b, economy, name`` in ``last`` mode), then
        ``<col>_a, <col>_b, <col>_diff`` for every column; ordered by date and economy. The
        run ids are in ``attrs["run_a"]`` and ``attrs["run_b"]``.

    Raises:
        RunError: Unknown run, run without results, unknown column or date.
    """
    if mode not in ("dates", "last"):
        raise RunError(f"unknown comparison mode {mode!r}; use 'dates' or 'last'")
    rec_a, rec_b = load_run(run_a, runs_dir), load_run(run_b, runs_dir)
    path_a, path_b = _economies_file(rec_a), _economies_file(rec_b)
    columns = list(dict.fromkeys(columns))
    if not columns:
        raise RunError("give at least one column to compare")
    in_b = set(_numeric_columns(path_b))
    known = [c for c in _numeric_columns(path_a) if c in in_b]
    for col in columns:
        if col not in known:
            raise RunError(f"unknown column {col!r} to compare; choose from "
                           f"{', '.join(known)}")
    src_a = f"read_parquet({_literal(path_a.as_posix())})"
    src_b = f"read_parquet({_literal(path_b.as_posix())})"
    import duckdb  # loads on first query (start-up time of the other commands)

    con = duckdb.connect()
    try:
        dates_a, dates_b = _run_dates(con, src_a), _run_dates(con, src_b)
        values = ", ".join(
            f"a.{_ident(c)} AS {_ident(c + '_a')}, b.{_ident(c)} AS {_ident(c + '_b')}, "
            f"b.{_ident(c)} - a.{_ident(c)} AS {_ident(c + '_diff')}" for c in columns)
        if mode == "last":
            last_a, last_b = _last(rec_a, dates_a), _last(rec_b, dates_b)
            query = (
                f"WITH a AS (SELECT * FROM {src_a} WHERE date = {_literal(last_a)}), "
                f"b AS (SELECT * FROM {src_b} WHERE date = {_literal(last_b)}) "
                f"SELECT {_literal(last_a)} AS date_a, {_literal(last_b)} AS date_b, "
                "coalesce(a.economy, b.economy) AS economy, coalesce(a.name, b.name) AS name, "
                f"{values} FROM a FULL OUTER JOIN b ON a.economy = b.economy "
                "ORDER BY economy")
        else:
            where = ""
            if date is not None:
                if date not in dates_a and date not in dates_b:
                    raise RunError(f"date {date!r} is in neither run ({rec_a.run_id}: "
                                   f"{', '.join(dates_a)}; {rec_b.run_id}: "
                                   f"{', '.join(dates_b)})")
                where = f" WHERE date = {_literal(date)}"
            query = (
                f"WITH a AS (SELECT * FROM {src_a}{where}), b AS (SELECT * FROM {src_b}{where}) "
                "SELECT coalesce(a.date, b.date) AS date, "
                "coalesce(a.economy, b.economy) AS economy, coalesce(a.name, b.name) AS name, "
                f"{values} FROM a FULL OUTER JOIN b "
                "ON a.date = b.date AND a.economy = b.economy ORDER BY date, economy")
        df = con.execute(query).df()
    except duckdb.Error as exc:
        raise QueryError(f"comparing {rec_a.run_id} and {rec_b.run_id}: {_one_line(exc)}"
                         ) from None
    finally:
        con.close()
    df.attrs.update(run_a=rec_a.run_id, run_b=rec_b.run_id, mode=mode)
    return df


def _last(record: RunRecord, dates: list[str]) -> str:
    """The run's last date: the manifest's order, else the largest date in the table."""
    if not dates:
        raise RunError(f"run {record.run_id} has an empty economies table")
    ordered = [d for d in record.dates if d in dates]
    return ordered[-1] if ordered else dates[-1]
