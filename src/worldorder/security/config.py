"""Parameters and commitments of the security layers, and the two actions that set them.

The security layers of this package (``alliances``, ``institutions``, ``alignment``, ``aid``)
compute their tables with registered security models
(:data:`~worldorder.security.model.MODELS`), each with visible defaults.
A scenario overrides them with a ``security_params`` step, validated when the
scenario is read (an unknown model or parameter, or a value out of range, is one located line)::

    steps:
      - date: 2025-01-20
        security_params: {model: legitimacy, params: {a: 0.5, tau_days: 30}}

Overrides apply from the step's date on (put the step on the first date to apply them to the
whole run); every value in force is recorded in the ``security_params`` table of the run.

``commitment`` records a patron's commitment to defend an ally with a credibility in [0, 1]
(an assumption of the scenario's author, e.g. after a summit or a public doubt). It is what
``coercive-burden-sharing`` (Blankenship 2021) needs: the credibility of the patron's *threat to
abandon* the ally is taken as ``1 − credibility``, so that a doubtful commitment pushes the
ally's defence spending towards its pledge (see :mod:`worldorder.security.layer_power`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd
import pyarrow as pa
from pydantic import Field, field_validator, model_validator

from worldorder.engine.action import Action, Classifier, Loc, Names, named_at, register
from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import Event, PoliticalState
from worldorder.errors import EngineError, SecurityModelError
from worldorder.security.model import MODELS, SecurityModel, get_model

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["Commitment", "CommitmentRecord", "SecurityModels", "SecurityModelsLayer",
           "SecurityParams"]

_STR, _F64 = pa.string(), pa.float64()


@dataclass(frozen=True)
class CommitmentRecord:
    """A patron's commitment to an ally, with its credibility in [0, 1], from ``date``."""

    date: str
    patron: str
    ally: str
    credibility: float
    note: str = ""


@dataclass
class SecurityModels:
    """Parameter overrides by model (in force now), their history, commitments, and notes on
    the data years used (the ``security_basis`` table).

    Attributes:
        overrides: ``{model: {parameter: value}}`` in force.
        history: ``(date, model, parameter, value)`` of every override, in order.
        commitments: Every :class:`CommitmentRecord`, in order (the latest per pair counts).
        basis: ``(layer, what, value)`` notes on the data used.
    """

    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: list[tuple[str, str, str, str]] = field(default_factory=list)
    commitments: list[CommitmentRecord] = field(default_factory=list)
    basis: dict[tuple[str, str], str] = field(default_factory=dict)
    _models: dict[str, SecurityModel] = field(default_factory=dict, repr=False)

    def model(self, name: str) -> SecurityModel:
        """The registered model ``name`` with the overrides in force."""
        if name not in self._models:
            self._models[name] = get_model(name, **self.overrides.get(name, {}))
        return self._models[name]

    def params(self, name: str) -> dict[str, Any]:
        """The parameters in force of model ``name``."""
        return dict(self.model(name).params)

    def set(self, date: str, name: str, params: dict[str, Any]) -> None:
        """Override parameters of ``name`` from ``date`` on (validated by the model)."""
        merged = {**self.overrides.get(name, {}), **params}
        self._models[name] = get_model(name, **merged)
        self.overrides[name] = merged
        self.history.extend((date, name, k, repr(v)) for k, v in params.items())

    def credibility(self, patron: str) -> dict[str, float]:
        """``ally -> credibility`` of the latest commitment of ``patron`` to each ally."""
        out: dict[str, float] = {}
        for c in self.commitments:
            if c.patron == patron:
                out[c.ally] = c.credibility
        return out

    def note(self, layer: str, what: str, value: str) -> None:
        """Record which data a layer used (one row of ``security_basis``)."""
        self.basis[(layer, what)] = value


class ModelsInForce:
    """A layer that reads the security models' parameters in force: those of the
    ``security_models`` layer when it runs, else a store of the layer's own (defaults)."""

    _models: SecurityModels | None = None

    def _store(self, sim: Context) -> SecurityModels:
        """The parameters in force (the ``security_models`` layer's, else a store of its own)."""
        try:
            return sim.get(SecurityModels)
        except EngineError:
            if self._models is None:
                self._models = SecurityModels()
            return self._models


@register_layer
class SecurityModelsLayer(Layer):
    """Holds the security models' parameters and the patrons' commitments (state
    :class:`SecurityModels`) and records them with the data years used, at the last date."""

    name: ClassVar[str] = "security_models"
    summary: ClassVar[str] = "parameters of the security models, commitments, data years used"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "security",
                                                                  "stochastic": False}
    references: ClassVar[tuple[str, ...]] = ()
    priority: ClassVar[int] = 15
    tables: ClassVar[dict[str, pa.Schema]] = {
        "security_params": pa.schema([("date", _STR), ("model", _STR), ("parameter", _STR),
                                      ("value", _STR), ("set_on", _STR)]),
        "commitments": pa.schema([("date", _STR), ("patron", _STR), ("ally", _STR),
                                  ("credibility", _F64), ("note", _STR)]),
        "security_basis": pa.schema([("date", _STR), ("layer", _STR), ("what", _STR),
                                     ("value", _STR)]),
    }

    def init(self, sim: Context) -> SecurityModels:
        return SecurityModels()

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        if not sim.is_last:
            return {}
        cfg = sim.get(SecurityModels)
        used = {n for n in cfg._models}
        set_on = {(m, k): d for d, m, k, _ in cfg.history}
        rows = [{"model": n, "parameter": k, "value": repr(v), "set_on": set_on.get((n, k), "")}
                for n in sorted(used) for k, v in cfg.model(n).params.items()]
        return {
            "security_params": pd.DataFrame(rows, columns=["model", "parameter", "value",
                                                           "set_on"]),
            "commitments": pd.DataFrame(
                [{"date": c.date, "patron": c.patron, "ally": c.ally,
                  "credibility": c.credibility, "note": c.note} for c in cfg.commitments],
                columns=["date", "patron", "ally", "credibility", "note"]),
            "security_basis": pd.DataFrame(
                [{"layer": k[0], "what": k[1], "value": v} for k, v in cfg.basis.items()],
                columns=["layer", "what", "value"]),
        }


@register
class SecurityParams(Action):
    """Override parameters of a registered security model from this date on
    (``worldorder security models`` lists the models, their parameters and defaults)."""

    name: ClassVar[str] = "security_params"
    summary: ClassVar[str] = "override parameters of a security model from this date on"
    classifier: ClassVar[Classifier] = {"layer": "security", "priced": False}
    references: ClassVar[tuple[str, ...]] = (
        "The references of the model whose parameters it sets (worldorder.security.MODELS)",)

    model: str
    example: ClassVar[str] = (
        "- security_params: {model: legitimacy, params: {a: 0.5, tau_days: 30}}")
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> SecurityParams:
        if self.model not in MODELS:
            raise ValueError(f"unknown security model {self.model!r} (models: "
                             f"{', '.join(sorted(MODELS))})")
        try:
            get_model(self.model, **self.params)
        except SecurityModelError as exc:
            raise ValueError(str(exc)) from None
        return self

    def apply(self, sim: Context) -> None:
        sim.get(SecurityModels).set(sim.date or "", self.model, dict(self.params))
        sim.get(PoliticalState).add(Event(date=sim.date or "", kind=self.name,
                                          description=self.describe()))

    def describe(self) -> str:
        vals = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"security model {self.model}: {vals}"


@register
class Commitment(Action):
    """A patron's commitment to defend allies, with its credibility in [0, 1] (1: beyond doubt;
    0: no commitment). Under ``coercive-burden-sharing`` the allies' threat of abandonment has
    credibility ``1 − credibility`` (Blankenship 2021), which moves their defence spending."""

    name: ClassVar[str] = "commitment"
    summary: ClassVar[str] = "a patron's commitment to defend allies (credibility 0-1)"
    classifier: ClassVar[Classifier] = {"layer": "security", "priced": False}
    references: ClassVar[tuple[str, ...]] = (
        "Blankenship (2021), The Price of Protection, Security Studies 30(5): 691-724",
        "Snyder (1984), The Security Dilemma in Alliance Politics, World Politics 36(4)",
    )

    patron: str
    allies: Names
    credibility: float = Field(ge=0.0, le=1.0)
    note: str = ""

    @field_validator("patron")
    @classmethod
    def _patron(cls, v: str) -> str:
        if not v:
            raise ValueError("name the patron (an economy of the dataset)")
        return v

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.patron, ("patron",)) + named_at(self.allies, ("allies",))

    def apply(self, sim: Context) -> None:
        cfg = sim.get(SecurityModels)
        allies = [a for a in sim.world.expand(self.allies) if a != self.patron]
        for ally in allies:
            cfg.commitments.append(CommitmentRecord(
                date=sim.date or "", patron=self.patron, ally=ally,
                credibility=float(self.credibility), note=self.note))
        sim.get(PoliticalState).add(Event(date=sim.date or "", kind=self.name,
                                          parties=(self.patron, *allies), actor=self.patron,
                                          description=self.describe()))

    def describe(self) -> str:
        allies = self.allies if isinstance(self.allies, str) else ", ".join(self.allies)
        return f"{self.patron} commits to defend {allies} (credibility {self.credibility:g})"
