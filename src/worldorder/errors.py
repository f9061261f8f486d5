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


class PanelError(WorldorderError, ValueError):
    """A bundled panel was asked for something it does not hold.

    The message names the panel and what is wrong: an unknown panel (the message lists the
    panels), a year outside the panel's coverage (the message gives the coverage; panels are
    never extrapolated silently), or an economy the panel does not know (codes are ISO3, plus the
    aggregates of a dataset such as ``EU-REST`` and ``ROW`` when a World is given). Fix the name,
    the year range or the code; ``worldorder.data.panels.panel_sources(name)`` tells what a panel
    covers.
    """


class SecurityModelError(WorldorderError, ValueError):
    """A security model got inputs it cannot use.

    The message names the model, the parameter or input and the bad value: an unknown region, a
    pledge above 100% of GDP, a negative spending level, arrays of mismatched shapes, or a
    year without data. Fix the input named in the message; each model's docstring gives its
    parameters and their admissible ranges.
    """
