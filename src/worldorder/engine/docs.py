"""Descriptions of the registered actions and layers (for ``worldorder actions`` and
``worldorder plugins``)."""

from __future__ import annotations

from typing import cast

from worldorder.engine.action import Action
from worldorder.engine.layer import Layer
from worldorder.registry import ACTIONS, LAYERS

__all__ = ["describe_actions", "describe_layers"]


def describe_actions() -> list[dict[str, object]]:
    """The registered actions: name, summary, classifier, references and fields."""
    out: list[dict[str, object]] = []
    for name in ACTIONS:
        cls = cast("type[Action]", ACTIONS[name])
        out.append({"name": name, "summary": cls.summary, "classifier": dict(cls.classifier),
                    "references": list(cls.references), "fields": list(cls.model_fields),
                    "module": cls.__module__})
    return out


def describe_layers() -> list[dict[str, object]]:
    """The registered layers: name, summary, priority, tables and where they come from."""
    out: list[dict[str, object]] = []
    for name in LAYERS:
        cls = cast("type[Layer]", LAYERS[name])
        out.append({"name": name, "summary": cls.summary, "priority": cls.priority,
                    "classifier": dict(cls.classifier), "tables": list(cls.tables),
                    "references": list(cls.references), "module": cls.__module__})
    return out
