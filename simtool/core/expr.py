"""The condition language of scenario files: a small, validated expression grammar.

Scenario authors write conditions such as
``blood_loss_ml >= 500 or (blood_loss_ml >= 300 and shock_index >= 0.9)``. They are parsed
here into a tree and compiled into closures; nothing is ever passed to ``eval``.

Grammar::

    expr  := or
    or    := and ("or" and)*
    and   := not ("and" not)*
    not   := "not" not | cmp
    cmp   := sum (("<"|"<="|">"|">="|"=="|"!=") sum)?
    sum   := prod (("+"|"-") prod)*
    prod  := unary (("*"|"/") unary)*
    unary := "-" unary | atom
    atom  := NUMBER | NAME | "true" | "false" | "(" expr ")"
    NAME  := [a-z_][a-z0-9_]* ("." [a-z0-9_]+)?

A variable that has no value yet (``since.oxytocin`` before any oxytocin) is ``None``: a
comparison involving it is false, arithmetic with it stays ``None``.

A condition is at most ``MAX_EXPR_CHARS`` long and nests at most ``MAX_EXPR_DEPTH`` deep
(brackets, ``not``, minus signs, and chains of operators, which make a tree as deep as they
are long): walking, compiling and evaluating a tree recurse once per level, so anything deeper
is refused when it is parsed rather than ending in a RecursionError.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simtool.core.limits import MAX_EXPR_CHARS, MAX_EXPR_DEPTH

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)"
    r"|(?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)))"
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}


class ExprError(ValueError):
    """A condition that does not parse or names an unknown variable."""


@dataclass(frozen=True)
class Node:
    kind: str  # num, bool, var, neg, arith, cmp, and, or, not
    value: Any = None
    children: tuple["Node", ...] = ()

    @property
    def is_bool(self) -> bool:
        return self.kind in ("bool", "cmp", "and", "or", "not")


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if not m or m.end() == pos:
            col = pos + len(stripped[pos:]) - len(stripped[pos:].lstrip()) + 1
            raise ExprError(f"unexpected character {stripped[col - 1]!r} at column {col}")
        kind = m.lastgroup or ""
        val = m.group(kind)
        tokens.append((kind, val, m.start(kind) + 1))
        pos = m.end()
    return tokens


def _too_deep() -> ExprError:
    return ExprError(f"nested deeper than {MAX_EXPR_DEPTH} levels (simtool's limit for a condition)")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.nesting = 0  # brackets, 'not' and minus signs open around the current token

    def nest(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_EXPR_DEPTH:
            raise _too_deep()

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str) -> bool:
        tok = self.peek()
        if tok and tok[1] == value and (tok[0] == "op" or value in _KEYWORDS):
            self.i += 1
            return True
        return False

    def fail(self, what: str) -> ExprError:
        tok = self.peek()
        if tok is None:
            return ExprError(f"{what} at end of condition")
        return ExprError(f"{what}, found {tok[1]!r} at column {tok[2]}")

    def parse(self) -> Node:
        if not self.tokens:
            raise ExprError("empty condition")
        node = self.or_()
        if self.peek() is not None:
            raise self.fail("expected 'and', 'or' or end of condition")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.take("or"):
            node = Node("or", None, (node, self.and_()))
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.take("and"):
            node = Node("and", None, (node, self.not_()))
        return node

    def not_(self) -> Node:
        if self.take("not"):
            self.nest()
            node = Node("not", None, (self.not_(),))
            self.nesting -= 1
            return node
        return self.cmp()

    def cmp(self) -> Node:
        left = self.sum()
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in _CMP:
            self.i += 1
            right = self.sum()
            if left.is_bool or right.is_bool:
                raise ExprError(f"cannot compare a true/false value with {tok[1]!r}")
            return Node("cmp", tok[1], (left, right))
        return left

    def sum(self) -> Node:
        node = self.prod()
        while True:
            tok = self.peek()
            if tok and tok[0] == "op" and tok[1] in "+-" and len(tok[1]) == 1:
                self.i += 1
                node = Node("arith", tok[1], (node, self.prod()))
            else:
                return node

    def prod(self) -> Node:
        node = self.unary()
        while True:
            tok = self.peek()
            if tok and tok[0] == "op" and tok[1] in ("*", "/"):
                self.i += 1
                node = Node("arith", tok[1], (node, self.unary()))
            else:
                return node

    def unary(self) -> Node:
        if self.take("-"):
            self.nest()
            node = Node("neg", None, (self.unary(),))
            self.nesting -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.fail("expected a number, a name or '('")
        kind, val, _col = tok
        if kind == "num":
            self.i += 1
            value = float(val)
            if not math.isfinite(value):
                raise ExprError(f"number {val[:12]}… at column {_col} is too large")
            return Node("num", value)
        if kind == "name":
            if val in ("true", "false"):
                self.i += 1
                return Node("bool", val == "true")
            if val in _KEYWORDS:
                raise self.fail("expected a number, a name or '('")
            self.i += 1
            return Node("var", val)
        if val == "(":
            self.i += 1
            self.nest()
            node = self.or_()
            if not self.take(")"):
                raise self.fail("expected ')'")
            self.nesting -= 1
            return node
        raise self.fail("expected a number, a name or '('")


def depth(node: Node) -> int:
    """Levels of the tree (a number or a name is 1), found without recursion."""
    deepest = 0
    todo = [(node, 1)]
    while todo:
        n, d = todo.pop()
        deepest = max(deepest, d)
        todo.extend((c, d + 1) for c in n.children)
    return deepest


def parse(text: str) -> Node:
    """Parse a condition; raise ExprError with the column of the first problem."""
    if not isinstance(text, str):
        raise ExprError("a condition must be text")
    if len(text) > MAX_EXPR_CHARS:
        raise ExprError(f"longer than {MAX_EXPR_CHARS:,} characters (simtool's limit for a condition)")
    node = _Parser(text).parse()
    if depth(node) > MAX_EXPR_DEPTH:
        raise _too_deep()
    if not node.is_bool:
        raise ExprError("a condition must be a comparison or a true/false combination")
    for child in walk(node):
        if child.kind in ("and", "or", "not") and not all(c.is_bool for c in child.children):
            raise ExprError(f"'{child.kind}' needs true/false operands (a comparison)")
        if child.kind in ("arith", "neg") and any(c.is_bool for c in child.children):
            raise ExprError("arithmetic on a true/false value")
    return node


def walk(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out.extend(walk(child))
    return out


def names(node: Node) -> set[str]:
    """Variable names the condition reads."""
    return {n.value for n in walk(node) if n.kind == "var"}


def numbers(node: Node) -> list[float]:
    """Numeric literals in the condition (clinical thresholds need a source)."""
    return [n.value for n in walk(node) if n.kind == "num"]


def check_names(node: Node, known: Callable[[str], bool]) -> None:
    for name in sorted(names(node)):
        if not known(name):
            raise ExprError(f"unknown variable '{name}'")


Env = Mapping[str, Any]
Compiled = Callable[[Env], Any]


def compile_node(node: Node) -> Compiled:
    """Turn a parsed tree into a closure over a variable mapping (fast, no eval)."""
    k = node.kind
    if k in ("num", "bool"):
        v = node.value
        return lambda env: v
    if k == "var":
        name = node.value
        return lambda env: env.get(name)
    if k == "neg":
        f = compile_node(node.children[0])

        def neg(env: Env) -> Any:
            x = f(env)
            return None if x is None else -x
        return neg
    if k == "arith":
        a, b = (compile_node(c) for c in node.children)
        op = node.value

        def arith(env: Env) -> Any:
            x, y = a(env), b(env)
            if x is None or y is None:
                return None
            if op == "+":
                return x + y
            if op == "-":
                return x - y
            if op == "*":
                return x * y
            return None if y == 0 else x / y
        return arith
    if k == "cmp":
        a, b = (compile_node(c) for c in node.children)
        fn = _CMP[node.value]

        def cmp(env: Env) -> bool:
            x, y = a(env), b(env)
            return x is not None and y is not None and fn(x, y)
        return cmp
    if k == "and":
        a, b = (compile_node(c) for c in node.children)
        return lambda env: bool(a(env)) and bool(b(env))
    if k == "or":
        a, b = (compile_node(c) for c in node.children)
        return lambda env: bool(a(env)) or bool(b(env))
    if k == "not":
        a = compile_node(node.children[0])
        return lambda env: not a(env)
    raise AssertionError(k)


def compile_condition(text: str) -> Compiled:
    return compile_node(parse(text))
