"""The run store: every scenario run kept as a folder of Parquet tables, queryable with SQL.

A run folder (``docs/run-format.md``) holds ``manifest.json``, ``economies.parquet``,
``flows.parquet``, ``policies.parquet``, ``timeline.parquet`` and ``log.txt``.

- :func:`execute_run` runs a scenario into a new folder under the runs folder;
- :func:`load_run` and :func:`list_runs` find runs; :class:`RunRecord` reads their tables;
- :func:`connect`, :func:`sql` and :func:`compare` query runs with DuckDB.
"""

from worldorder.runs.errors import QueryError, RunError
from worldorder.runs.paths import resolve_runs_dir
from worldorder.runs.query import compare, connect, sql
from worldorder.runs.record import RunRecord, list_runs, load_run
from worldorder.runs.store import execute_run

__all__ = [
    "QueryError",
    "RunError",
    "RunRecord",
    "compare",
    "connect",
    "execute_run",
    "list_runs",
    "load_run",
    "resolve_runs_dir",
    "sql",
]
