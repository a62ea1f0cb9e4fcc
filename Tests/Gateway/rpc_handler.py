"""/rpc/<function>: overload resolution by argument names and response shapes by return type (§3).

Arguments are bound as one JSON object and converted by PostgreSQL
(`json_to_record(...) AS pgrst_args(p1 type1, ...)`), then passed in named
notation, so strings become uuid/timestamptz/..., numbers int/numeric, JSON
arrays PostgreSQL arrays. The function runs once inside a CTE, so counting and
filtering its rows never calls it twice.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Optional

from psycopg import sql

import sql_render as render
from catalog import Routine
from gateway_errors import ApiError, not_singular, range_error
from rest_request import Preferences, QueryParts
from responses import Response, content_range, json_response, range_header, range_status

JSON_TYPES = {"pg_catalog.json", "pg_catalog.jsonb"}


@dataclass
class RpcCall:
    """A resolved call: the routine, its JSON argument object (or a whole-body JSON argument)."""

    routine: Routine
    arguments_json: Optional[str]
    argument_names: list
    whole_body: bool
    query: QueryParts
    prefs: Preferences
    singular: bool

    @property
    def read_only_for_post(self) -> bool:
        return not self.routine.volatile


def _qualified(schema: str, name: str) -> str:
    return f"{schema}.{name}"


def resolve(routines: list, schema: str, name: str, keys: list, json_post: bool, names_in_schema: list,
            named: bool = True) -> tuple:
    """(routine, whole_body) for the argument keys, or 404 PGRST202 / 300 PGRST203.

    `named` is False when the POST body is not a JSON object: then only a function with a
    single unnamed json/jsonb parameter (which receives the whole body) can match.
    """
    key_set = set(keys)
    named = [r for r in routines if all(a.name for a in r.inputs)] if named else []
    matches = [r for r in named if key_set <= {a.name for a in r.inputs} and r.required <= key_set]
    if len(matches) > 1:
        exact = [r for r in matches if {a.name for a in r.inputs} == key_set]
        matches = exact if len(exact) == 1 else matches
    if len(matches) == 1:
        return matches[0], False
    if len(matches) > 1:
        described = ", ".join(
            f"{_qualified(schema, name)}(" + ", ".join(f"{a.name} => {a.type}" for a in r.inputs) + ")"
            for r in matches
        )
        raise ApiError(300, "PGRST203", f"Could not choose the best candidate function between: {described}",
                       None, "Try renaming the parameters or the function itself in the database so function "
                       "overloading can be resolved")
    if json_post:
        single = [r for r in routines if len(r.inputs) == 1 and not r.inputs[0].name
                  and r.inputs[0].type in JSON_TYPES]
        if len(single) == 1:
            return single[0], True
    function = _qualified(schema, name)
    ordered = sorted(key_set)
    if ordered:
        message = f"Could not find the function {function}({', '.join(ordered)}) in the schema cache"
        searched = " with parameters " + ", ".join(ordered)
    else:
        message = f"Could not find the function {function} without parameters in the schema cache"
        searched = " without parameters"
    if json_post:
        searched += " or with a single unnamed json/jsonb parameter"
    details = f"Searched for the function {function}{searched}, but no matches were found in the schema cache."
    hint = None
    if routines:
        hint = f"Perhaps you meant to call the function {function}({routines[0].signature()})"
    else:
        close = difflib.get_close_matches(name, names_in_schema, n=1)
        if close:
            hint = f"Perhaps you meant to call the function {_qualified(schema, close[0])}"
    raise ApiError(404, "PGRST202", message, details, hint)


def _call_sql(call: RpcCall, params: list) -> tuple:
    """(the arguments' FROM item or None, the function call expression)."""
    routine = call.routine
    name = render.Ident(routine.schema, routine.name)
    if call.whole_body:
        params.append(call.arguments_json)
        return None, sql.SQL("{}(%s::{})").format(name, render.raw(routine.inputs[0].type))
    used = [a for a in routine.inputs if a.name in call.argument_names]
    if not used:
        return None, sql.SQL("{}()").format(name)
    params.append(call.arguments_json)
    definitions = sql.SQL(", ").join(
        sql.SQL("{} {}").format(render.Ident(a.name), render.raw(a.type)) for a in used
    )
    arguments = sql.SQL(", ").join(
        sql.SQL("{}{} := pgrst_args.{}").format(
            sql.SQL("VARIADIC " if a.variadic else ""), render.Ident(a.name), render.Ident(a.name)
        )
        for a in used
    )
    source = sql.SQL("json_to_record(%s::json) AS pgrst_args({})").format(definitions)
    return source, sql.SQL("{}({})").format(name, arguments)


def call_routine(conn, call: RpcCall) -> Response:
    """Run the function and shape the response per §3.2 (void → 204, scalar → bare JSON, sets → arrays)."""
    routine = call.routine
    params: list = []
    source, expression = _call_sql(call, params)
    if routine.return_kind == "record":
        raise ApiError(400, "PGRST100", f"Function {routine.schema}.{routine.name} returns an untyped record",
                       "Functions returning record without OUT parameters are not supported by the test gateway.")
    from_clause = sql.SQL(" FROM {}").format(source) if source is not None else sql.SQL("")
    if routine.return_kind == "void":
        conn.execute(sql.SQL("SELECT {}").format(expression) + from_clause, params).fetchall()
        return Response(204, [])
    if routine.return_kind == "scalar" and not routine.returns_set:
        statement = sql.SQL("SELECT to_json({})::text").format(expression) + from_clause
        body = conn.execute(statement, params).fetchone()[0]
        total = 1 if call.prefs.get("count") else None
        headers = [("Content-Range", content_range(0, 0, total))]
        preference = call.prefs.applied(["count"])
        if preference:
            headers.append(("Preference-Applied", preference))
        return json_response(200, "null" if body is None else body, call.singular, headers)
    return _call_relation(conn, call, source, expression, params)


def _call_relation(conn, call: RpcCall, source, expression, params: list) -> Response:
    """SETOF / composite results: filters, select, order, limit and count apply as on tables."""
    routine = call.routine
    scalar_set = routine.return_kind == "scalar"
    alias = sql.SQL("pgrst_call({})").format(render.Ident(routine.name)) if scalar_set else sql.SQL("pgrst_call")
    arguments = sql.SQL("{}, ").format(source) if source is not None else sql.SQL("")
    cte = sql.SQL("WITH pgrst_source AS (SELECT pgrst_call.* FROM {}LATERAL {} AS {})").format(
        arguments, expression, alias
    )
    target = render.Target(routine.name, routine.columns, render.Ident("pgrst_source"))
    where_params: list = []
    where = render.render_where(call.query.filters, call.query.trees, target, where_params)
    if scalar_set:
        select = render.Ident(routine.name)
        aggregate_item = sql.SQL("_t.{}").format(render.Ident(routine.name))
    else:
        select = render.render_select(call.query.select, target)
        aggregate_item = sql.SQL("_t")
    limit_params: list = []
    inner = sql.SQL("SELECT {} FROM pgrst_source").format(select) + where
    inner += render.render_order(call.query.order, target)
    inner += render.render_limit(call.query.limit, call.query.offset, limit_params)
    single = call.singular or not routine.returns_set
    aggregate = sql.SQL("(json_agg({}) -> 0)::text" if single else "coalesce(json_agg({}), '[]')::text").format(
        aggregate_item
    )
    counting = call.prefs.get("count") is not None and routine.returns_set
    total_sql = sql.SQL("(SELECT count(*) FROM pgrst_source{})").format(where) if counting else sql.SQL("NULL::bigint")
    statement = cte + sql.SQL(" SELECT {}, count(*), {} FROM ({}) _t").format(aggregate, total_sql, inner)
    all_params = params + (list(where_params) if counting else []) + where_params + limit_params
    body, rows, total = conn.execute(statement, all_params).fetchone()
    if not routine.returns_set and call.prefs.get("count"):
        total = rows
    status = range_status(call.query.offset, rows, total)
    if status == 416:
        raise range_error(
            f"An offset of {call.query.offset} was requested, but there are only {total} rows.",
            [("Content-Range", content_range(1, 0, total))],
        )
    if call.singular and rows != 1:
        raise not_singular(rows)
    headers = [range_header(call.query.offset, rows, total)]
    preference = call.prefs.applied(["count"])
    if preference:
        headers.append(("Preference-Applied", preference))
    return json_response(status, "null" if body is None else body, call.singular, headers)


def arguments_from_query(arguments: dict) -> str:
    """GET /rpc arguments as a JSON object of strings (a repeated key becomes an array)."""
    return json.dumps({k: v[0] if len(v) == 1 else v for k, v in arguments.items()})
