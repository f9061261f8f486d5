"""The package's layers import only downwards, and no two modules import each other.

Every ``import`` in ``src/worldorder`` counts, wherever it stands (module level, inside a
function, or under ``TYPE_CHECKING``): a function-level import must not be a way around a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "worldorder"

#: Bottom to top. Modules outside these subpackages (errors, registry, _version, executor,
#: numerics) are the base every layer may use, and may import no layer.
LAYERS = ("data", "trade", "engine", "scenarios", "strategy", "security", "agents", "runs",
          "sweeps", "reports", "cli")
BASE_ALLOWED: set[str] = set()


def _modules() -> dict[str, Path]:
    mods = {}
    for p in ROOT.rglob("*.py"):
        rel = p.relative_to(ROOT.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        mods[".".join(parts)] = p
    return mods


def _graph() -> nx.DiGraph:
    mods = _modules()
    g = nx.DiGraph()
    g.add_nodes_from(mods)
    for m, p in mods.items():
        pkg = m if p.name == "__init__.py" else m.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = pkg.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                while t and t not in mods:
                    t = t.rsplit(".", 1)[0] if "." in t else ""
                # a submodule importing its own package's __init__ is not an edge
                if t and t != m and not (m.startswith(t + ".") and mods[t].name == "__init__.py"):
                    g.add_edge(m, t)
    return g


def _rank(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS.index(parts[1]) + 1
    return 0 if len(parts) > 1 else len(LAYERS) + 1  # the package's __init__ is on top


def test_no_import_cycles() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_imports_only_go_down() -> None:
    up = sorted((a, b) for a, b in _graph().edges if _rank(b) > _rank(a))
    assert not up, "upward imports:\n" + "\n".join(f"{a} imports {b}" for a, b in up)


@pytest.mark.parametrize("layer", LAYERS)
def test_every_layer_exists_or_is_planned(layer: str) -> None:
    present = (ROOT / layer).is_dir()
    assert present or layer in {"security", "agents"}, f"layer {layer} is missing"


def test_the_graph_sees_known_edges() -> None:
    g = _graph()  # guards the test itself: it must see real imports
    assert g.has_edge("worldorder.engine.simulation", "worldorder.registry")
    assert g.has_edge("worldorder.scenarios.timeline", "worldorder.engine.simulation")
