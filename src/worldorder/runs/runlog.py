"""``log.txt``: each run's log, written through the standard :mod:`logging` module.

Records go to the logger ``worldorder.runs.log`` (which does not propagate, so a run never
prints to the console by itself) with the run's id attached; a file handler per run keeps only
the records of its own run, so runs in several threads do not mix their logs.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from pathlib import Path

__all__ = ["LOG_FILE", "RunLog"]

LOG_FILE = "log.txt"
_LOGGER = logging.getLogger("worldorder.runs.log")
_LOGGER.setLevel(logging.INFO)
_LOGGER.propagate = False
# a record logged after a run's handler is closed (a second try at recording a failed run) must
# not reach logging's last-resort handler, which prints it to standard error
_LOGGER.addHandler(logging.NullHandler())


class _OnlyRun(logging.Filter):
    def __init__(self, run_id: str) -> None:
        super().__init__()
        self.run_id = run_id

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "run_id", None) == self.run_id


class _Handler(logging.FileHandler):
    """A file handler that keeps its first write error instead of printing a traceback
    (which :class:`logging.Handler` does by default), so the run can report it in one line."""

    write_error: OSError | None = None

    def handleError(self, record: logging.LogRecord) -> None:
        exc = sys.exc_info()[1]
        if self.write_error is None and isinstance(exc, OSError):
            self.write_error = exc
        elif not isinstance(exc, OSError):
            super().handleError(record)


class RunLog:
    """The log of one run, open from construction until :meth:`close`.

    Args:
        path: The ``log.txt`` file to write.
        run_id: The run's id, attached to every record.
    """

    def __init__(self, path: Path, run_id: str) -> None:
        self.path = path
        self.run_id = run_id
        self._handler = _Handler(path, encoding="utf-8")
        formatter = logging.Formatter("%(asctime)s %(levelname)-7s %(message)s",
                                      datefmt="%Y-%m-%dT%H:%M:%SZ")
        formatter.converter = time.gmtime
        self._handler.setFormatter(formatter)
        self._handler.addFilter(_OnlyRun(run_id))
        _LOGGER.addHandler(self._handler)
        self._adapter = logging.LoggerAdapter(_LOGGER, {"run_id": run_id})

    def info(self, message: str) -> None:
        """Log a line at INFO level."""
        self._adapter.info(message)

    def warning(self, message: str) -> None:
        """Log a line at WARNING level."""
        self._adapter.warning(message)

    def error(self, message: str) -> None:
        """Log a line at ERROR level."""
        self._adapter.error(message)

    def raise_write_error(self) -> None:
        """Raise the first error writing the log hit (e.g. ``ENOSPC``), if any."""
        if self._handler.write_error is not None:
            raise self._handler.write_error

    def close(self) -> None:
        """Flush and detach the file handler (safe to call twice)."""
        if self._handler in _LOGGER.handlers:
            _LOGGER.removeHandler(self._handler)
        with contextlib.suppress(OSError):
            self._handler.close()
