"""The :class:`Simulation`: one clock, one source of randomness, one action queue, many layers.

In the manner of Mesa's ``Model``, the simulation owns the clock and the seeded random number
generator; the layers own their typed state; the recorder is kept apart from the dynamics. A
step processes one date of the clock:

1. every layer's ``begin(sim, date)`` runs (agents choose and push their actions here); then
   every action queued for the date is applied in order (scenario steps first, as pushed; an
   action pushed while the date is processed runs after those already queued), each recorded on
   the timeline with its provenance;
2. every layer's ``update(sim, date)`` runs, in ascending priority (the trade model solves when
   tariffs or trade costs changed);
3. every layer's ``collect(sim, date)`` rows go to the recorder.

Randomness: ``sim.rng`` is ``numpy.random.default_rng(SeedSequence(seed))``; a layer or an agent
asks for its own independent stream with ``sim.spawn_rng(key)``, derived from the seed and the
key alone, so that results never depend on the order in which streams are requested, the order
of work, or the number of processes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from worldorder.engine.clock import Clock
from worldorder.engine.layer import Layer
from worldorder.engine.queue import ActionQueue, Provenance, QueuedAction
from worldorder.engine.recorder import Recorder, note_table
from worldorder.errors import ConvergenceError, EngineError, LocatedError, WorldorderError
from worldorder.registry import LAYERS
from worldorder.trade.evaluator import Evaluator

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.engine.action import Action
    from worldorder.trade.params import ModelParams

__all__ = ["Progress", "Simulation"]

S = TypeVar("S")
#: ``progress(done, total, date)`` after each date.
Progress = Callable[[int, int, str], None]


def layer_config(cls: type[Layer], given: BaseModel | Mapping[str, object] | None
                 ) -> BaseModel | None:
    """A layer's parameters: ``given`` validated by its ``Config`` (defaults when ``None``).

    Raises:
        EngineError: Parameters for a layer that has none, or invalid ones (the message names
            the field).
    """
    if cls.Config is None:
        if given:
            raise EngineError(f"layer {cls.name!r} has no parameters")
        return None
    if given is None:
        return cls.Config()
    if isinstance(given, cls.Config):
        return given
    try:
        return cls.Config.model_validate(given)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise EngineError(f"layer {cls.name!r}, parameter {where!r}: {err['msg']}") from None


def _stable_key(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))


class Simulation:
    """A run of the layered model over a clock.

    Args:
        world: The World (economies, trade, tariffs, memberships, ...).
        params: The trade model's parameters for ``world``.
        schedule: Actions to queue before the run (e.g. a scenario's steps), each with its
            provenance; their dates join the clock.
        seed: Seed of every random stream (``SeedSequence(seed)``).
        clock: The dates to step over; default: the schedule's dates (``undated`` if none).
        layers: Names of the registered layers to run (default: every registered layer).
        config: Parameters of layers by layer name (a mapping, validated by the layer's
            ``Config``, or an instance of it).

    Attributes:
        world, params, seed, clock: As given.
        rng: The simulation's own generator.
        date: The date being (or last) processed; ``None`` before the first step.
        layers: The layer instances, in update order.
        recorder: The tables recorded so far.
        notes: Tables produced by actions, by key (see :meth:`note`).
        warnings: Data or model warnings collected by the layers.
    """

    def __init__(self, world: World, params: ModelParams, *,
                 schedule: Iterable[QueuedAction] = (), seed: int = 0,
                 clock: Clock | None = None, layers: Sequence[str] | None = None,
                 config: Mapping[str, BaseModel | Mapping[str, object]] | None = None) -> None:
        self.world = world
        self.params = params
        self.seed = int(seed)
        self._seq = np.random.SeedSequence(self.seed)
        self.rng = np.random.default_rng(self._seq)
        self.queue = ActionQueue()
        items = list(schedule)
        for item in items:
            self.queue.push(item.action, item.provenance)
        dates = [item.provenance.date for item in items]
        if clock is None:
            clock = Clock.from_dates(dates)
        else:
            missing = sorted(set(dates) - set(clock.dates))
            if missing:
                clock = Clock(tuple(sorted({*clock.dates, *missing})), clock.frequency)
        self.clock = clock
        self.date: str | None = None
        self._index = -1
        self.notes: dict[str, pd.DataFrame] = {}
        self.warnings: list[str] = []
        self._evaluator: Evaluator | None = None
        self.layers: list[Layer] = self._make_layers(layers, config or {})
        self.recorder = Recorder(self.layers)
        self._states: dict[type, object] = {}
        for layer in self.layers:
            state = layer.init(self)
            if state is not None:
                if type(state) in self._states:
                    raise EngineError(f"two layers own a state of type {type(state).__name__}")
                self._states[type(state)] = state

    @staticmethod
    def _make_layers(names: Sequence[str] | None,
                     config: Mapping[str, BaseModel | Mapping[str, object]]) -> list[Layer]:
        chosen = list(LAYERS) if names is None else list(names)
        for name in [*chosen, *config]:
            if name not in LAYERS:
                raise EngineError(LAYERS.unknown(name))
        classes = [cast("type[Layer]", LAYERS[name]) for name in chosen]
        classes.sort(key=lambda c: (c.priority, c.name))
        return [cls(layer_config(cls, config.get(cls.name))) for cls in classes]

    # -- state -------------------------------------------------------------------------
    def get(self, kind: type[S]) -> S:
        """The state of type ``kind`` owned by one of the layers.

        Raises:
            EngineError: No layer of this simulation owns such a state.
        """
        state = self._states.get(kind)
        if state is None:
            raise EngineError(f"no layer of this simulation holds a {kind.__name__} (layers: "
                              f"{', '.join(layer.name for layer in self.layers)})")
        return cast("S", state)

    def layer(self, name: str) -> Layer:
        """The layer instance named ``name``.

        Raises:
            EngineError: No such layer in this simulation.
        """
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise EngineError(f"no layer {name!r} in this simulation")

    def evaluator(self) -> Evaluator:
        """An :class:`~worldorder.trade.evaluator.Evaluator` of the trade model (warm-started
        repeated solves) for strategic actions and agents."""
        if self._evaluator is None:
            self._evaluator = Evaluator(self.world, self.params)
        return self._evaluator

    def spawn_rng(self, key: str) -> np.random.Generator:
        """An independent random stream for ``key`` (a layer's or an agent's name).

        It depends on the seed and the key only: ``SeedSequence(seed, spawn_key=(crc32(key),))``.
        """
        seq = np.random.SeedSequence(self.seed, spawn_key=(_stable_key(key),))
        return np.random.default_rng(seq)

    # -- clock ---------------------------------------------------------------------------
    @property
    def dates(self) -> tuple[str, ...]:
        """The clock's dates."""
        return self.clock.dates

    @property
    def is_last(self) -> bool:
        """Whether the date being processed is the clock's last."""
        return self._index == len(self.clock) - 1

    @property
    def done(self) -> bool:
        """Whether every date has been processed."""
        return self._index >= len(self.clock) - 1

    # -- actions -------------------------------------------------------------------------
    def push(self, action: Action, provenance: Provenance | None = None, *,
             date: str | None = None, agent: str | None = None, note: str = "") -> None:
        """Queue an action (an agent's choice, or a scenario step).

        Args:
            action: The action.
            provenance: Where it came from; default: the agent ``agent`` with ``note`` as its
                reasons, on ``date``.
            date: Default: the date being processed (the action runs after those queued).

        Raises:
            EngineError: The date is not on the clock, or already past.
        """
        if provenance is None:
            when = date or self.date
            if when is None:
                raise EngineError("give a date to push an action before the first step")
            provenance = Provenance(date=when, origin="agent" if agent else "api", agent=agent,
                                    note=note)
        k = self.clock.index(provenance.date)
        if k < self._index:
            raise EngineError(f"cannot push an action for {provenance.date}: the simulation "
                              f"is at {self.date}")
        self.queue.push(action, provenance)

    def apply_now(self, action: Action, provenance: Provenance | None = None) -> None:
        """Apply ``action`` at once, on the date being processed (an agent trying a candidate
        on a copy, a test), recording it on the timeline like a queued action.

        Raises:
            EngineError: Before the first step.
        """
        if self.date is None:
            raise EngineError("step the simulation to a date before applying actions")
        self._apply(QueuedAction(action, provenance or Provenance(date=self.date,
                                                                  origin="api")))

    def note(self, kind: str, table: pd.DataFrame, subject: str = "") -> str:
        """Keep a table produced by an action (a Nash table, a coalition's value, ...).

        It is recorded in the table ``note_<kind>`` (one row per row of ``table``, with the
        ``date`` and the note's ``key``), and kept in :attr:`notes` under the key
        ``<kind>[_<subject>][_<date>][_<n>]``.

        Returns:
            The key.
        """
        base = f"{kind}_{subject}" if subject else kind
        key = base if self.date in (None, "undated") else f"{base}_{self.date}"
        k, out = 2, key
        while out in self.notes:
            out, k = f"{key}_{k}", k + 1
        self.notes[out] = table
        rows = table.copy()
        rows.insert(0, "note", out)
        self.recorder.add(note_table(kind), self.date or "", rows)
        return out

    def _apply(self, item: QueuedAction) -> None:
        action, prov = item.action, item.provenance
        try:
            action.apply(self)
        except LocatedError as exc:
            raise prov.locate(exc) from None
        except ConvergenceError as exc:
            raise _located_convergence(exc, prov) from None
        except WorldorderError as exc:
            raise prov.error(str(exc)) from None
        classifier = action.classifier
        self.recorder.add("timeline", prov.date, pd.DataFrame([{
            "date": prov.date, "step": -1 if prov.index is None else prov.index,
            "action": action.name, "summary": action.describe(),
            "parties": ",".join(action.involved()), "source": prov.source,
            "priced": bool(classifier.get("priced", False)),
            "details": action.model_dump_json(), "origin": prov.origin,
            "agent": prov.agent or ""}]))

    # -- stepping ------------------------------------------------------------------------
    def step(self) -> str:
        """Process the next date: its actions, then every layer's update, then recording.

        Returns:
            The date processed.

        Raises:
            EngineError: Every date was processed already.
        """
        if self.done:
            raise EngineError("the simulation has processed every date of its clock")
        self._index += 1
        date = self.clock.dates[self._index]
        self.date = date
        for layer in self.layers:
            layer.begin(self, date)
        applied = []
        for item in self.queue.drain(date):
            self._apply(item)
            applied.append(item.provenance)
        for layer in self.layers:
            try:
                layer.update(self, date)
            except LocatedError as exc:  # e.g. no valid equilibrium: at the date's last action
                if not applied or exc.file is not None:
                    raise
                raise applied[-1].locate(exc) from None
            except ConvergenceError as exc:  # likewise: the solver failed after these actions
                if not applied:
                    raise
                raise _located_convergence(exc, applied[-1]) from None
        for layer in self.layers:
            for table, frame in layer.collect(self, date).items():
                if table not in layer.tables:
                    raise EngineError(f"layer {layer.name!r} collected table {table!r}, "
                                      "which it does not declare in its tables")
                self.recorder.add(table, date, frame)
        return date

    def run(self, progress: Progress | None = None) -> Simulation:
        """Step until every date is processed.

        Args:
            progress: Called as ``progress(done, total, date)`` after each date.
        """
        total = len(self.clock)
        while not self.done:
            date = self.step()
            if progress is not None:
                progress(self._index + 1, total, date)
        return self

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every recorded table (layers', the timeline, notes)."""
        return self.recorder.tables()


def _located_convergence(exc: ConvergenceError, prov: Provenance) -> ConvergenceError:
    """``exc`` (same class and details) with the action's file, line, field, step and date in
    front of its message, as every error a user can cause; located once."""
    if exc.diagnostics.get("located"):
        return exc
    where = str(prov.error(str(exc)))
    return ConvergenceError(where, iterations=exc.iterations, residual=exc.residual,
                            diagnostics={**exc.diagnostics, "located": True})
