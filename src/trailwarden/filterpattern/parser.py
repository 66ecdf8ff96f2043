"""Parser for JSON (``{ ... }``) and space-delimited (``[ ... ]``) bodies.

Grammar (whitespace between tokens is free, so ``NOT  EXISTS`` is ``NOT EXISTS``)::

    json        = "{" expression "}"
    expression  = conjunction { "||" conjunction }       -- precedence: () > && > ||
    conjunction = primary { "&&" primary }               -- (FilterAndPatternSyntax.html)
    primary     = "(" expression ")" | condition
    condition   = selector OPERATOR value | selector IS (NULL|TRUE|FALSE) | selector NOT EXISTS
    delimited   = "[" [ field { "," field } ] "]"        -- "[]": no field, every event
    field       = "" | "..." | name | expression         -- conditions on that name only

Expressions are parsed by a loop with an explicit stack of open parentheses rather than
by recursion, so that nesting is bounded only by the 1,024 characters of a pattern.

Keywords (IS, NOT, EXISTS, NULL, TRUE, FALSE) are matched without regard to case; the docs
only show them in capitals and nothing is lost by also accepting ``not exists``.
"""

from __future__ import annotations

import re
from typing import NoReturn

from .errors import FilterPatternSyntaxError, describe
from .lexer import Token, TokenKind, tokenize
from .nodes import AllOf, AnyOf, Check, CheckKind, Comparison, Field, Node
from .regex import compile_regex
from .selector import parse_selector
from .values import RELATIONAL, Literal, LiteralKind, parse_number

__all__ = ["parse_delimited", "parse_json"]

MAX_REGEXES = 2  # "a limit of 2 regex for each filter pattern" (JSON and delimited)
MAX_WILDCARD_SELECTORS = 3  # "up to three wildcard selectors in a filter pattern"
_FIELD_NAME = re.compile(r"[A-Za-z0-9_]+")


class _Frame:
    """One level of parentheses being parsed: its ``||`` operands so far, and the ``&&``
    operands of the one being read. Precedence is () > && > ||; nested levels of the same
    operator are flattened (``a && (b && c)`` is one AllOf of three)."""

    __slots__ = ("conjunction", "disjunction", "opening")

    def __init__(self, opening: Token | None) -> None:
        self.opening = opening  # the '(' token; None for the whole expression
        self.disjunction: list[Node] = []
        self.conjunction: list[Node] = []

    def end_conjunction(self) -> None:
        items = [x for n in self.conjunction for x in (n.items if isinstance(n, AllOf) else (n,))]
        self.disjunction.append(items[0] if len(items) == 1 else AllOf(tuple(items)))
        self.conjunction = []

    def result(self) -> Node:
        self.end_conjunction()
        items = [x for n in self.disjunction for x in (n.items if isinstance(n, AnyOf) else (n,))]
        return items[0] if len(items) == 1 else AnyOf(tuple(items))


class _Parser:
    """Expressions of conditions; subclasses say what a single condition is."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.regexes = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def next(self) -> Token:
        token = self.peek()
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    @staticmethod
    def fail(expected: str, token: Token, hint: str = "") -> NoReturn:
        raise FilterPatternSyntaxError(token.position, expected, token.shown(), hint)

    def expression(self) -> Node:
        """An expression of conditions, parentheses, ``&&`` and ``||``, up to a token that
        cannot continue it (left for the caller).

        Iterative, with an explicit stack of open parentheses: nesting is bounded by the
        pattern's length alone (AWS documents no other limit), never by Python's recursion
        limit.
        """
        frames = [_Frame(None)]
        while True:
            while self.peek().kind is TokenKind.LPAREN:
                frames.append(_Frame(self.next()))
            node = self.condition()
            while True:  # what follows an operand: '&&', '||', or the end of a level
                frame = frames[-1]
                frame.conjunction.append(node)
                token = self.peek()
                if token.kind in (TokenKind.AND, TokenKind.OR):
                    self.next()
                    if token.kind is TokenKind.OR:
                        frame.end_conjunction()
                    break
                node = frame.result()
                if frame.opening is None:
                    return node
                closing = self.next()
                if closing.kind is not TokenKind.RPAREN:
                    self.fail("'&&', '||' or ')'", closing)
                frames.pop()

    def condition(self) -> Node:
        raise NotImplementedError

    def value(self, op: Token) -> Literal:
        token = self.next()
        wants_number = op.text in RELATIONAL
        number_expected = f"a number after '{op.text}'"
        if token.kind is TokenKind.WORD:
            number = parse_number(token.text)
            if number is not None:
                return Literal(LiteralKind.NUMBER, token.text, token.position, number=number)
            if wants_number:
                self.fail(number_expected, token)
            return Literal(LiteralKind.TEXT, token.text, token.position)
        if token.kind is TokenKind.STRING and not wants_number:
            return Literal(LiteralKind.TEXT, token.value, token.position)
        if token.kind is TokenKind.REGEX and not wants_number:
            self.regexes += 1
            if self.regexes > MAX_REGEXES:
                self.fail(f"at most {MAX_REGEXES} regular expressions in a pattern", token)
            regex = compile_regex(token.value, token.position + 1)
            return Literal(LiteralKind.REGEX, token.value, token.position, regex=regex)
        self.fail(number_expected if wants_number else f"a value after '{op.text}'", token)


_IS_CHECKS = {"NULL": CheckKind.IS_NULL, "TRUE": CheckKind.IS_TRUE, "FALSE": CheckKind.IS_FALSE}


class _JsonParser(_Parser):
    def __init__(self, tokens: list[Token]) -> None:
        super().__init__(tokens)
        self.wildcard_selectors = 0

    def condition(self) -> Node:
        token = self.next()
        if token.kind is not TokenKind.SELECTOR:
            self.fail("a selector such as '$.eventName', or '('", token)
        selector = parse_selector(token)
        if selector.has_wildcard:
            self.wildcard_selectors += 1
            if self.wildcard_selectors > MAX_WILDCARD_SELECTORS:
                self.fail("at most 3 wildcard selectors in a pattern (AWS quota)", token)
        op = self.next()
        if op.kind is TokenKind.OPERATOR:
            return Comparison(selector, op.text, self.value(op))
        keyword = op.text.upper() if op.kind is TokenKind.WORD else ""
        if keyword == "IS":
            word = self.next()
            check = _IS_CHECKS.get(word.text.upper()) if word.kind is TokenKind.WORD else None
            if check is None:
                hint = "IS NOT is not supported" if word.text.upper() == "NOT" else ""
                self.fail("NULL, TRUE or FALSE after IS", word, hint)
            return Check(selector, check)
        if keyword == "NOT":
            word = self.next()
            if word.kind is not TokenKind.WORD or word.text.upper() != "EXISTS":
                self.fail("EXISTS after NOT", word)
            return Check(selector, CheckKind.NOT_EXISTS)
        hint = "CloudWatch Logs supports NOT EXISTS but not EXISTS" if keyword == "EXISTS" else ""
        expected = f"an operator (=, !=, <, <=, >, >=), IS or NOT EXISTS after {token.shown()}"
        self.fail(expected, op, hint)


class _DelimitedParser(_Parser):
    def __init__(self, tokens: list[Token]) -> None:
        super().__init__(tokens)
        self.field_name: str | None = None

    def field(self) -> Field:
        token = self.peek()
        if token.kind in (TokenKind.COMMA, TokenKind.END):
            return Field(token.position)
        if token.kind is TokenKind.WORD and token.text == "...":
            self.next()
            return Field(token.position, ellipsis=True)
        if token.kind is TokenKind.WORD and self.peek(1).kind in (TokenKind.COMMA, TokenKind.END):
            self.next()
            if not _FIELD_NAME.fullmatch(token.text):
                self.fail("a field name (letters, digits and '_') or '...'", token)
            return Field(token.position, name=token.text)
        self.field_name = None
        condition = self.expression()
        return Field(token.position, name=self.field_name, condition=condition)

    def condition(self) -> Node:
        name = self.next()
        if name.kind is not TokenKind.WORD or not _FIELD_NAME.fullmatch(name.text):
            self.fail("a field name (letters, digits and '_'), '...' or '('", name)
        first = self.field_name is None
        if self.field_name is None:
            self.field_name = name.text
        elif name.text != self.field_name:
            # AWS answers "Invalid filter pattern" to the docs' own
            # '[..., status_code = 4* && bytes > 1000]' (awsdocs/amazon-cloudwatch-logs-
            # user-guide issue 21): a field's conditions test that field only.
            self.fail(f"a condition on {describe(self.field_name)}", name)
        op = self.next()
        if op.kind is not TokenKind.OPERATOR:
            separators = ", ',' or ']'" if first else ""
            self.fail(f"an operator (=, !=, <, <=, >, >=){separators} after {name.shown()}", op)
        return Comparison(name.text, op.text, self.value(op))


def parse_json(text: str) -> Node:
    """The condition tree of a JSON pattern (``text`` starts with '{' and ends with '}')."""
    parser = _JsonParser(tokenize(text, 1, len(text) - 1, "'}'"))
    node = parser.expression()
    end = parser.next()
    if end.kind is not TokenKind.END:
        parser.fail("'&&', '||' or '}'", end)
    return node


def parse_delimited(text: str) -> tuple[Field, ...]:
    """The fields of a space-delimited pattern (``text`` starts with '[' and ends with ']')."""
    parser = _DelimitedParser(tokenize(text, 1, len(text) - 1, "']'"))
    if parser.peek().kind is TokenKind.END:
        return ()  # '[]': no field named, every event matches (see :mod:`.delimited`)
    fields: list[Field] = []
    while True:
        fields.append(parser.field())
        separator = parser.next()
        if separator.kind is TokenKind.END:
            return tuple(fields)
        if separator.kind is not TokenKind.COMMA:
            parser.fail("',' or ']'", separator)
