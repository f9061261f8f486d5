"""Every error worldorder raises on purpose, in one place.

Each class's docstring says what went wrong and how to fix it. An error a user can cause prints as
one line (the command line shows the message alone, never a traceback). Where the problem is
located, the location travels as attributes (``file``, ``line``, ``field``, ``step``, ``date``,
``economy``, ``parameter``) and the message is composed from them, so that code can read where an
error is without parsing its text.

Only these errors are turned into one-line messages; any other exception raised inside an
action, a layer or the solver is a bug and propagates with its traceback.
"""

from __future__ import annotations

from typing import TypedDict, Unpack

__all__ = [
    "BargainError",
    "CoalitionError",
    "ConvergenceError",
    "DataError",
    "EngineError",
    "ExecutorError",
    "GameError",
    "LocatedError",
    "ModelDomainError",
    "NumericsError",
    "PanelError",
    "ParameterError",
    "PluginError",
    "QueryError",
    "ReportError",
    "RunError",
    "ScenarioError",
    "SecurityModelError",
    "SettingError",
    "StrategyError",
    "SweepError",
    "Terminated",
    "WorldorderError",
]


class WorldorderError(Exception):
    """Base class of every error worldorder raises on purpose.

    Remedy: read the message; it names what to change. Catch this class to handle any of them.
    """


class Location(TypedDict, total=False):
    """Where an error is, as keyword arguments of :meth:`LocatedError.located`."""

    file: str | None
    line: int | None
    field: str | None
    step: int | None
    date: str | None


class LocatedError(WorldorderError):
    """An error at a place in a file the user wrote.

    The message reads ``file, line N, field 'f': (step k, date) message``, each part present
    when known.

    Attributes:
        message: The bare message (what is wrong and what to do).
        file: The file's name or label.
        line: Its 1-based line (or row) number.
        field: The field path, e.g. ``steps[3].tariff.rate``.
        step: The index of the scenario step, for dated scenarios.
        date: The step's date (ISO).
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None, step: int | None = None,
                 date: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.step = step
        self.date = date
        super().__init__(self._compose())

    def _compose(self) -> str:
        parts = [p for p in (self.file, f"line {self.line}" if self.line is not None else None,
                             f"field {self.field!r}" if self.field else None) if p]
        where = ""
        if self.step is not None:
            where = f"(step {self.step}, {self.date}) " if self.date else f"(step {self.step}) "
        text = where + self.message
        return f"{', '.join(parts)}: {text}" if parts else text

    def location(self, where: Location | None = None) -> Location:
        """This error's location, with the non-None entries of ``where`` filled in over it."""
        w = where or {}
        file, line, fld = w.get("file"), w.get("line"), w.get("field")
        step, date = w.get("step"), w.get("date")
        return Location(file=self.file if file is None else file,
                        line=self.line if line is None else line,
                        field=self.field if fld is None else fld,
                        step=self.step if step is None else step,
                        date=self.date if date is None else date)

    def located(self, **where: Unpack[Location]) -> LocatedError:
        """A copy of this error with more of its location filled in."""
        return type(self)(self.message, **self.location(where))


class DataError(LocatedError, ValueError):
    """A dataset is malformed; the message names the file, the row and the field.

    Remedy: correct that cell or column of the dataset folder (``docs/importing-data.md``
    describes every table) and load it again.
    """


class ScenarioError(LocatedError, ValueError):
    """A scenario is malformed or cannot apply; the message names the file, line and field,
    and for a dated scenario the step and its date.

    Remedy: edit that field of the scenario file (``worldorder actions NAME`` lists an
    action's fields, types and units; rates are fractions: 0.25 means 25%).
    """


class ParameterError(ScenarioError):
    """A model parameter is unknown or out of its range.

    Attributes:
        parameter: The parameter (``epsilon``, ``closure``, ...).
        economy: The economy whose value is out of range, if one.

    Remedy: change the ``model`` section of the scenario (or the keyword passed to
    :func:`~worldorder.trade.params.resolve_params`); the message gives the allowed range.
    """

    def __init__(self, message: str, *, parameter: str, economy: str | None = None,
                 **where: Unpack[Location]) -> None:
        self.parameter = parameter
        self.economy = economy
        super().__init__(message, **where)

    def located(self, **where: Unpack[Location]) -> ParameterError:
        return ParameterError(self.message, parameter=self.parameter, economy=self.economy,
                              **self.location(where))


class ConvergenceError(WorldorderError, RuntimeError):
    """The equilibrium solver did not converge.

    Attributes:
        iterations: Newton iterations performed.
        residual: The largest relative residual reached.
        diagnostics: Details (worst equation, the economy it belongs to, step sizes).

    Remedy: the shock is probably outside what the model can absorb (e.g. a prohibitive tariff
    under ``closure: fixed_transfers``); try ``closure: balanced``, smaller rates, or check the
    economy the message names for implausible data.
    """

    def __init__(self, message: str, *, iterations: int = 0, residual: float = float("nan"),
                 diagnostics: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.iterations = iterations
        self.residual = residual
        self.diagnostics = diagnostics or {}


class EngineError(WorldorderError, ValueError):
    """The simulation was asked something it cannot do (an action pushed for a date already
    past, a layer whose state is missing, a clock with no dates).

    Remedy: push actions for the current or a later date; register the layer the action needs
    (``worldorder plugins`` lists the registered layers).
    """


class PluginError(WorldorderError, ValueError):
    """A registry entry is malformed: an empty or duplicate name.

    Remedy: give the action, layer or preset a ``name`` of its own (``worldorder plugins``
    lists the names taken, and a plugin that failed to load with its error).
    """


class RunError(WorldorderError):
    """A run cannot be found, read or written: unknown or ambiguous reference, missing table.

    Remedy: ``worldorder runs list`` shows the runs and their ids; give more of an id when a
    reference is ambiguous; re-run a scenario whose run is broken.
    """


class QueryError(RunError, ValueError):
    """A SQL query over the runs failed; the message is DuckDB's, on one line.

    Remedy: correct the query; ``worldorder runs sql --help`` lists the tables.
    """


class StrategyError(WorldorderError, ValueError):
    """A strategic question cannot be posed (unknown player, a player that is its own partner,
    an empty list of partners).

    Remedy: name economies or groups of the dataset, and partners other than the player.
    """


class BargainError(WorldorderError, ValueError):
    """A bargaining question cannot be posed (unknown economies, hegemon and partner overlap).

    Remedy: name a hegemon and a partner of the dataset that share no member.
    """


class GameError(WorldorderError, ValueError):
    """A TU game is malformed (missing coalitions, duplicate players, too many players).

    Remedy: give a value for every coalition of at most 16 distinct players.
    """


class CoalitionError(WorldorderError, ValueError):
    """A coalition question is malformed (unknown economy, hegemon among the candidates, ...).

    Remedy: name candidates of the dataset other than the hegemon (at most 62).
    """


class ReportError(WorldorderError, ValueError):
    """A run folder cannot be reported on, or a report cannot be written.

    Remedy: report on a complete run (``worldorder runs list``), and write to a folder you can
    write to.
    """


class PanelError(WorldorderError, ValueError):
    """A bundled panel was asked for something it does not hold: an unknown panel, a year
    outside the panel's coverage (panels are never extrapolated silently), an economy the panel
    does not know, or an option that does not apply to it.

    Remedy: fix the panel name, the year range or the ISO3 code named in the message
    (aggregates such as ``EU-REST`` and ``ROW`` go through ``economy_panel(name, world)``);
    ``worldorder.data.panels.panel_sources(name)`` gives a panel's coverage and columns.
    """


class SecurityModelError(WorldorderError, ValueError):
    """A security model got inputs it cannot use: an unknown region or parameter, a pledge
    above 100% of GDP, a negative spending level, arrays of mismatched shapes, or a year or
    state without data.

    Remedy: fix the input the message names; each model's docstring gives its parameters and
    their admissible ranges (``worldorder.security.models_table()`` lists the models).
    """


class ExecutorError(WorldorderError, ValueError):
    """An executor was asked for something it cannot do (fewer than one worker, an unknown
    backend or start method).

    Remedy: give ``workers`` as a positive integer and a backend listed in
    ``worldorder.executor.BACKENDS``.
    """


class NumericsError(WorldorderError, ValueError):
    """A numerical search was posed badly: an empty or infinite interval, too few grid points,
    or a bound on tariff rates above the largest accepted (``MAX_RATE``, 1,000%).

    Remedy: correct the argument the message names (for rates, ``upper`` at most 10).
    """


class SettingError(WorldorderError, ValueError):
    """An environment setting of worldorder has an invalid value (e.g.
    ``WORLDORDER_BLAS_THREADS=many``).

    Remedy: set the variable named in the message to an allowed value, or unset it.
    """


class Terminated(KeyboardInterrupt):
    """The process received SIGTERM (a ``kill``, a scheduler stopping the job); it is handled
    like Ctrl-C: a run being written is kept with status ``interrupted``.

    Remedy: none needed; run the command again when it may run to the end.
    """


class ModelDomainError(ScenarioError):
    """A policy takes the model outside its domain: a tariff at or below -100%, or an
    equilibrium with non-finite values, real income at or below zero, or expenditure shares or
    welfare weights outside their range (:mod:`worldorder.trade.invariants`), which describes
    no possible economy. It is located at the action (the last of its date) that led there.

    Attributes:
        economy: The first economy that breaks an invariant, if one.

    Remedy: a smaller change (tariffs are fractions: 0.25 = 25%), another closure (``balanced``
    removes the deficits that ``proportional`` scales with income), or an import subsidy well
    above -100%.
    """

    def __init__(self, message: str, *, economy: str | None = None,
                 **where: Unpack[Location]) -> None:
        self.economy = economy
        super().__init__(message, **where)

    def located(self, **where: Unpack[Location]) -> ModelDomainError:
        return ModelDomainError(self.message, economy=self.economy, **self.location(where))


class SweepError(WorldorderError, ValueError):
    """A sweep cannot be set up: a ``--param`` or ``--noise`` specification that does not parse
    or names an unknown parameter, economy or distribution (the message quotes the option and
    the column where the problem starts), or a run that cannot be resumed because its
    specification differs.

    Remedy: write the specification as ``NAME=DIST`` or ``NAME[ECONOMY]=DIST`` with DIST one of
    ``uniform(a,b)``, ``loguniform(a,b)``, ``normal(mean,sd)``, ``triangular(low,mode,high)``,
    ``choice(v1,v2,...)``, ``grid(v1,v2,...)``, a list ``v1,v2,...`` or a number; noise as
    ``flows=lognormal(sigma)`` or ``gdp=lognormal(sigma)``; resume with the same options.
    """
