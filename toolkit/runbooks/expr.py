"""A small, safe expression language for decisions and conditions; parsed here, never ``eval``.

    expr  := or ;  or := and ("or" and)* ;  and := not ("and" not)* ;  not := "not" not | cmp
    cmp   := atom (("=="|"!="|"<"|"<="|">"|">="|"in"|"not in") atom)?
    atom  := number | 'string' | true | false | null | name(.name)* | func "(" expr, ... ")"
             | "(" expr ")" | "[" expr, ... "]"

Names read recorded facts: ``answers.STEP.FIELD``, ``outputs.STEP.NAME``, ``status.STEP``,
``inputs.FIELD``, ``incident.FIELD``. Functions: ``len(x)``, ``exists(x)``. A name with no value
is missing: comparisons with it are false and ``exists`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))"
)
KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
FUNCTIONS = ("len", "exists")
ROOTS = ("answers", "outputs", "status", "inputs", "incident")


class ExprError(ValueError):
    """An expression that does not parse; the message says where."""


class Missing:
    """The value of a name nothing has recorded yet."""

    def __repr__(self) -> str:
        """Shown in decision records."""
        return "missing"


MISSING = Missing()
Lookup = Callable[[tuple[str, ...]], Any]


@dataclass(frozen=True)
class Node:
    """An expression tree node: an operator (or 'lit', 'name', 'call', 'list') and its parts."""

    op: str
    args: tuple[Any, ...] = field(default=())


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) tokens; ExprError at the first character that is not part of one."""
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExprError(f"unexpected character at position {pos + 1}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class _Parser:
    """Recursive descent over the token list."""

    def __init__(self, text: str) -> None:
        """Tokenise ``text``."""
        self.items = tokens(text)
        self.pos = 0

    def peek(self) -> str | None:
        """The next token's text (None at the end)."""
        return self.items[self.pos][1] if self.pos < len(self.items) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        """Consume a token (that must be ``expected`` when given)."""
        if self.pos >= len(self.items):
            raise ExprError("unexpected end of expression")
        item = self.items[self.pos]
        if expected is not None and item[1] != expected:
            raise ExprError(f"expected {expected!r}, found {item[1]!r}")
        self.pos += 1
        return item

    def parse(self) -> Node:
        """The whole expression; trailing tokens are an error."""
        node = self.binary("or")
        if self.pos != len(self.items):
            raise ExprError(f"unexpected {self.items[self.pos][1]!r}")
        return node

    def binary(self, op: str) -> Node:
        """``or`` over ``and`` over ``not``."""
        inner = (lambda: self.binary("and")) if op == "or" else self.negation
        node = inner()
        while self.peek() == op:
            self.take()
            node = Node(op, (node, inner()))
        return node

    def negation(self) -> Node:
        """``not x`` or a comparison."""
        if self.peek() == "not":
            self.take()
            return Node("not", (self.negation(),))
        return self.comparison()

    def comparison(self) -> Node:
        """``a OP b`` or just ``a``."""
        left = self.atom()
        op = self.peek()
        if op == "not" and self.pos + 1 < len(self.items) and self.items[self.pos + 1][1] == "in":
            self.take(), self.take()
            return Node("not in", (left, self.atom()))
        if op in ("==", "!=", "<", "<=", ">", ">=", "in"):
            self.take()
            return Node(op, (left, self.atom()))
        return left

    def atom(self) -> Node:
        """A literal, a name, a call, a list or a parenthesised expression."""
        kind, text = self.take()
        if kind == "num":
            return Node("lit", (float(text) if "." in text else int(text),))
        if kind == "str":
            return Node("lit", (text[1:-1],))
        if text == "(":
            node = self.binary("or")
            self.take(")")
            return node
        if text == "[":
            return Node("list", tuple(self.sequence("]")))
        if kind == "name":
            return self.named(text)
        raise ExprError(f"unexpected {text!r}")

    def named(self, text: str) -> Node:
        """A keyword literal, a function call or a dotted name."""
        literals = {"true": True, "false": False, "null": None}
        if text in literals:
            return Node("lit", (literals[text],))
        if text in KEYWORDS:
            raise ExprError(f"unexpected {text!r}")
        if self.peek() == "(":
            if text not in FUNCTIONS:
                raise ExprError(f"unknown function {text!r} (known: {', '.join(FUNCTIONS)})")
            self.take("(")
            return Node("call", (text, *self.sequence(")")))
        parts = tuple(text.split("."))
        if parts[0] not in ROOTS or len(parts) < 2:
            raise ExprError(f"unknown name {text!r} (names start with {', '.join(ROOTS)})")
        return Node("name", parts)

    def sequence(self, close: str) -> list[Node]:
        """Comma-separated expressions up to ``close``."""
        items: list[Node] = []
        while self.peek() != close:
            items.append(self.binary("or"))
            if self.peek() == ",":
                self.take()
        self.take(close)
        return items


def parse(text: str) -> Node:
    """Parse an expression; ExprError says what is wrong."""
    return _Parser(str(text)).parse()


def names(node: Node) -> list[tuple[str, ...]]:
    """Every dotted name the expression reads."""
    if node.op == "name":
        return [node.args]
    found: list[tuple[str, ...]] = []
    for arg in node.args:
        if isinstance(arg, Node):
            found.extend(names(arg))
    return found


@dataclass
class Evaluation:
    """The result of evaluating an expression, with every name read and its value."""

    value: Any
    read: dict[str, Any]


def evaluate(node: Node, lookup: Lookup) -> Evaluation:
    """Evaluate ``node`` reading names through ``lookup``; records what was read."""
    read: dict[str, Any] = {}

    def value_of(item: Node) -> Any:
        """Recursive evaluation."""
        if item.op == "lit":
            return item.args[0]
        if item.op == "name":
            found = lookup(item.args)
            read[".".join(item.args)] = None if found is MISSING else found
            return found
        if item.op == "list":
            return [value_of(arg) for arg in item.args]
        if item.op == "call":
            return _call(item.args[0], value_of(item.args[1]) if len(item.args) > 1 else MISSING)
        if item.op == "not":
            return not _truthy(value_of(item.args[0]))
        if item.op == "and":
            return _truthy(value_of(item.args[0])) and _truthy(value_of(item.args[1]))
        if item.op == "or":
            return _truthy(value_of(item.args[0])) or _truthy(value_of(item.args[1]))
        return _compare(item.op, value_of(item.args[0]), value_of(item.args[1]))

    return Evaluation(value_of(node), read)


def _truthy(value: Any) -> bool:
    """Missing and None are false; everything else by Python's rules."""
    return value is not MISSING and bool(value)


def _call(name: str, value: Any) -> Any:
    """``len`` (0 for missing) and ``exists``."""
    if name == "exists":
        return value is not MISSING and value is not None
    if value is MISSING or value is None:
        return 0
    try:
        return len(value)
    except TypeError:
        return 0


def _compare(op: str, left: Any, right: Any) -> bool:
    """A comparison; any missing side, or incomparable types, make it false."""
    if left is MISSING or right is MISSING:
        return False
    try:
        if op == "==":
            return bool(left == right)
        if op == "!=":
            return bool(left != right)
        if op in ("in", "not in"):
            inside = left in right if right is not None else False
            return inside if op == "in" else not inside
        return bool(
            {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
        )
    except TypeError:
        return False
