"""The ``worldorder`` console script, kept outside the ``worldorder`` package on purpose.

Importing worldorder (NumPy, pandas, pydantic, DuckDB) takes a second or two; a Ctrl-C or a
SIGTERM in that time would otherwise end in a KeyboardInterrupt traceback from the import. This
module imports nothing heavy: it sets SIGTERM to act like Ctrl-C, imports the command line
inside a ``try`` and hands over to :func:`worldorder.cli.app.main`, which handles signals from
then on.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

__all__ = ["main"]


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt("SIGTERM")


def main() -> None:
    """Entry point of the ``worldorder`` console script."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from worldorder.cli.app import main as app_main
    except KeyboardInterrupt as exc:
        sigterm = str(exc) == "SIGTERM"
        print("terminated (SIGTERM)" if sigterm else "interrupted", file=sys.stderr)
        sys.exit(143 if sigterm else 130)
    app_main()
