"""String templates: quoted strings, heredocs (``<<EOT``, ``<<-EOT``) and ``templatefile``.

``${ expr }`` interpolates, ``$${`` and ``%%{`` are literal; a template that is one
interpolation and nothing else is that value itself (a list stays a list). python-hcl2 parses
interpolations of quoted strings but keeps a heredoc's body as text, so heredocs and template
files are scanned here and each interpolation parsed with python-hcl2. Template directives
(``%{ if }``, ``%{ for }``) are not evaluated: the value is unknown.
https://developer.hashicorp.com/terraform/language/expressions/strings
"""

from __future__ import annotations

from typing import Any, Protocol

from lark import Token, Tree

from trailwarden.collect.iac.hcl_syntax import Node, parse_expression
from trailwarden.collect.iac.hcl_values import EvalError
from trailwarden.collect.iac.specs import Unresolved
from trailwarden.collect.iac.values import concat

__all__ = ["render_heredoc", "render_parts", "render_text"]


class Evaluator(Protocol):
    """:class:`~.hcl_eval.Evaluator`, which imports this module."""

    def eval(self, node: Any, scope: Any) -> Any: ...


Scope = Any  # hcl_eval.Scope

_DIRECTIVE = Unresolved("%{…}", "template directives (%{ if }, %{ for }) are not evaluated")


def render_parts(e: Evaluator, parts: list[Node], scope: Scope) -> Any:
    """A quoted string's ``string_part`` nodes, rendered."""
    from hcl2.utils import process_escape_sequences

    values: list[Any] = []
    for part in parts:
        child = part.children[0] if part.children else ""
        if isinstance(child, Token):
            text = str(child)
            if child.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                values.append(text[1:])  # $${x} is the text ${x}
            else:
                values.append(process_escape_sequences(text))
        elif isinstance(child, Tree) and child.data == "interpolation":
            values.append(e.eval(child, scope))
        else:
            return _DIRECTIVE
    if len(values) == 1 and isinstance(parts[0].children[0], Tree):
        return values[0]  # "${x}" is x itself
    return concat(values)


def render_heredoc(e: Evaluator, token: str, trim: bool, scope: Scope) -> Any:
    """A heredoc token (``<<EOT\\n…\\nEOT\\n``), its indentation trimmed for ``<<-``."""
    lines = token.replace("\r\n", "\n").split("\n")
    body = lines[1:-2] if lines and lines[-1] == "" else lines[1:-1]
    if trim:
        indents = [len(x) - len(x.lstrip(" \t")) for x in body if x.strip()]
        cut = min(indents, default=0)
        body = [x[cut:] for x in body]
    return render_text(e, "\n".join(body) + "\n" if body else "", scope, "a heredoc")


def render_text(e: Evaluator, text: str, scope: Scope, where: str) -> Any:
    """Template ``text`` (a heredoc's body, a template file), rendered."""
    values: list[Any] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith(("$${", "%%{"), i):
            literal.append(text[i + 1 : i + 3])
            i += 3
        elif text.startswith("%{", i):
            return _DIRECTIVE
        elif text.startswith("${", i):
            end = _closing(text, i + 2)
            expression = text[i + 2 : end].strip().strip("~").strip()
            values += ["".join(literal), e.eval(parse_expression(expression, where), scope)]
            literal = []
            i = end + 1
        else:
            literal.append(text[i])
            i += 1
    values.append("".join(literal))
    if len(values) == 3 and values[0] == values[2] == "":
        return values[1]  # the text is one interpolation: its value itself
    return concat(values)


def _closing(text: str, start: int) -> int:
    """The index of the ``}`` that closes an interpolation opened before ``start``."""
    depth, i, quoted = 1, start, False
    while i < len(text):
        c = text[i]
        if quoted:
            if c == "\\":
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            quoted = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise EvalError("an interpolation ${ is not closed")
