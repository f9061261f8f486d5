"""Registries: the names a scenario or a run may use, each registered next to its definition.

worldorder is extended by registering things, not by editing it. Four registries live here, at
the bottom of the package, so that every layer can register into them and the scenario schema can
be built from them without importing the layers that fill them:

* :data:`ACTIONS`: the verbs of a scenario (``tariff``, ``withdraw``, ``trade_war``, ...);
* :data:`LAYERS`: the models stepped on every date of a :class:`~worldorder.engine.Simulation`;
* :data:`PRESETS`: named parameter sets of the trade model (``ignatenko2025``, ...);
* :data:`CLOSURES`: how trade imbalances adjust in a counterfactual (``fixed_transfers``, ...);
* :data:`DOCTRINES`: the foreign-policy doctrines agents follow (``reciprocator``, ...).

An entry is registered where it is defined, with the registry's decorator::

    @ACTIONS.register
    class Tariff(Action):
        name = "tariff"
        ...

Packages, worldorder's own included, make their modules discoverable through entry points (in
the manner of xarray's backend plugins): a registry loads the modules named in its entry-point
group the first time it is asked for its entries. A third-party package adds an action or a layer
without any edit to worldorder by declaring, in its ``pyproject.toml``::

    [project.entry-points."worldorder.actions"]
    mypackage = "mypackage.actions"        # a module whose import registers its actions

    [project.entry-points."worldorder.layers"]
    mypackage = "mypackage.layers"

An entry point may also name an object (``"mypackage.actions:MyAction"``): it is registered under
its own ``name`` if importing its module did not already do so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Generic, TypeVar, cast

from worldorder.errors import PluginError

__all__ = ["ACTIONS", "CLOSURES", "DOCTRINES", "LAYERS", "PRESETS", "Registry"]

T = TypeVar("T")


class Registry(Mapping[str, T], Generic[T]):
    """Named entries of one kind, filled by decorators and by entry points.

    A registry is a read-only mapping ``name -> entry``. Entries are added with
    :meth:`register` (a decorator using the entry's ``name`` attribute) or :meth:`add`. The
    modules named in the entry-point ``group`` are imported the first time the registry is read.

    Args:
        kind: What the entries are (for messages): ``action``, ``layer``, ...
        group: The entry-point group, e.g. ``worldorder.actions``; ``None`` for none.
    """

    def __init__(self, kind: str, group: str | None = None) -> None:
        self.kind = kind
        self.group = group
        self._entries: dict[str, T] = {}
        self._loaded = group is None
        self._loading = False
        self.failures: dict[str, str] = {}

    # -- registration -------------------------------------------------------------------
    def add(self, name: str, entry: T, *, replace: bool = False) -> T:
        """Register ``entry`` under ``name``.

        Raises:
            PluginError: The name is empty or already taken (unless ``replace``).
        """
        if not name:
            raise PluginError(f"a {self.kind} needs a non-empty name")
        if name in self._entries and not replace and self._entries[name] is not entry:
            raise PluginError(f"{self.kind} name {name!r} is already registered "
                              f"(by {_origin(self._entries[name])})")
        self._entries[name] = entry
        return entry

    def register(self, entry: T) -> T:
        """Class decorator: register ``entry`` under its ``name`` attribute."""
        name = getattr(entry, "name", "")
        if not isinstance(name, str):
            raise PluginError(f"a {self.kind} needs a text name, got {name!r}")
        return self.add(name, entry)

    def unregister(self, name: str) -> None:
        """Remove an entry (for tests and interactive sessions)."""
        self._entries.pop(name, None)

    # -- discovery ----------------------------------------------------------------------
    def load_plugins(self) -> None:
        """Import the modules named in this registry's entry-point group (once).

        A plugin that fails to import is left out and its error kept in :attr:`failures`
        (``worldorder plugins`` shows them); it never stops the others.
        """
        if self._loaded or self._loading:
            return
        self._loading = True
        try:
            assert self.group is not None
            for ep in sorted(entry_points(group=self.group), key=lambda e: e.name):
                self._load_one(ep)
        finally:
            self._loading = False
            self._loaded = True

    def _load_one(self, ep: EntryPoint) -> None:
        module, _, attr = ep.value.partition(":")
        try:
            mod = importlib.import_module(module.strip())
            if attr:
                obj: object = mod
                for part in attr.strip().split("."):
                    obj = getattr(obj, part)
                name = getattr(obj, "name", ep.name)
                if name not in self._entries:
                    self.add(name if isinstance(name, str) and name else ep.name, cast(T, obj))
        except Exception as exc:  # a broken plugin must not break worldorder
            self.failures[ep.name] = f"{ep.value}: {type(exc).__name__}: {exc}"

    # -- mapping ------------------------------------------------------------------------
    def __getitem__(self, name: str) -> T:
        self.load_plugins()
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        self.load_plugins()
        return iter(sorted(self._entries))

    def __len__(self) -> int:
        self.load_plugins()
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        self.load_plugins()
        return name in self._entries

    def names(self) -> list[str]:
        """The registered names, sorted."""
        return list(self)

    def unknown(self, name: str) -> str:
        """A message for an unknown name, listing the known ones."""
        return f"unknown {self.kind} {name!r} (known: {', '.join(self) or 'none'})"


def _origin(entry: object) -> str:
    module = getattr(entry, "__module__", None)
    return f"{module}.{getattr(entry, '__qualname__', '')}" if module else repr(entry)


ACTIONS: Registry[type] = Registry("action", "worldorder.actions")
LAYERS: Registry[type] = Registry("layer", "worldorder.layers")
PRESETS: Registry[Mapping[str, object]] = Registry("preset", "worldorder.presets")
CLOSURES: Registry[object] = Registry("closure", "worldorder.closures")
DOCTRINES: Registry[type] = Registry("doctrine", "worldorder.doctrines")

#: A callable that makes a registry entry (for type hints of factories).
Factory = Callable[..., T]
