"""docs/run-format.md describes exactly the registered tables, column by column."""

from __future__ import annotations

import re
from pathlib import Path

from worldorder.runs.tables import registered_schemas

DOC = Path(__file__).resolve().parents[2] / "docs" / "run-format.md"
TYPES = {"string": "string", "double": "float64", "int64": "int64", "bool": "bool"}


def _documented() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        head = re.match(r"^### `([a-z_]+)\.parquet`", line)
        if head:
            current = head.group(1)
            out[current] = []
            continue
        row = re.match(r"^\| `([a-z_0-9]+)` \| ([a-z0-9]+) \|$", line)
        if row and current is not None:
            out[current].append((row.group(1), row.group(2)))
    return out


def test_every_registered_table_is_documented_column_by_column() -> None:
    documented = _documented()
    for table, schema in registered_schemas().items():
        expected = [(f.name, TYPES.get(str(f.type), str(f.type))) for f in schema]
        assert documented.get(table) == expected, table


def test_no_undocumented_or_stale_table() -> None:
    assert set(_documented()) == set(registered_schemas())
