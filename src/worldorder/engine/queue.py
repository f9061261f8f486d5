"""The action queue: what is to be applied on each date, with where each action came from.

Scenario steps push actions onto the queue before a run; agents push theirs while it runs. Every
queued action carries its :class:`Provenance` (the scenario file, line, step and source; or the
agent that chose it and why), and errors are located from it.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from worldorder.errors import LocatedError, ScenarioError

if TYPE_CHECKING:
    from worldorder.engine.action import Action

__all__ = ["ActionQueue", "LineLookup", "Provenance", "QueuedAction"]

Loc = tuple[str | int, ...]


class LineLookup(Protocol):
    """What the queue needs of a parsed file to locate a field: its label and line numbers."""

    label: str

    def line(self, loc: Loc) -> int | None:
        """The line of field path ``loc`` (or of its deepest known prefix)."""
        ...


def _format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Provenance:
    """Where a queued action came from.

    Attributes:
        date: The date it applies on (ISO, or ``undated``).
        index: Its position in the scenario's schedule (the timeline's ``step``).
        origin: ``scenario`` or ``agent``.
        file: The scenario file's label (name) or ``None``.
        loc: The action's field path in the file, e.g. ``("steps", 3, "tariff")``.
        step: The step (or policy) index in the scenario (shown in messages for dated
            steps only).
        step_id: The step's ``id``, if any.
        source: The cited source of the fact.
        note: Free text (a scenario note, or an agent's reasons).
        agent: The agent that chose it (``origin == "agent"``).
        lines: Line numbers of the file's fields (for located errors).
    """

    date: str
    index: int | None = None
    origin: str = "scenario"
    file: str | None = None
    loc: Loc = ()
    step: int | None = None
    step_id: str | None = None
    source: str = ""
    note: str = ""
    agent: str | None = None
    lines: LineLookup | None = field(default=None, compare=False, repr=False)

    @property
    def dated(self) -> bool:
        """Whether the action has a date (a timeline step) rather than ``undated``."""
        return self.date != "undated"

    def error(self, message: str, loc: Loc = ()) -> ScenarioError:
        """A :class:`ScenarioError` at field ``loc`` of this action (file, line, field, step,
        date, as far as they are known)."""
        full = (*self.loc, *loc)
        line = self.lines.line(full) if self.lines is not None else None
        who = f"agent {self.agent}: " if self.agent else ""
        dated = self.dated and self.step is not None
        return ScenarioError(who + message, file=self.file, line=line,
                             field=_format_loc(full) or None,
                             step=self.step if dated else None,
                             date=self.date if dated else None)

    def locate(self, exc: LocatedError) -> LocatedError:
        """``exc`` with this action's file, line, field, step and date filled in where it
        lacked them."""
        if exc.file is not None:
            return exc
        where = self.error(exc.message, ())
        field_path = where.field if not exc.field else _format_loc(self.loc) + "." + exc.field
        return exc.located(file=where.file, line=where.line, field=field_path,
                           step=where.step, date=where.date)


@dataclass(frozen=True)
class QueuedAction:
    """An action waiting on the queue, with its provenance."""

    action: Action
    provenance: Provenance


class ActionQueue:
    """Actions by date, applied first in, first out within a date.

    Pushing onto the date being processed appends to it (the new action runs after those already
    queued); pushing onto a date already past raises.
    """

    def __init__(self) -> None:
        self._by_date: dict[str, deque[QueuedAction]] = defaultdict(deque)

    def push(self, action: Action, provenance: Provenance) -> None:
        """Queue ``action`` for ``provenance.date``."""
        self._by_date[provenance.date].append(QueuedAction(action, provenance))

    def drain(self, date: str) -> Iterator[QueuedAction]:
        """Pop the actions of ``date`` one by one (including any pushed meanwhile)."""
        pending = self._by_date[date]
        while pending:
            yield pending.popleft()
        self._by_date.pop(date, None)

    def dates(self) -> list[str]:
        """Dates that have actions waiting."""
        return sorted(d for d, q in self._by_date.items() if q)

    def __len__(self) -> int:
        return sum(len(q) for q in self._by_date.values())
