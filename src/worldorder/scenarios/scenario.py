"""Scenario files: what a user states, validated with pydantic.

A scenario is a YAML file::

    name: liberation-day-2025
    description: ...
    dataset: world-2024            # a bundled name, or a folder relative to this file
    model: {preset: ignatenko2025, nu: {USA: 0.27, default: 0.11}}
    policies:                      # applied together, in order
      - tariff: {by: USA, on: all, rate: 0.10}
      - reciprocal_tariff: {by: USA, method: ustr-2025, exempt: [CAN, MEX]}
      - retaliation: {by: [CHN], against: USA, rule: mirror}

Every error names the file, the line and the field.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from worldorder.errors import ScenarioError
from worldorder.scenarios.actions import ACTIONS, Action
from worldorder.scenarios.yaml_lines import LineMap, load_yaml_with_lines, read_text

__all__ = ["ModelSpec", "Scenario", "bundled_scenarios", "load_scenario", "scenario_path"]

PerEconomy = float | dict[str, float]


class ModelSpec(BaseModel):
    """The ``model`` section: a preset plus overrides (see :mod:`worldorder.trade.params`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    preset: Literal["ignatenko2025", "ek-krugman", "armington"] = "ignatenko2025"
    epsilon: PerEconomy | None = None
    kappa: PerEconomy | None = None
    psi: PerEconomy | None = None
    nu: PerEconomy | None = None
    phi: PerEconomy | None = None
    revenue: Literal["income_tax", "lump_sum"] | None = None
    closure: Literal["fixed_transfers", "balanced", "proportional"] | None = None
    numeraire: Literal["price_index", "world_income"] | None = None

    def overrides(self) -> dict[str, Any]:
        """The parameters set explicitly (everything but the preset)."""
        return self.model_dump(exclude={"preset"}, exclude_none=True)


class Scenario(BaseModel):
    """A validated scenario.

    Attributes:
        name: Short name (letters, digits, ``-`` and ``_``).
        description: What the scenario represents, with sources.
        dataset: Bundled dataset name or folder path (relative to the scenario file).
        model: Preset and parameter overrides.
        policies: Actions applied together, in order.
        seed: Random seed recorded in the manifest (for the stochastic layers to come).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    description: str = ""
    dataset: str = "world-2024"
    model: ModelSpec = ModelSpec()
    policies: list[Action] = Field(default_factory=list)
    seed: int = 0

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
            from worldorder.scenarios.yaml_lines import format_loc

            return ScenarioError(f"scenario {self.name}, field {format_loc(loc)!r}: {message}")
        return self._lines.error(loc, message)

    @classmethod
    def from_text(cls, text: str, label: str = "<scenario>", path: Path | None = None
                  ) -> Scenario:
        """Parse and validate scenario YAML text."""
        data, lines = load_yaml_with_lines(text, label)
        scenario = cls.from_dict(data, lines)
        scenario._path = path
        scenario._text = text
        return scenario

    @classmethod
    def from_dict(cls, data: Any, lines: LineMap | None = None) -> Scenario:
        """Validate a parsed scenario mapping."""
        lines = lines or LineMap({}, "<scenario>")
        if not isinstance(data, dict):
            raise lines.error((), "a scenario must be a mapping with name, dataset, model and "
                                  "policies")
        raw_policies = data.get("policies", []) or []
        if not isinstance(raw_policies, list):
            raise lines.error(("policies",), "must be a list of actions")
        actions = [_parse_action(item, k, lines) for k, item in enumerate(raw_policies)]
        try:
            scenario = cls.model_validate({**data, "policies": actions})
        except ValidationError as exc:
            err = exc.errors()[0]
            raise lines.error(tuple(err["loc"]), _message(err)) from None
        scenario._lines = lines
        return scenario


def _message(err: Any) -> str:
    msg = str(err.get("msg", "invalid value"))
    if err.get("type") == "extra_forbidden":
        return "unknown field"
    if err.get("type") == "missing":
        return "required field is missing"
    value = err.get("input")
    if isinstance(value, str | int | float) and err.get("type") != "missing":
        return f"{msg} (got {value!r})"
    return msg


def _parse_action(item: Any, k: int, lines: LineMap) -> Action:
    loc: tuple[str | int, ...] = ("policies", k)
    if not isinstance(item, dict) or len(item) != 1:
        raise lines.error(loc, "each policy is a mapping with one action name, e.g. "
                               "'- tariff: {by: USA, on: all, rate: 0.1}'")
    (key, params), = item.items()
    if key not in ACTIONS:
        raise lines.error((*loc, key), f"unknown action {key!r} (known: {', '.join(ACTIONS)})")
    try:
        return ACTIONS[key].model_validate(params or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise lines.error((*loc, key, *err["loc"]), _message(err)) from None


def _bundled_root() -> Path:
    return Path(str(resources.files("worldorder") / "scenarios" / "bundled"))


def bundled_scenarios() -> dict[str, Path]:
    """Bundled scenario names and files."""
    root = _bundled_root()
    return {p.stem: p for p in sorted(root.glob("*.yaml"), key=lambda q: q.stem)}


def scenario_path(name_or_path: str | Path) -> Path:
    """Resolve a scenario file path or a bundled scenario name."""
    p = Path(name_or_path)
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
