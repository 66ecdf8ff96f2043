"""The layers hold: import contracts, the CLI as the only layer that prints, small modules.

The import rules are import-linter contracts in ``pyproject.toml`` (``lint-imports``, run by
``.ci/run``); here they run once on the package as it is, and once per contract on a copy
with one import added that crosses it, so that a contract that can no longer fail is
noticed. "Only the CLI prints" is not an import rule: an AST walk finds every write to the
terminal outside ``cli/``.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import trailwarden

PACKAGE = Path(trailwarden.__file__).parent
ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_LINES = 300


def _lint_imports(src: Path | None, *contracts: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts (it reads ``pyproject.toml`` in its
    working directory), on the package in ``src`` (default: the installed package)."""
    env = {**os.environ, "COLUMNS": "200"}
    if src is not None:
        # Ahead of site-packages, so the copy is analysed rather than the installed package.
        env["PYTHONPATH"] = str(src)
    args = [str(LINT_IMPORTS), "--no-cache"]
    args += [a for c in contracts for a in ("--contract", c)]
    result = subprocess.run(
        args, capture_output=True, text=True, env=env, cwd=PYPROJECT.parent, check=False
    )
    # Some versions colour their report even into a pipe.
    result.stdout = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    return result


def test_import_contracts_are_kept() -> None:
    result = _lint_imports(None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# (contract id, module of the copy, the import added to it)
CROSSINGS = [
    ("layers", "collect/aws.py", "import trailwarden.checks"),
    ("layers", "checks/trail.py", "import trailwarden.scan"),
    ("remediate-layers", "remediate/model.py", "import trailwarden.remediate.changes"),
    ("remediate-layers", "remediate/render/text.py", "import trailwarden.remediate.engine"),
    ("pure-core", "checks/trail.py", "import boto3"),
    ("pure-core", "filterpattern/parser.py", "import pathlib"),
    ("pure-core", "monitoring/catalog.py", "import trailwarden.collect.logs"),
    ("pure-formats", "formats/table.py", "import trailwarden.collect.aws"),
    ("pure-planning", "remediate/planning/plan.py", "import trailwarden.collect.logs"),
    ("pure-planning", "remediate/render/json.py", "import os"),
    ("offline-backtest", "backtest/engine.py", "import trailwarden.collect.cloudtrail"),
    ("aws-sdk", "remediate/engine/apply.py", "import botocore.exceptions"),
    ("clients", "scan.py", "from trailwarden.collect.clients import open_factory"),
    ("click", "demo/run.py", "import click"),
]


@pytest.mark.parametrize(("contract", "module", "line"), CROSSINGS)
def test_each_contract_fails_when_its_layer_is_crossed(
    tmp_path: Path, contract: str, module: str, line: str
) -> None:
    copy = tmp_path / "trailwarden"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint_imports(tmp_path, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    # Broken by the added import, not by something else.
    importer = "trailwarden." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> " in result.stdout, result.stdout


# What writes to the terminal: calls, and any use of the standard streams.
_PRINTING_CALLS = {
    "print",
    "builtins.print",
    "click.echo",
    "click.secho",
    "click.echo_via_pager",
    "rich.print",
    "rich.print_json",
    "rich.inspect",
    "rich.get_console",
    "pprint.pprint",
    "pprint.pp",
    "traceback.print_exc",
    "traceback.print_exception",
    "traceback.print_stack",
    "traceback.print_tb",
}
_STREAMS = {"sys.stdout", "sys.stderr", "sys.__stdout__", "sys.__stderr__"}
# These print to the terminal unless given where to print.
_NEEDS_DESTINATION = {
    "rich.console.Console": "file",
    "rich.progress.Progress": "console",
    "rich.progress.track": "console",
    "rich.live.Live": "console",
    "rich.status.Status": "console",
}


class _TerminalWrites(ast.NodeVisitor):
    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # local name → what it was imported as
        self.found: list[str] = []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.names[alias.asname] = alias.name
            else:
                top = alias.name.partition(".")[0]
                self.names[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def _dotted(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._stream(node)

    def visit_Name(self, node: ast.Name) -> None:
        self._stream(node)

    def _stream(self, node: ast.Attribute | ast.Name) -> None:
        name = self._dotted(node)
        if name in _STREAMS:
            self.found.append(f"line {node.lineno}: {name}")
        elif isinstance(node, ast.Attribute):
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = self._dotted(node.func)
        given = {k.arg for k in node.keywords}
        if name in _PRINTING_CALLS:
            self.found.append(f"line {node.lineno}: {name}()")
        elif name in _NEEDS_DESTINATION and _NEEDS_DESTINATION[name] not in given:
            self.found.append(f"line {node.lineno}: {name}() without {_NEEDS_DESTINATION[name]}=")
        self.generic_visit(node)


def terminal_writes(source: str) -> list[str]:
    """Where ``source`` writes to the terminal, as ``line N: what``."""
    visitor = _TerminalWrites()
    visitor.visit(ast.parse(source))
    return visitor.found


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("print('x')", ["line 1: print()"]),
        ("import click\nclick.echo('x', err=True)", ["line 2: click.echo()"]),
        ("from click import echo as say\nsay('x')", ["line 2: click.echo()"]),
        ("import sys\nsys.stdout.write('x')", ["line 2: sys.stdout"]),
        ("import sys as s\ns.stderr.buffer.write(b'x')", ["line 2: sys.stderr"]),
        ("from sys import stderr\nlog(stderr)", ["line 2: sys.stderr"]),
        ("import json, sys\njson.dump({}, sys.stdout)", ["line 2: sys.stdout"]),
        (
            "from rich.console import Console\nConsole(stderr=True)",
            ["line 2: rich.console.Console() without file="],
        ),
        (
            "import rich.console\nrich.console.Console()",
            ["line 2: rich.console.Console() without file="],
        ),
        (
            "from rich.progress import Progress\nProgress('x')",
            ["line 2: rich.progress.Progress() without console="],
        ),
        ("import rich\nrich.print('x')", ["line 2: rich.print()"]),
        ("import traceback\ntraceback.print_exc()", ["line 2: traceback.print_exc()"]),
        # Given where to write, or only reading: not printing.
        ("import io\nfrom rich.console import Console\nConsole(file=io.StringIO())", []),
        ("from rich.progress import Progress\nProgress('x', console=console)", []),
        ("def f(console):\n    console.print('x')", []),
        ("import sys\nsys.stdin.read()", []),
        ("text = 'print(1)'", []),
    ],
)
def test_terminal_writes_are_found(source: str, found: list[str]) -> None:
    assert terminal_writes(source) == found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_only_the_cli_writes_to_the_terminal() -> None:
    # Everything else returns values, or renders onto a Console the CLI passes in.
    found = {
        str(path.relative_to(PACKAGE)): writes
        for path in _modules()
        if path.relative_to(PACKAGE).parts[0] != "cli"
        and (writes := terminal_writes(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_modules_stay_small() -> None:
    # Data and generated modules say so in their first line, and may be longer.
    too_long = {}
    for path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        exempt = lines and lines[0].startswith(("# Data module:", "# Generated"))
        if len(lines) > MAX_LINES and not exempt:
            too_long[str(path.relative_to(PACKAGE))] = len(lines)
    assert too_long == {}


def test_architecture_explains_every_contract() -> None:
    contracts = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert [c["id"] for c in contracts["contracts"] if f"`{c['id']}`" not in text] == []


def test_architecture_names_only_files_that_exist() -> None:
    # Every `path.py`, `dir/` or `file.json` it names is in the repository (a `<name>` is
    # any name), so that the page cannot describe a layout that has moved on.
    files = [
        str(p.relative_to(ROOT))
        for folder in ("src", "tests", "tools", "policies", ".ci")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ] + [p.name for p in ROOT.iterdir() if p.is_file()]
    named = re.findall(
        r"`([\w./<>*-]+(?:\.py|\.json|\.toml|/|\.ci/run))`", ARCHITECTURE.read_text()
    )
    missing = []
    for name in set(named):
        pattern = re.sub(r"<[^>]+>", "*", name) + ("*" if name.endswith("/") else "")
        if not any(
            fnmatch.fnmatch(f, pattern) or fnmatch.fnmatch(f, "*/" + pattern) for f in files
        ):
            missing.append(name)
    assert sorted(missing) == []
