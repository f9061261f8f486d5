"""The typed core: mypy passes (run by `make test`), and no public signature there says `Any`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from types import ModuleType

import pytest

import worldorder.numerics
import worldorder.trade

#: Modules whose public signatures must be fully typed (mirrors [tool.mypy] files).
CORE = ["worldorder.engine", "worldorder.errors", "worldorder.executor", "worldorder.numerics",
        "worldorder.registry", "worldorder.trade"]
ANY = re.compile(r"\bAny\b")


def _modules() -> Iterator[ModuleType]:
    for name in CORE:
        mod = importlib.import_module(name)
        yield mod
        if hasattr(mod, "__path__"):
            for info in pkgutil.walk_packages(mod.__path__, f"{name}."):
                yield importlib.import_module(info.name)


def _signatures(mod: ModuleType) -> Iterator[tuple[str, dict[str, object]]]:
    for name in getattr(mod, "__all__", []):
        obj = getattr(mod, name)
        if getattr(obj, "__module__", None) != mod.__name__:
            continue  # re-exported: checked where it is defined
        if inspect.isfunction(obj):
            yield f"{mod.__name__}.{name}", inspect.get_annotations(obj)
        elif inspect.isclass(obj):
            yield f"{mod.__name__}.{name}", inspect.get_annotations(obj)
            for meth_name, meth in vars(obj).items():
                if inspect.isfunction(meth) and (not meth_name.startswith("_")
                                                 or meth_name == "__init__"):
                    yield f"{mod.__name__}.{name}.{meth_name}", inspect.get_annotations(meth)


def test_no_public_signature_of_the_typed_core_says_any() -> None:
    offenders = [f"{where}: {key}: {ann}" for mod in _modules()
                 for where, anns in _signatures(mod) for key, ann in anns.items()
                 if ANY.search(str(ann))]
    assert offenders == []


@pytest.mark.parametrize("pkg", [worldorder.numerics, worldorder.trade])
def test_every_core_module_is_seen(pkg: ModuleType) -> None:
    assert len([m for m in _modules() if m.__name__.startswith(pkg.__name__)]) >= 2
