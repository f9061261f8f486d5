"""Scenario files: what a user states, validated with pydantic.

A scenario is a YAML file, either undated (``policies``, applied together) or dated (``steps``,
applied cumulatively in date order)::

    name: liberation-day-2025
    description: ...
    dataset: world-2024            # a bundled name, or a folder relative to this file
    model: {preset: ignatenko2025, nu: {USA: 0.27, default: 0.11}}
    policies:                      # applied together, in order
      - tariff: {by: USA, on: all, rate: 0.10}
      - reciprocal_tariff: {by: USA, method: ustr-2025, exempt: [CAN, MEX]}
      - retaliation: {by: [CHN], against: USA, rule: mirror}

A dated scenario::

    name: us-2025
    dataset: world-2024
    steps:
      - date: 2025-04-02
        id: liberation-day            # optional; lets extending scenarios override the step
        source: Executive Order 14257
        reciprocal_tariff: {by: USA, exempt: [CAN, MEX]}

Composition: ``extends: other`` inherits everything and adds steps (a step with the ``id`` of an
inherited one replaces it; ``remove: [id, ...]`` drops inherited steps); ``fork: {from: other,
at: 2025-07-01}`` keeps the other scenario's steps before that date and adds its own from it.
Dated steps extending an undated scenario keep its policies: they are in force from the first
step's date, applied before that date's own steps.

Every error names the file, the line and the field (and, for a step, its index and date).
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
)

import worldorder.trade.params  # noqa: F401  (registers the presets and closures)
from worldorder.engine.action import Action
from worldorder.engine.clock import UNDATED, Clock
from worldorder.engine.queue import Provenance, QueuedAction
from worldorder.engine.rates import RATE_ERROR
from worldorder.errors import ScenarioError
from worldorder.registry import ACTIONS, CLOSURES, PRESETS
from worldorder.scenarios.yaml_lines import LineMap, format_loc, load_yaml_with_lines, read_text

__all__ = ["ClockSpec", "Fork", "ModelSpec", "Scenario", "Step", "bundled_scenarios",
           "load_scenario", "scenario_path"]

STEP_KEYS = ("date", "id", "source", "note")

PerEconomy = float | dict[str, float]


class ModelSpec(BaseModel):
    """The ``model`` section: a preset plus overrides (see :mod:`worldorder.trade.params`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    preset: str = "ignatenko2025"
    epsilon: PerEconomy | None = None
    kappa: PerEconomy | None = None
    psi: PerEconomy | None = None
    nu: PerEconomy | None = None
    phi: PerEconomy | None = None
    revenue: Literal["income_tax", "lump_sum"] | None = None
    closure: str | None = None
    numeraire: Literal["price_index", "world_income"] | None = None
    balance_with: str | list[str] | None = None

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, v: str) -> str:
        if v not in PRESETS:
            raise ValueError(PRESETS.unknown(v))
        return v

    @field_validator("closure")
    @classmethod
    def _known_closure(cls, v: str | None) -> str | None:
        if v is not None and v not in CLOSURES:
            raise ValueError(CLOSURES.unknown(v))
        return v

    def overrides(self) -> dict[str, Any]:
        """The parameters set explicitly (everything but the preset)."""
        return self.model_dump(exclude={"preset"}, exclude_none=True)


class Step(BaseModel):
    """One dated action of a timeline.

    Attributes:
        date: When the action is taken (announcement or effect, as the scenario states).
        action: The action.
        id: Optional identifier (for ``extends`` overrides and ``remove``).
        source: Where the fact comes from (publication, date).
        note: Free text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    action: Action
    id: str | None = None
    source: str = ""
    note: str = ""

    _lines: LineMap | None = PrivateAttr(default=None)
    _index: int = PrivateAttr(default=0)
    _section: str = PrivateAttr(default="steps")  # "policies": an undated parent's policy

    def error(self, loc: tuple[str | int, ...], message: str) -> ScenarioError:
        """A located error for a field of this step's action."""
        full = (self._section, self._index, type(self.action).name, *loc)
        return ScenarioError(message, file=self._lines.label if self._lines else None,
                             line=self._lines.line(full) if self._lines else None,
                             field=format_loc(full), step=self._index,
                             date=self.date.isoformat())


class ClockSpec(BaseModel):
    """``clock: {start: 2025-01-01, periods: 20, frequency: year}``: a regular grid of periods
    for a multi-period run (the scenario's dated steps are kept and join the grid)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: dt.date
    periods: int = Field(ge=1, le=400)
    frequency: Literal["year", "quarter"] = "year"


class Fork(BaseModel):
    """``fork: {from: scenario, at: date}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str = Field(alias="from")
    at: dt.date


class Scenario(BaseModel):
    """A validated scenario.

    Attributes:
        name: Short name (letters, digits, ``-`` and ``_``).
        description: What the scenario represents, with sources.
        dataset: Bundled dataset name or folder path (relative to the scenario file).
        model: Preset and parameter overrides.
        policies: Actions applied together, in order (an undated scenario).
        steps: Dated actions, applied cumulatively in date order (a timeline).
        extends: The scenario this one extends, if any.
        fork: The scenario and date this one branches from, if any.
        remove: Ids of inherited steps to drop.
        seed: Seed of every random stream of the simulation (layers and agents).
        clock: A regular grid of periods for multi-period runs (default: the steps' dates).
        layers: Parameters of registered layers by name (``layers: {security: {...}}``),
            checked against each layer's ``Config`` when the simulation is built.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True,
                              strict=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    description: str = ""
    dataset: str = "world-2024"
    model: ModelSpec = ModelSpec()
    policies: list[Action] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    extends: str | None = None
    fork: Fork | None = None
    remove: list[str] = Field(default_factory=list)
    seed: int = 0
    clock: ClockSpec | None = None
    layers: dict[str, dict[str, Any]] = Field(default_factory=dict)

    _path: Path | None = PrivateAttr(default=None)
    _text: str = PrivateAttr(default="")
    _lines: LineMap | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The file the scenario was read from."""
        return self._path

    @property
    def text(self) -> str:
        """The scenario text as written."""
        return self._text

    def error(self, loc: tuple[str | int, ...], message: str) -> ScenarioError:
        """A located error (file, line, field) for problems found after loading."""
        if self._lines is None:
            return ScenarioError(message, file=f"scenario {self.name}", field=format_loc(loc))
        return self._lines.error(loc, message)

    @property
    def dated(self) -> bool:
        """True for a timeline (``steps``), False for simultaneous ``policies``."""
        return bool(self.steps)

    def located_policy_error(self, k: int, loc: tuple[str | int, ...], message: str
                             ) -> ScenarioError:
        """A located error for field ``loc`` of policy ``k`` (undated) or step ``k``."""
        if self.steps:
            return self.steps[k].error(loc, message)
        return self.error(("policies", k, type(self.policies[k]).name, *loc), message)

    def actions(self) -> list[tuple[str, Action]]:
        """``(date, action)`` pairs in application order (``undated`` for policies)."""
        if self.steps:
            return [(st.date.isoformat(), st.action) for st in self.steps]
        return [("undated", a) for a in self.policies]

    def schedule(self) -> list[QueuedAction]:
        """The actions with their provenance (file, line, step, date, source), in order."""
        label = self._lines.label if self._lines is not None else self.name
        out = []
        if self.steps:
            for k, st in enumerate(self.steps):
                lines = st._lines or self._lines
                out.append(QueuedAction(st.action, Provenance(
                    date=st.date.isoformat(), index=k,
                    file=lines.label if lines is not None else label,
                    loc=(st._section, st._index, type(st.action).name), step=st._index,
                    step_id=st.id, source=st.source, note=st.note, lines=lines)))
            return out
        return [QueuedAction(a, Provenance(date=UNDATED, index=k, file=label,
                                           loc=("policies", k, type(a).name), step=k,
                                           lines=self._lines))
                for k, a in enumerate(self.policies)]

    def make_clock(self) -> Clock:
        """The dates to step over: the steps' dates, merged with ``clock`` if given."""
        dates = [st.date.isoformat() for st in self.steps]
        if self.clock is None:
            return Clock.from_dates(dates)
        return Clock.regular(self.clock.start, self.clock.periods, self.clock.frequency,
                             extra=dates)

    @classmethod
    def from_text(cls, text: str, label: str = "<scenario>", path: Path | None = None,
                  _seen: frozenset[Path] = frozenset()) -> Scenario:
        """Parse and validate scenario YAML text (resolving ``extends`` and ``fork``)."""
        data, lines = load_yaml_with_lines(text, label)
        base = path.parent if path is not None else None
        scenario = cls.from_dict(data, lines, base=base, _seen=_seen)
        scenario._path = path
        scenario._text = text
        return scenario

    @classmethod
    def from_dict(cls, data: Any, lines: LineMap | None = None, *, base: Path | None = None,
                  _seen: frozenset[Path] = frozenset()) -> Scenario:
        """Validate a parsed scenario mapping."""
        lines = lines or LineMap({}, "<scenario>")
        if not isinstance(data, dict):
            raise lines.error((), "a scenario must be a mapping with name, dataset, model and "
                                  "policies or steps")
        raw_policies = data.get("policies", []) or []
        if not isinstance(raw_policies, list):
            raise lines.error(("policies",), "must be a list of actions")
        raw_steps = data.get("steps", []) or []
        if not isinstance(raw_steps, list):
            raise lines.error(("steps",), "must be a list of dated actions")
        if raw_policies and raw_steps:
            raise lines.error(("steps",), "give either policies (undated) or steps (dated), "
                                          "not both")
        actions = [_parse_action(item, k, lines) for k, item in enumerate(raw_policies)]
        steps = [_parse_step(item, k, lines) for k, item in enumerate(raw_steps)]
        for k in range(1, len(steps)):
            if steps[k].date < steps[k - 1].date:
                raise lines.error(("steps", k, "date"), f"(step {k}) {steps[k].date} comes "
                                  f"before the previous step's {steps[k - 1].date}; list steps "
                                  "in date order")
        merged = dict(data)
        if data.get("extends") is not None or data.get("fork") is not None:
            merged, actions, steps = _inherit(data, lines, actions, steps, base, _seen)
        try:
            scenario = cls.model_validate({**merged, "policies": actions, "steps": steps})
        except ValidationError as exc:
            err = exc.errors()[0]
            raise lines.error(_field_loc(err["loc"]), _message(err)) from None
        scenario._lines = lines
        return scenario


def _inherit(data: dict[str, Any], lines: LineMap, actions: list[Action], steps: list[Step],
             base: Path | None, seen: frozenset[Path]) -> tuple[dict, list[Action], list[Step]]:
    """Merge a child scenario with the one it ``extends`` or ``fork``s from."""
    if data.get("extends") is not None and data.get("fork") is not None:
        raise lines.error(("fork",), "give either extends or fork, not both")
    if data.get("extends") is not None:
        key: tuple[str | int, ...] = ("extends",)
        ref = data["extends"]
    else:
        fork = data["fork"]
        if not isinstance(fork, dict) or "from" not in fork or "at" not in fork:
            raise lines.error(("fork",), "must be {from: scenario, at: YYYY-MM-DD}")
        key, ref = ("fork", "from"), fork["from"]
    if not isinstance(ref, str):
        raise lines.error(key, "must name a scenario (bundled name or file)")
    try:
        ppath = scenario_path(ref, base=base)
    except ScenarioError as exc:
        raise lines.error(key, str(exc)) from None
    if ppath.resolve() in seen:
        raise lines.error(key, f"scenario {ref!r} extends itself (a cycle)")
    parent = Scenario.from_text(read_text(ppath), label=ppath.name, path=ppath,
                                _seen=seen | {ppath.resolve()})
    merged = parent.model_dump(exclude={"policies", "steps", "extends", "fork", "remove",
                                        "name", "description"}, by_alias=True)
    merged["description"] = parent.description
    if isinstance(data.get("model"), dict):
        merged["model"] = {**parent.model.model_dump(exclude_none=True), **data["model"]}
    merged.update({k: v for k, v in data.items() if k != "model"})
    if data.get("extends") is not None:
        if parent.policies and steps:  # in force from the first date, before its own steps
            return merged, actions, [_policy_step(a, k, steps[0].date, parent._lines)
                                     for k, a in enumerate(parent.policies)] + steps
        if parent.steps and actions:
            raise lines.error(("policies",), f"scenario {ref!r} is dated (steps), so undated "
                              "policies cannot extend it; give dated steps here")
        removed = set(data.get("remove") or [])
        own_ids = {st.id for st in steps if st.id}
        inherited = [st for st in parent.steps if st.id not in removed and st.id not in own_ids]
        unknown = removed - {st.id for st in parent.steps}
        if unknown:
            raise lines.error(("remove",), f"no inherited step has id {sorted(unknown)[0]!r}")
        return merged, parent.policies + actions, _by_date(inherited + steps)
    try:
        at = dt.date.fromisoformat(str(data["fork"]["at"]))
    except ValueError:
        raise lines.error(("fork", "at"), f"{data['fork']['at']!r} is not a date "
                                          "(YYYY-MM-DD)") from None
    for st in steps:
        if st.date < at:
            raise lines.error(("steps", st._index, "date"), f"(step {st._index}) {st.date} is "
                              f"before the fork date {at}")
    inherited = [st for st in parent.steps if st.date < at]
    if not parent.steps:
        raise lines.error(("fork", "from"), f"scenario {ref!r} has no dated steps to fork from")
    return merged, actions, _by_date(inherited + steps)


def _policy_step(action: Action, k: int, date: dt.date, lines: LineMap | None) -> Step:
    """Policy ``k`` of an undated scenario as a step on ``date`` (located in its own file)."""
    step = Step(date=date, action=action, note="an undated policy of the extended scenario, "
                                               "in force from the first date")
    step._lines, step._index, step._section = lines, k, "policies"
    return step


def _by_date(steps: list[Step]) -> list[Step]:
    return sorted(steps, key=lambda st: st.date)  # stable: same-date order is kept


# pydantic names the member of a union that failed (``epsilon.float``); users wrote ``epsilon``
_UNION_TAG = re.compile(r"^(float|int|str|bool|none|(list|dict|tuple|literal|is-instance|"
                        r"function-[a-z]+)\[.*\]|[a-z-]+\[.*\])$")


def _field_loc(loc: Any) -> tuple[str | int, ...]:
    """A pydantic error location as the field path the user wrote (union tags dropped)."""
    return tuple(p for p in loc if not (isinstance(p, str) and _UNION_TAG.match(p)))


def _message(err: Any) -> str:
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if err.get("type") == "extra_forbidden":
        return "unknown field"
    if err.get("type") == "missing":
        return "required field is missing"
    value = err.get("input")
    if isinstance(value, str | int | float) and err.get("type") != "missing":
        return f"{msg} (got {value!r})"
    return msg


def preferred_error(errors: list[Any]) -> Any:
    """The error to show: a range error of a rate (the user's real mistake) before the type
    mismatches a union of field types reports for its other members."""
    return next((e for e in errors if e.get("type") == RATE_ERROR), errors[0])


def _parse_step(item: Any, k: int, lines: LineMap) -> Step:
    loc: tuple[str | int, ...] = ("steps", k)
    if not isinstance(item, dict):
        raise lines.error(loc, f"(step {k}) each step is a mapping with a date and one action")
    if "date" not in item:
        raise lines.error(loc, f"(step {k}) missing date (YYYY-MM-DD)")
    raw_date = item["date"]
    try:
        date = raw_date if isinstance(raw_date, dt.date) else dt.date.fromisoformat(str(raw_date))
    except ValueError:
        raise lines.error((*loc, "date"), f"(step {k}) {raw_date!r} is not a date "
                                          "(YYYY-MM-DD)") from None
    keys = [key for key in item if key not in STEP_KEYS]
    if len(keys) != 1:
        raise lines.error(loc, f"(step {k}, {date}) a step has exactly one action besides "
                               f"{', '.join(STEP_KEYS)} (found: {', '.join(keys) or 'none'})")
    action = _parse_action({keys[0]: item[keys[0]]}, k, lines, prefix="steps",
                           where=f"(step {k}, {date}) ")
    meta = {key: item[key] for key in ("id", "source", "note") if key in item}
    for key, value in meta.items():
        if not isinstance(value, str):
            raise lines.error((*loc, key), f"(step {k}, {date}) must be text")
    step = Step(date=date, action=action, **meta)
    step._lines = lines
    step._index = k
    return step


def _parse_action(item: Any, k: int, lines: LineMap, *, prefix: str = "policies",
                  where: str = "") -> Action:
    loc: tuple[str | int, ...] = (prefix, k)
    if not isinstance(item, dict) or len(item) != 1:
        raise lines.error(loc, "each policy is a mapping with one action name, e.g. "
                               "'- tariff: {by: USA, on: all, rate: 0.1}'")
    (key, params), = item.items()
    if key not in ACTIONS:
        raise lines.error((*loc, key), f"{where}unknown action {key!r} "
                                       f"(known: {', '.join(sorted(ACTIONS))})")
    try:
        return ACTIONS[key].model_validate(params or {})
    except ValidationError as exc:
        err = preferred_error(exc.errors())
        raise lines.error((*loc, key, *_field_loc(err["loc"])), where + _message(err)) from None


def _bundled_root() -> Path:
    return Path(str(resources.files("worldorder") / "scenarios" / "bundled"))


def bundled_scenarios() -> dict[str, Path]:
    """Bundled scenario names and files."""
    root = _bundled_root()
    return {p.stem: p for p in sorted(root.glob("*.yaml"), key=lambda q: q.stem)}


def scenario_path(name_or_path: str | Path, *, base: Path | None = None) -> Path:
    """Resolve a scenario file path (relative to ``base`` first) or a bundled scenario name."""
    p = Path(name_or_path)
    if base is not None and not p.is_absolute() and (base / p).is_file():
        return base / p
    if p.is_file():
        return p
    bundled = bundled_scenarios()
    if str(name_or_path) in bundled:
        return bundled[str(name_or_path)]
    if p.suffix in (".yaml", ".yml"):
        raise ScenarioError(f"{p}: no such scenario file")
    raise ScenarioError(f"scenario {str(name_or_path)!r}: no such file or bundled scenario "
                        f"(bundled: {', '.join(bundled) or 'none'})")


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a scenario from a YAML file or a bundled name (e.g. ``liberation-day-2025``).

    Raises:
        ScenarioError: One line naming the file, the line and the field.
    """
    path = scenario_path(name_or_path)
    return Scenario.from_text(read_text(path), label=path.name, path=path)
