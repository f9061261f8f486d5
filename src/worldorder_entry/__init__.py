"""The ``worldorder`` console script, kept outside the ``worldorder`` package on purpose.

Importing worldorder (NumPy, pandas, pydantic, DuckDB) takes a second or two. A Ctrl-C or a
SIGTERM in that time would otherwise end in a traceback from the middle of an import (or, inside
NumPy's, an ImportError). Nothing has been written yet then, so this module imports nothing
heavy, makes both signals end the process at once with one line (exit status 130 for Ctrl-C,
143 for SIGTERM), imports the command line and hands over to :func:`worldorder.cli.app.main`,
which handles the signals from then on (a run being written is kept as ``interrupted``).

The cyclic garbage collector is paused while the command line is imported and the objects the
imports made (modules, classes, functions: several hundred thousand, none of them garbage) are
then moved out of its reach with :func:`gc.freeze`: otherwise the collector runs some 260 times
during the imports and walks all of them again in every later full collection (0.1-0.17 s of a
``worldorder run`` in all, measured with ``gc.callbacks`` on a busy machine; see
``benchmarks/bench_startup.py``). Objects made afterwards are collected as usual.
"""

from __future__ import annotations

import gc
import os
import signal
from types import FrameType

__all__ = ["main"]

_EXIT = {signal.SIGINT: (130, b"interrupted\n"), signal.SIGTERM: (143, b"terminated (SIGTERM)\n")}


def _stop(signum: int, frame: FrameType | None) -> None:
    code, line = _EXIT[signal.Signals(signum)]
    os.write(2, line)
    os._exit(code)


def main() -> None:
    """Entry point of the ``worldorder`` console script."""
    for sig in _EXIT:
        signal.signal(sig, _stop)
    gc.disable()
    try:
        from worldorder.cli.app import main as app_main
    finally:
        gc.freeze()
        gc.enable()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    app_main()
