"""Test modules share helpers through tests/builders.py only: they never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
#: ``tests.conftest`` still re-exports the two world builders for branches written before
#: tests/builders.py existed; new code imports them from tests.builders.
TOLERATED = {("tests.conftest", "mini_world"), ("tests.conftest", "random_world")}


def test_test_modules_import_helpers_from_builders_only() -> None:
    bad = []
    for path in sorted(TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests"):
                names = {(node.module, a.name) for a in node.names}
                if node.module != "tests.builders" and not names <= TOLERATED:
                    bad.append(f"{path.relative_to(TESTS.parent)}:{node.lineno}: "
                               f"from {node.module} import ...")
            elif isinstance(node, ast.Import) and any(a.name.startswith("tests")
                                                      for a in node.names):
                bad.append(f"{path.relative_to(TESTS.parent)}:{node.lineno}: import tests...")
    assert bad == [], "move shared helpers to tests/builders.py:\n" + "\n".join(bad)
