"""The four Parquet tables of a run folder and their schemas (``docs/run-format.md``)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from worldorder.runs.errors import RunError

__all__ = ["SCHEMAS", "TABLES", "read_table", "table_path", "to_arrow", "write_table"]

_STR, _F64 = pa.string(), pa.float64()


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in fields])


SCHEMAS: dict[str, pa.Schema] = {
    "economies": _schema(
        ("date", _STR), ("economy", _STR), ("name", _STR),
        *[(c, _F64) for c in (
            "welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct",
            "exports_to_gdp_pct", "imports_to_gdp_pct", "trade_balance_change_pct",
            "tariff_revenue", "tariff_revenue_pct_gdp", "nominal_wage_pct", "expenditure_pct",
            "exports_to_gdp_after", "imports_to_gdp_after", "domestic_share_after",
            "welfare_pct_step", "real_wage_pct_step", "employment_pct_step",
            "price_index_pct_step")]),
    "flows": _schema(
        ("date", _STR), ("exporter", _STR), ("importer", _STR),
        *[(c, _F64) for c in ("value_before", "value_after", "change_pct", "tariff_before",
                              "tariff_after")]),
    "policies": _schema(
        ("date", _STR), ("imposer", _STR), ("target", _STR), ("rate_before", _F64),
        ("rate_after", _F64)),
    "timeline": _schema(
        ("date", _STR), ("step", pa.int64()), ("action", _STR), ("summary", _STR),
        ("parties", _STR), ("source", _STR), ("priced", pa.bool_()), ("details", _STR)),
}
TABLES: tuple[str, ...] = tuple(SCHEMAS)


def table_path(folder: Path, table: str) -> Path:
    """``folder / "<table>.parquet"``."""
    return folder / f"{table}.parquet"


def to_arrow(table: str, df: pd.DataFrame) -> pa.Table:
    """Convert a result table to its Arrow schema.

    The columns of the format come first, in its order and types; any further columns the
    engine adds follow with their inferred types.

    Raises:
        RunError: A column of the format is missing.
    """
    schema = SCHEMAS[table]
    missing = [n for n in schema.names if n not in df.columns]
    if missing:
        raise RunError(f"the {table} table lacks the column(s) {', '.join(missing)}")
    extra = [c for c in df.columns if c not in schema.names]
    for c in extra:
        inferred = pa.Table.from_pandas(df[[c]], preserve_index=False).schema.field(c).type
        if pa.types.is_large_string(inferred):
            inferred = _STR
        schema = schema.append(pa.field(str(c), inferred))
    frame = df[[*SCHEMAS[table].names, *extra]].reset_index(drop=True)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def write_table(folder: Path, table: str, df: pd.DataFrame) -> Path:
    """Write one table as Parquet, whole or not at all (via a ``.part`` file and a rename)."""
    path = table_path(folder, table)
    part = path.with_name(path.name + ".part")
    pq.write_table(to_arrow(table, df), part)
    os.replace(part, path)
    return path


def read_table(folder: Path, table: str, run_id: str) -> pd.DataFrame:
    """Read one table of a run folder.

    Raises:
        RunError: The file is missing or unreadable.
    """
    path = table_path(folder, table)
    if not path.is_file():
        raise RunError(f"run {run_id} has no {table} table ({path.name} is missing)")
    try:
        return pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise RunError(f"run {run_id}: cannot read {path.name}: "
                       f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                       ) from None
