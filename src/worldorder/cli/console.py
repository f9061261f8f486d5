"""The consoles of the command line, and tables that fit the terminal.

Every command prints through :func:`make_console`, so the width is the terminal's (``$COLUMNS``
when set; 80 columns when the output is not a terminal). A table too wide for that width is
never squeezed until its numbers turn into ``…``: :func:`fit_table` drops its least important
columns first and says which (``--wide`` shows them all), and wide text columns wrap.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

__all__ = ["WIDE_WIDTH", "fit_table", "make_console", "table_width"]

WIDE_WIDTH = 400
"""The console width used by ``--wide``: every column at its natural width."""


def _env_width() -> int | None:
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return width if width > 20 else None


def make_console(*, stderr: bool = False, wide: bool = False) -> Console:
    """A console as wide as the terminal (``$COLUMNS`` if set; 80 when not a terminal), or
    ``WIDE_WIDTH`` with ``wide``."""
    return Console(stderr=stderr, width=WIDE_WIDTH if wide else _env_width())


def table_width(console: Console, table: Table) -> int:
    """The width ``table`` needs to show every cell without wrapping or cutting."""
    return Measurement.get(console, console.options.update(width=WIDE_WIDTH), table).maximum


def fit_table(console: Console, build: Callable[[Sequence[str]], Table],
              columns: Sequence[str], drop_order: Sequence[str]) -> tuple[Table, list[str]]:
    """The table of ``build(kept)`` with as many of ``columns`` as fit the console.

    Args:
        console: Where the table is printed (its width is the budget).
        build: Makes the table from the columns to show (in the order given).
        columns: Every column that could be shown, in display order.
        drop_order: Columns to leave out first when the table is too wide, in that order;
            columns not listed are always shown.

    Returns:
        The table and the columns left out (empty when everything fits).
    """
    kept = list(columns)
    dropped: list[str] = []
    table = build(kept)
    for col in drop_order:
        if table_width(console, table) <= console.width:
            break
        if col in kept:
            kept.remove(col)
            dropped.append(col)
            table = build(kept)
    return table, dropped
