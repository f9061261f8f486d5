"""Registered security models: a name, a classifier, references and overridable parameters.

Each model of the security layer (a power index, a polarity measure, an offshore-balancing rule,
a burden-sharing model) is a small class with

- ``name``: the key under which it is registered in :data:`MODELS`;
- ``summary``: one line;
- ``classifier``: what it is about (``question``, ``kind``: ``index``/``rule``/``game``/
  ``econometric``, ``inputs``), as the scenario actions have;
- ``references``: the literature it implements;
- ``defaults``: its parameters with default values; ``Model(**overrides)`` (or
  ``get_model(name, **overrides)``) changes them, and an unknown parameter or a value outside
  ``bounds`` is an error naming the model and the parameter.

Where the literature disagrees, more than one model answers a question (``classifier
['question']`` groups them), so that a user can compare them.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd

from worldorder.errors import SecurityModelError

__all__ = ["MODELS", "SecurityModel", "get_model", "models_table", "register_model"]


class SecurityModel:
    """Base class of the registered security models."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    classifier: ClassVar[dict[str, Any]] = {}
    references: ClassVar[tuple[str, ...]] = ()
    defaults: ClassVar[dict[str, Any]] = {}
    # admissible (low, high) per numeric parameter, inclusive; None = unbounded
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {}

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            known = ", ".join(sorted(self.defaults)) or "none"
            raise SecurityModelError(f"model {self.name!r}: unknown parameter {unknown[0]!r} "
                                     f"(parameters: {known})")
        merged = {**self.defaults, **params}
        for key, (lo, hi) in self.bounds.items():
            v = merged.get(key)
            if v is None or not isinstance(v, int | float):
                continue
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                raise SecurityModelError(f"model {self.name!r}: parameter {key!r} = {v} is "
                                         f"outside [{lo}, {hi}]")
        self.params: dict[str, Any] = merged

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.params.items() if self.defaults.get(k) != v}
        inner = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        return f"{type(self).__name__}({inner})"

    def describe(self) -> dict[str, Any]:
        """Name, summary, classifier, references and current parameters (for tables, reports)."""
        return {"name": self.name, "summary": self.summary, "classifier": dict(self.classifier),
                "references": list(self.references), "params": dict(self.params)}


MODELS: dict[str, type[SecurityModel]] = {}


def register_model(cls: type[SecurityModel]) -> type[SecurityModel]:
    """Class decorator: register a security model under ``cls.name``."""
    if not cls.name or cls.name in MODELS:
        raise ValueError(f"security model name {cls.name!r} is empty or already registered")
    MODELS[cls.name] = cls
    return cls


def get_model(name: str, **params: Any) -> SecurityModel:
    """An instance of the registered model ``name`` with parameters overridden by ``params``."""
    if name not in MODELS:
        raise SecurityModelError(f"unknown security model {name!r} "
                                 f"(models: {', '.join(sorted(MODELS))})")
    return MODELS[name](**params)


def models_table(question: str | None = None) -> pd.DataFrame:
    """The registered models (optionally those answering ``question``), one row each."""
    rows = []
    for name, cls in sorted(MODELS.items()):
        if question is not None and cls.classifier.get("question") != question:
            continue
        rows.append({"name": name, "question": cls.classifier.get("question", ""),
                     "kind": cls.classifier.get("kind", ""), "summary": cls.summary,
                     "parameters": ", ".join(f"{k}={v}" for k, v in cls.defaults.items()),
                     "references": "; ".join(cls.references)})
    return pd.DataFrame(rows)
