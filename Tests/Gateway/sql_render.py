"""Render parsed filters, select lists and orderings as psycopg SQL compositions.

Identifiers are checked against the catalog (unknown → 400 42703) and always quoted
with sql.Identifier; every value is a bound parameter. Parameters are sent as
psycopg `str`, i.e. with the `unknown` type, so PostgreSQL coerces them to the
column's type exactly as PostgREST's untyped literals are (reference §1.3).
"""

from __future__ import annotations

from psycopg import sql

import query_grammar as grammar
from gateway_errors import undefined_column


class Ident(sql.Identifier):
    """sql.Identifier whose `%` survive psycopg's placeholder parsing (doubled; every statement has params)."""

    def as_bytes(self, context=None) -> bytes:
        return super().as_bytes(context).replace(b"%", b"%%")


def raw(text: str) -> sql.SQL:
    """Trusted SQL text from the catalog (type names, DEFAULT expressions), `%` doubled likewise."""
    return sql.SQL(text.replace("%", "%%"))


def text_literal(text: str) -> sql.SQL:
    """A standard-conforming string literal (for names that are keys of a JSON object in SQL)."""
    return raw("'" + text.replace("'", "''") + "'")


class Target:
    """Something rows are read from: its columns, a label for errors, and how to qualify a column."""

    def __init__(self, label: str, columns: dict, qualifier: sql.Composable):
        self.label = label
        self.columns = columns
        self.qualifier = qualifier

    def ref(self, column: str) -> sql.Composable:
        if column not in self.columns:
            raise undefined_column(column, self.label)
        return sql.SQL("{}.{}").format(self.qualifier, Ident(column))


def _render_filter(node: grammar.Filter, target: Target, params: list) -> sql.Composable:
    column = target.ref(node.column)
    expr = node.expr
    if expr.operator == "is":
        condition = sql.SQL("{} " + grammar.IS_VALUES[expr.value]).format(column)
    elif expr.operator == "in":
        params.append(grammar.build_array_literal(expr.value))
        condition = sql.SQL("{} = ANY(%s)").format(column)
    elif expr.operator in grammar.FTS_OPERATORS:
        function = sql.SQL(grammar.FTS_OPERATORS[expr.operator])
        is_vector = target.columns[node.column].typname == "tsvector"
        if expr.modifier:
            vector = column if is_vector else sql.SQL("to_tsvector(%s::regconfig, {})").format(column)
            if not is_vector:
                params.append(expr.modifier)
            params.extend([expr.modifier, expr.value])
            condition = sql.SQL("{} @@ {}(%s::regconfig, %s)").format(vector, function)
        else:
            vector = column if is_vector else sql.SQL("to_tsvector({})").format(column)
            params.append(expr.value)
            condition = sql.SQL("{} @@ {}(%s)").format(vector, function)
    else:
        operator = sql.SQL(grammar.SIMPLE_OPERATORS[expr.operator])
        value = expr.value
        if expr.operator in ("like", "ilike"):
            value = value.replace("*", "%")
        params.append(value)
        if expr.modifier:
            quantifier = sql.SQL("ANY" if expr.modifier == "any" else "ALL")
            condition = sql.SQL("{} {} {}(%s)").format(column, operator, quantifier)
        else:
            condition = sql.SQL("{} {} %s").format(column, operator)
    return sql.SQL("NOT ({})").format(condition) if expr.negated else condition


def _render_node(node, target: Target, params: list) -> sql.Composable:
    if isinstance(node, grammar.Filter):
        return _render_filter(node, target, params)
    joiner = sql.SQL(" AND " if node.operator == "and" else " OR ")
    inner = sql.SQL("({})").format(joiner.join(_render_node(child, target, params) for child in node.children))
    return sql.SQL("NOT {}").format(inner) if node.negated else inner


def render_where(filters: list, trees: list, target: Target, params: list) -> sql.Composable:
    """` WHERE a AND b ...` (or nothing); appends the bound values to `params` in order."""
    conditions = [_render_node(node, target, params) for node in list(filters) + list(trees)]
    if not conditions:
        return sql.SQL("")
    return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(conditions)


def render_select(items, target: Target) -> sql.Composable:
    """The select list; `None` means `*`. Casts come from the grammar (letters, digits, `_` only)."""
    if items is None:
        items = [grammar.SelectItem(None)]
    parts = []
    for item in items:
        if item.is_star:
            parts.append(sql.SQL("{}.*").format(target.qualifier))
            continue
        expr = target.ref(item.column)
        if item.cast:
            expr = sql.SQL("CAST({} AS {})").format(expr, sql.SQL(item.cast))
        if item.alias or item.cast:
            expr = sql.SQL("{} AS {}").format(expr, Ident(item.alias or item.column))
        parts.append(expr)
    return sql.SQL(", ").join(parts)


def render_order(terms: list, target: Target) -> sql.Composable:
    """` ORDER BY col ASC NULLS FIRST, ...` (or nothing)."""
    if not terms:
        return sql.SQL("")
    rendered = []
    for term in terms:
        piece = target.ref(term.column)
        if term.direction:
            piece = sql.SQL("{} {}").format(piece, sql.SQL(term.direction.upper()))
        if term.nulls:
            piece = sql.SQL("{} NULLS {}").format(piece, sql.SQL(term.nulls.upper()))
        rendered.append(piece)
    return sql.SQL(" ORDER BY ") + sql.SQL(", ").join(rendered)


def render_limit(limit, offset: int, params: list) -> sql.Composable:
    """` LIMIT %s OFFSET %s` (a NULL limit means no limit)."""
    params.extend([limit, offset])
    return sql.SQL(" LIMIT %s OFFSET %s")
