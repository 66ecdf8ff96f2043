"""Terraform files as blocks and attributes, from python-hcl2's parse tree.

python-hcl2 (the grammar of HCL2, with every node's line) parses; this module only walks its
Lark tree: a body holds ``attribute`` (name ``=`` expression) and ``block`` (type, labels,
body) nodes. Expressions stay trees, evaluated by :mod:`.hcl_eval`.
https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

from trailwarden.collect.iac.files import read_text, shown
from trailwarden.errors import CodeInputError

__all__ = [
    "Block",
    "Body",
    "Node",
    "attributes",
    "blocks",
    "parse_expression",
    "parse_file",
    "parse_text",
    "string_literal",
    "token_text",
    "traversal_text",
]

Node = Tree[Any]  # a node of python-hcl2's parse tree
Body = Node  # a "body" node


@dataclass(frozen=True)
class Block:
    """``type "label" "label" { body }`` in ``file`` at ``line``."""

    type: str
    labels: tuple[str, ...]
    body: Body
    file: Path
    line: int | None


def token_text(node: Any) -> str:
    """The text of a leaf: an identifier, keyword or literal (``for_each``, ``true``)."""
    if isinstance(node, Token):
        return str(node)
    if isinstance(node, Tree) and node.children:
        return token_text(node.children[0])
    raise CodeInputError(f"Unexpected syntax {node!r}.")


def traversal_text(node: Any) -> str:
    """A traversal as written, without evaluating it: ``aws.us`` (``provider = aws.us``)."""
    if not isinstance(node, Tree):
        return ""
    if node.data == "identifier":
        return token_text(node)
    return ".".join(w for child in node.children if (w := traversal_text(child)))


def string_literal(node: Node) -> str:
    """A ``"label"`` without interpolation (block labels, ``source``)."""
    from hcl2.utils import process_escape_sequences

    parts = [c for c in node.children if isinstance(c, Tree) and c.data == "string_part"]
    return "".join(process_escape_sequences(token_text(p)) for p in parts)


def parse_text(text: str, where: str) -> Node:
    """The parse tree of HCL ``text``; a syntax error names ``where`` and the line."""
    import hcl2

    try:
        return hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        raise CodeInputError(
            f"{where}:{exc.line}: not valid HCL (column {exc.column}); Terraform would reject "
            "it too — fix it or give another PATH."
        ) from exc
    except (LarkError, RecursionError) as exc:
        raise CodeInputError(f"{where}: not valid HCL ({type(exc).__name__}).") from exc


def parse_file(path: Path) -> list[Block]:
    """The top-level blocks of one ``.tf`` file."""
    body = parse_text(read_text(path), shown(path)).children[0]
    return [Block(type_, labels, inner, path, line) for type_, labels, inner, line in _blocks(body)]


def parse_expression(text: str, where: str) -> Node:
    """One expression (an interpolation inside a heredoc or a template file)."""
    tree = parse_text(f"x = {text}\n", where)
    attrs = attributes(tree.children[0])
    if "x" not in attrs:
        raise CodeInputError(f"{where}: not an expression: {text[:40]!r}.")
    return attrs["x"]


def attributes(body: Body) -> dict[str, Node]:
    """``name = expression`` of a body, by name."""
    out: dict[str, Node] = {}
    for node in body.children:
        if isinstance(node, Tree) and node.data == "attribute":
            name = token_text(node.children[0])
            out[name] = node.children[-1]
    return out


def blocks(body: Body) -> list[tuple[str, tuple[str, ...], Node, int | None]]:
    """The nested blocks of a body: (type, labels, body, line)."""
    return list(_blocks(body))


def _blocks(body: Body) -> Any:
    for node in body.children:
        if not (isinstance(node, Tree) and node.data == "block"):
            continue
        head = [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        inner = next(c for c in head if c.data == "body")
        names = [c for c in head if c is not inner]
        labels = tuple(
            string_literal(c) if c.data == "string" else token_text(c) for c in names[1:]
        )
        line = node.meta.line if not node.meta.empty else None
        yield token_text(names[0]), labels, inner, line
