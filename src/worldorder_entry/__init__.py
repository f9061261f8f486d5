"""The ``worldorder`` console script, kept outside the ``worldorder`` package on purpose.

Importing worldorder (NumPy, pandas, pydantic, DuckDB) takes a second or two. A Ctrl-C or a
SIGTERM in that time would otherwise end in a traceback from the middle of an import (or, inside
NumPy's, an ImportError). Nothing has been written yet then, so this module imports nothing
heavy, makes both signals end the process at once with one line (exit status 130 for Ctrl-C,
143 for SIGTERM), imports the command line and hands over to :func:`worldorder.cli.app.main`,
which handles the signals from then on (a run being written is kept as ``interrupted``).
"""

from __future__ import annotations

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
    from worldorder.cli.app import main as app_main

    signal.signal(signal.SIGINT, signal.default_int_handler)
    app_main()
