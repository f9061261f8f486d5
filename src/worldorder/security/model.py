"""Registered models of the political side of the order (alignment, institutions, legitimacy,
aid): a small class per model with a ``name``, a ``classifier``, ``references`` and
overridable ``params`` (in the manner of the Axelrod library's strategies and of the scenario
actions). Each model's equations are in its docstring; the numerical cores are the pure
functions of its module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from worldorder.errors import SecurityModelError

__all__ = ["POLITICS_MODELS", "PoliticsModel", "register_model"]

#: name -> model class
POLITICS_MODELS: dict[str, type[PoliticsModel]] = {}


class PoliticsModel:
    """Base class: parameters are ``defaults`` overridden by keyword (unknown names rejected)."""

    name: ClassVar[str] = ""
    classifier: ClassVar[dict[str, Any]] = {}
    references: ClassVar[tuple[str, ...]] = ()
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, params: Mapping[str, Any] | None = None, **overrides: Any) -> None:
        given = {**(params or {}), **overrides}
        unknown = sorted(set(given) - set(self.defaults))
        if unknown:
            raise SecurityModelError(
                f"model {self.name!r}: unknown parameter {unknown[0]!r} (parameters: "
                f"{', '.join(sorted(self.defaults))})")
        self.params: dict[str, Any] = {**self.defaults, **given}

    def describe(self) -> dict[str, Any]:
        """Name, classifier, references and the parameters in use."""
        return {"name": self.name, "classifier": dict(self.classifier),
                "references": list(self.references), "params": dict(self.params)}


def register_model(cls: type[PoliticsModel]) -> type[PoliticsModel]:
    """Class decorator: add a model to :data:`POLITICS_MODELS` under its ``name``."""
    if not cls.name or cls.name in POLITICS_MODELS:
        raise ValueError(f"model name {cls.name!r} missing or already registered")
    POLITICS_MODELS[cls.name] = cls
    return cls
