"""The benchmark scripts still name what exists: they import trailwarden inside functions
(a server mode, a measured process), where nothing else would notice a rename."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).parent.parent / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_every_trailwarden_name_a_benchmark_imports_exists(script: Path) -> None:
    imported = [
        (node.module, alias.name)
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("trailwarden")
        for alias in node.names
    ]
    missing = [
        f"{module}.{name}"
        for module, name in imported
        if module is not None
        and not hasattr(importlib.import_module(module), name)
        and importlib.util.find_spec(f"{module}.{name}") is None
    ]
    assert not missing, f"{script.name} imports names that do not exist: {missing}"


def test_there_are_benchmarks_to_check() -> None:
    assert len(BENCHMARKS) >= 5
