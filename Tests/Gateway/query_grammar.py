"""PostgREST's query-string grammar: filters, logic trees, select, order, column lists.

Pure parsing (no database, no HTTP). The rules follow the reference
(`shared/reference/postgrest.md` §1.2-§1.6), which paraphrases PostgREST's
`ApiRequest/QueryParams.hs`:

* top-level simple operators take the rest of the value verbatim;
* `in.(...)` lists and values inside `or=(...)`/`and=(...)` may be double-quoted,
  with `\\x` meaning `x` inside quotes; an unquoted element is any run of
  characters other than `,` and `)`;
* a parse error becomes 400 PGRST100 whose message names the parameter and the
  1-based column of the failure, e.g. `"failed to parse filter (0)" (line 1, column 1)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

#: Operators rendered as `column <sql> value`.
SIMPLE_OPERATORS = {
    "eq": "=",
    "neq": "<>",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "like": "LIKE",
    "ilike": "ILIKE",
    "match": "~",
    "imatch": "~*",
    "isdistinct": "IS DISTINCT FROM",
    "cs": "@>",
    "cd": "<@",
    "ov": "&&",
    "sl": "<<",
    "sr": ">>",
    "nxr": "&<",
    "nxl": "&>",
    "adj": "-|-",
}
#: Operators that accept the `(any)` / `(all)` modifier.
QUANTIFIABLE = {"eq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch"}
#: Full-text operators and the tsquery function each uses.
FTS_OPERATORS = {
    "fts": "to_tsquery",
    "plfts": "plainto_tsquery",
    "phfts": "phraseto_tsquery",
    "wfts": "websearch_to_tsquery",
}
ALL_OPERATORS = set(SIMPLE_OPERATORS) | set(FTS_OPERATORS) | {"in", "is"}
#: Accepted `is` values (case-insensitive) and their SQL.
IS_VALUES = {
    "null": "IS NULL",
    "not_null": "IS NOT NULL",
    "true": "IS TRUE",
    "false": "IS FALSE",
    "unknown": "IS UNKNOWN",
}
#: Query keys that are never filters (besides keys ending in one of LAST_SEGMENT_RESERVED).
RESERVED_KEYS = {"select", "columns", "on_conflict"}
LAST_SEGMENT_RESERVED = {"order", "limit", "offset", "and", "or"}


class GrammarError(Exception):
    """A query-string parse error; the server answers 400 PGRST100 with `message` and `details`."""

    def __init__(self, message: str, details: Optional[str]):
        super().__init__(message)
        self.message = message
        self.details = details


@dataclass(frozen=True)
class OpExpr:
    """`[not.]op[(modifier)].value`: `value` is a str, a list of str (for `in`) or an IS_VALUES key."""

    negated: bool
    operator: str
    value: Union[str, list]
    modifier: Optional[str] = None


@dataclass(frozen=True)
class Filter:
    """One condition on one column."""

    column: str
    expr: OpExpr


@dataclass(frozen=True)
class LogicTree:
    """`[not.]and(...)` / `[not.]or(...)` over filters and nested trees."""

    negated: bool
    operator: str
    children: tuple


@dataclass(frozen=True)
class SelectItem:
    """One `select` entry: `*`, or `[alias:]column[::cast]`."""

    column: Optional[str]
    alias: Optional[str] = None
    cast: Optional[str] = None

    @property
    def is_star(self) -> bool:
        return self.column is None


@dataclass(frozen=True)
class OrderTerm:
    """`column[.asc|.desc][.nullsfirst|.nullslast]`."""

    column: str
    direction: Optional[str] = None
    nulls: Optional[str] = None


class _Cursor:
    """A position in one parameter value, with parsec-like error messages."""

    def __init__(self, text: str, what: str):
        self.text = text
        self.what = what
        self.pos = 0

    def peek(self, offset: int = 0) -> Optional[str]:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def startswith(self, prefix: str) -> bool:
        return self.text.startswith(prefix, self.pos)

    def take(self, prefix: str) -> bool:
        if self.startswith(prefix):
            self.pos += len(prefix)
            return True
        return False

    def skip_spaces(self) -> None:
        while self.peek() is not None and self.peek().isspace():
            self.pos += 1

    def expect(self, char: str, expecting: Optional[str] = None) -> None:
        if not self.take(char):
            self.fail(expecting or f'"{char}"')

    def error(self, expecting: str, char_style: bool = False, at: Optional[int] = None) -> GrammarError:
        position = self.pos if at is None else at
        char = self.text[position] if position < len(self.text) else None
        if char is None:
            unexpected = "end of input"
        elif char_style:
            unexpected = repr(char) if char != "'" else '"\'"'
        else:
            unexpected = '"' + char.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return GrammarError(
            f'"failed to parse {self.what} ({self.text})" (line 1, column {position + 1})',
            f"unexpected {unexpected} expecting {expecting}",
        )

    def fail(self, expecting: str, char_style: bool = False) -> None:
        raise self.error(expecting, char_style)


def _is_name_char(char: Optional[str]) -> bool:
    return char is not None and (char.isalnum() or char in "_ $")


def _parse_quoted(cur: _Cursor) -> str:
    """`"..."` with `\\x` → `x`; the cursor is on the opening quote."""
    cur.expect('"')
    out = []
    while True:
        char = cur.peek()
        if char is None:
            cur.fail('"\\"" or "\\\\"')
        cur.pos += 1
        if char == '"':
            return "".join(out)
        if char == "\\":
            escaped = cur.peek()
            if escaped is None:
                cur.fail("any character")
            cur.pos += 1
            out.append(escaped)
        else:
            out.append(char)


def _parse_field_name(cur: _Cursor) -> str:
    """pFieldName: a double-quoted name, or letters/digits/`_`/`$`/space with inner dashes (not `->`)."""
    if cur.peek() == '"':
        return _parse_quoted(cur)
    start = cur.pos
    while True:
        while _is_name_char(cur.peek()):
            cur.pos += 1
        if cur.peek() == "-" and cur.peek(1) != ">" and _is_name_char(cur.peek(1)) and cur.pos > start:
            cur.pos += 1
            continue
        break
    if cur.pos == start:
        cur.fail("field name (* or [a..z0..9_$])")
    return cur.text[start : cur.pos]


def _parse_list(cur: _Cursor) -> list:
    """pListVal: `( elem, elem )`; elements quoted or runs without `,` and `)`."""
    cur.expect("(")
    cur.skip_spaces()
    elements = []
    quoted_any = False
    while True:
        start = cur.pos
        element = None
        if cur.peek() == '"':
            try:
                value = _parse_quoted(cur)
                if cur.peek() in (",", ")"):
                    element, quoted_any = value, True
                else:
                    cur.pos = start
            except GrammarError:
                cur.pos = start
        if element is None:
            while cur.peek() is not None and cur.peek() not in ",)":
                cur.pos += 1
            element = cur.text[start : cur.pos]
        elements.append(element)
        if cur.take(","):
            continue
        cur.expect(")", '"," or ")"')
        cur.skip_spaces()
        break
    if elements == [""] and not quoted_any:
        return []
    return elements


def _parse_logic_single_value(cur: _Cursor) -> str:
    """pLogicSingleVal: quoted (followed by `,`/`)`), a `{...}` array literal, or a run without `,` `)`."""
    start = cur.pos
    if cur.peek() == '"':
        try:
            value = _parse_quoted(cur)
            if cur.peek() in (",", ")", None):
                return value
        except GrammarError:
            pass
        cur.pos = start
    if cur.peek() == "{":
        end = cur.text.find("}", cur.pos)
        inner = cur.text[cur.pos + 1 : end] if end >= 0 else None
        if end >= 0 and "{" not in inner:
            cur.pos = end + 1
            return cur.text[start : cur.pos]
    while cur.peek() is not None and cur.peek() not in ",)":
        cur.pos += 1
    return cur.text[start : cur.pos]


def _parse_op_expr(cur: _Cursor, in_logic: bool) -> OpExpr:
    """pOpExpr: `[not.]operator[(modifier)].value`."""
    negated = cur.take("not.")
    start = cur.pos
    while cur.peek() is not None and cur.peek().isalpha():
        cur.pos += 1
    operator = cur.text[start : cur.pos]
    if operator not in ALL_OPERATORS:
        raise cur.error('"not" or operator (eq, gt, ...)', at=start)
    modifier = None
    if cur.peek() == "(":
        if operator in QUANTIFIABLE:
            if cur.take("(any)"):
                modifier = "any"
            elif cur.take("(all)"):
                modifier = "all"
            else:
                cur.pos += 1
                cur.fail('"any" or "all"')
        elif operator in FTS_OPERATORS:
            cur.pos += 1
            lang_start = cur.pos
            while cur.peek() is not None and (cur.peek().isalnum() or cur.peek() == "_"):
                cur.pos += 1
            modifier = cur.text[lang_start : cur.pos]
            if not modifier:
                cur.fail("language name")
            cur.expect(")")
        else:
            cur.fail('"."')
    cur.expect(".")
    if operator == "in":
        return OpExpr(negated, operator, _parse_list(cur), modifier)
    if operator == "is":
        value_start = cur.pos
        if in_logic:
            while cur.peek() is not None and cur.peek() not in ",)":
                cur.pos += 1
        else:
            cur.pos = len(cur.text)
        word = cur.text[value_start : cur.pos]
        if word.lower() not in IS_VALUES:
            raise cur.error("null or trilean value (unknown, true, false)", at=value_start)
        return OpExpr(negated, operator, word.lower(), modifier)
    if in_logic:
        value = _parse_logic_single_value(cur)
    else:
        value = cur.text[cur.pos :]
        cur.pos = len(cur.text)
    return OpExpr(negated, operator, value, modifier)


def parse_filter(column: str, value: str) -> Filter:
    """A top-level filter `column=value`; raises GrammarError (PGRST100)."""
    cur = _Cursor(value, "filter")
    expr = _parse_op_expr(cur, in_logic=False)
    if not cur.at_end():
        cur.fail("end of input")
    return Filter(column, expr)


def has_operator(value: str) -> bool:
    """True when `value` starts like a filter (`[not.]op.` or `op(mod).`); used to split GET /rpc args."""
    try:
        cur = _Cursor(value, "filter")
        _parse_op_expr(cur, in_logic=False)
        return True
    except GrammarError:
        return False


def _parse_logic_tree(cur: _Cursor) -> Union[Filter, LogicTree]:
    start = cur.pos
    filter_error = None
    try:
        column = _parse_field_name(cur)
        cur.expect(".")
        return Filter(column, _parse_op_expr(cur, in_logic=True))
    except GrammarError as error:
        filter_error = (cur.pos, error)
        cur.pos = start
    negated = cur.take("not.")
    if cur.take("and"):
        operator = "and"
    elif cur.take("or"):
        operator = "or"
    else:
        if filter_error and filter_error[0] > cur.pos:
            raise filter_error[1]
        cur.fail("logic operator (and, or)")
    if cur.peek() != "(" and filter_error and filter_error[0] > cur.pos:
        raise filter_error[1]
    cur.expect("(")
    cur.skip_spaces()
    children = [_parse_logic_tree(cur)]
    while cur.take(","):
        cur.skip_spaces()
        children.append(_parse_logic_tree(cur))
    cur.expect(")", '"," or ")"')
    cur.skip_spaces()
    return LogicTree(negated, operator, tuple(children))


def parse_logic(key: str, value: str) -> LogicTree:
    """`or=(...)`, `and=(...)`, `not.or=(...)`: the key's operator is prefixed to the value."""
    text = key + value
    cur = _Cursor(text, "logic tree")
    if not (key in ("and", "or", "not.and", "not.or")):
        cur.fail("logic operator (and, or)")
    tree = _parse_logic_tree(cur)
    if not isinstance(tree, LogicTree):
        cur.fail("logic operator (and, or)")
    if not cur.at_end():
        cur.fail("end of input")
    return tree


def parse_select(value: str) -> list:
    """`select`: `*`, `col`, `alias:col`, `col::cast`; embedding and JSON paths are rejected."""
    cur = _Cursor(value, "select parameter")
    items = []
    if value.strip() == "":
        return items
    while True:
        cur.skip_spaces()
        if cur.take("*"):
            items.append(SelectItem(None))
        else:
            if cur.startswith("..."):
                raise GrammarError(
                    f'"failed to parse select parameter ({value})" (line 1, column {cur.pos + 1})',
                    "spread embedding (...) is not supported by the test gateway",
                )
            name = _parse_field_name(cur).strip()
            alias = None
            if cur.peek() == ":" and cur.peek(1) != ":":
                cur.pos += 1
                cur.skip_spaces()
                alias, name = name, _parse_field_name(cur).strip()
            if cur.peek() == "(" or cur.startswith("!"):
                raise EmbeddingRequested(name)
            if cur.startswith("->"):
                raise GrammarError(
                    f'"failed to parse select parameter ({value})" (line 1, column {cur.pos + 1})',
                    "JSON paths (->, ->>) are not supported by the test gateway",
                )
            cast = None
            if cur.take("::"):
                cast_start = cur.pos
                while cur.peek() is not None and (cur.peek().isalnum() or cur.peek() == "_"):
                    cur.pos += 1
                cast = cur.text[cast_start : cur.pos]
                if not cast:
                    cur.fail("cast type name")
            items.append(SelectItem(name, alias, cast))
        cur.skip_spaces()
        if cur.at_end():
            return items
        cur.expect(",", '"," or end of input')


class EmbeddingRequested(Exception):
    """`select=rel(cols)`: resource embedding, which the gateway does not implement (PGRST200)."""

    def __init__(self, relation: str):
        super().__init__(relation)
        self.relation = relation


def parse_order(value: str) -> list:
    """`order=term[,term...]`, term = `column[.asc|.desc][.nullsfirst|.nullslast]`."""
    cur = _Cursor(value, "order")
    terms = []
    while True:
        cur.skip_spaces()
        column = _parse_field_name(cur).strip()
        direction = None
        nulls = None
        if cur.take(".asc"):
            direction = "asc"
        elif cur.take(".desc"):
            direction = "desc"
        if cur.take(".nullsfirst"):
            nulls = "first"
        elif cur.take(".nullslast"):
            nulls = "last"
        if cur.startswith("->"):
            raise GrammarError(
                f'"failed to parse order ({value})" (line 1, column {cur.pos + 1})',
                "JSON paths (->, ->>) are not supported by the test gateway",
            )
        terms.append(OrderTerm(column, direction, nulls))
        cur.skip_spaces()
        if cur.at_end():
            return terms
        if not cur.take(","):
            cur.fail('"," or end of input', char_style=True)


def parse_field_list(value: str, what: str) -> list:
    """`columns=` / `on_conflict=`: a non-empty comma list of (optionally quoted) names."""
    cur = _Cursor(value, what)
    names = []
    while True:
        cur.skip_spaces()
        names.append(_parse_field_name(cur).strip())
        cur.skip_spaces()
        if cur.at_end():
            return names
        cur.expect(",", '"," or end of input')


def is_reserved_key(key: str) -> bool:
    """Keys that are not filters: select, columns, on_conflict, and `…order/limit/offset/and/or`."""
    return key in RESERVED_KEYS or key.rsplit(".", 1)[-1] in LAST_SEGMENT_RESERVED


def build_array_literal(elements: list) -> str:
    """A PostgreSQL array literal with every element quoted (pgBuildArrayLiteral)."""
    quoted = ['"' + e.replace("\\", "\\\\").replace('"', '\\"') + '"' for e in elements]
    return "{" + ",".join(quoted) + "}"
