"""Errors raised by worldorder.

Every error a user can cause carries a one-line message that names the file, row and field
(for data and scenarios) or the diagnostics (for the solver). The command line prints the
message alone, never a traceback.
"""

from __future__ import annotations


class WorldorderError(Exception):
    """Base class of every error worldorder raises on purpose."""


class DataError(WorldorderError, ValueError):
    """A dataset is malformed: the message names the file, the row and the field."""


class ScenarioError(WorldorderError, ValueError):
    """A scenario file is malformed: the message names the file, the line and the field."""


class ConvergenceError(WorldorderError, RuntimeError):
    """The equilibrium solver did not converge.

    Attributes:
        iterations: Newton iterations performed.
        residual: The largest relative residual reached.
        diagnostics: Free-form details (worst equation, step sizes).
    """

    def __init__(self, message: str, *, iterations: int = 0, residual: float = float("nan"),
                 diagnostics: dict | None = None) -> None:
        super().__init__(message)
        self.iterations = iterations
        self.residual = residual
        self.diagnostics = diagnostics or {}
