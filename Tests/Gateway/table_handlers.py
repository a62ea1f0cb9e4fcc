"""GET/HEAD, POST (insert and upsert), PATCH and DELETE on a relation (reference §1, §2).

Each handler runs inside the request's transaction (opened by the caller) and
returns a Response; raising ApiError rolls the transaction back, which is how a
singular request that matched ≠ 1 row undoes its write (§1.9).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from psycopg import sql

import sql_render as render
from catalog import Relation
from gateway_errors import ApiError, invalid_body, not_singular, range_error, unknown_column
from rest_request import Body, Preferences, QueryParts
from responses import Response, content_range, json_response, range_header, range_status


@dataclass
class TableCall:
    """Everything a table handler needs besides the connection."""

    relation: Relation
    query: QueryParts
    prefs: Preferences
    singular: bool
    head: bool = False
    body: Optional[Body] = None
    max_rows: Optional[int] = None  # PostgREST's db-max-rows: reads return no more, whatever the limit

    @property
    def read_limit(self) -> Optional[int]:
        """The request's limit, capped at max_rows as PostgREST caps it."""
        if self.max_rows is None:
            return self.query.limit
        return self.max_rows if self.query.limit is None else min(self.query.limit, self.max_rows)

    @property
    def name(self) -> sql.Composable:
        return render.Ident(self.relation.schema, self.relation.name)

    def counting(self) -> bool:
        return self.prefs.get("count") is not None


def _body_columns(call: TableCall, body: Body, allow_array_first: bool) -> tuple:
    """(rows as JSON-array SQL, column names) for a payload; checks uniform keys and known columns."""
    value = body.value
    if isinstance(value, dict):
        payload = sql.SQL("json_build_array(%s::json)")
        rows = [value]
    elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
        payload = sql.SQL("%s::json")
        rows = value
        if allow_array_first:
            payload = sql.SQL("json_build_array(%s::json -> 0)") if rows else sql.SQL("%s::json")
            rows = rows[:1]
    else:
        raise invalid_body()
    if call.query.columns is not None:
        columns = call.query.columns
    else:
        columns = list(rows[0].keys()) if rows else []
        keys = set(columns)
        if any(set(row.keys()) != keys for row in rows):
            raise invalid_body("All object keys must match")
    for column in columns:
        if column not in call.relation.columns:
            raise unknown_column(column, call.relation.name)
    return payload, columns


def _with_defaults(call: TableCall, payload: sql.Composable, columns: list) -> sql.Composable:
    """Prefer: missing=default — merge each object over a JSON object of the columns' DEFAULTs."""
    if call.prefs.get("missing") != "default":
        return payload
    defaults = [
        sql.SQL("{}, {}").format(render.text_literal(name), render.raw(call.relation.columns[name].default))
        for name in columns
        if call.relation.columns[name].default
    ]
    if not defaults:
        return payload
    return sql.SQL(
        "(SELECT coalesce(json_agg(jsonb_build_object({}) || pgrst_elem), '[]')::json"
        " FROM jsonb_array_elements(({})::jsonb) pgrst_elem)"
    ).format(sql.SQL(", ").join(defaults), payload)


def _representation(call: TableCall, params: list) -> sql.Composable:
    """The JSON text of the written rows shaped by `select` (an object when singular)."""
    target = render.Target(call.relation.name, call.relation.columns, render.Ident("pgrst_source"))
    select = render.render_select(call.query.select, target)
    aggregate = "(json_agg(_t) -> 0)::text" if call.singular else "coalesce(json_agg(_t), '[]')::text"
    return sql.SQL("(SELECT " + aggregate + " FROM (SELECT {} FROM pgrst_source) _t)").format(select)


def _mutation_result(conn, mutation: sql.Composable, params: list, call: TableCall, with_body: bool,
                     track_inserted: bool) -> tuple:
    """Run `WITH pgrst_mutation AS (...)`; returns (rows, inserted rows, body text or None, first row)."""
    body_params: list = []
    body_sql = _representation(call, body_params) if with_body else sql.SQL("NULL::text")
    inserted = sql.SQL("(SELECT count(*) FROM pgrst_mutation WHERE pgrst_inserted)") if track_inserted \
        else sql.SQL("(SELECT count(*) FROM pgrst_mutation)")
    statement = sql.SQL(
        "WITH pgrst_mutation AS ({mutation}),"
        " pgrst_source AS (SELECT (pgrst_row).* FROM pgrst_mutation)"
        " SELECT (SELECT count(*) FROM pgrst_mutation), {inserted}, {body},"
        " (SELECT row_to_json(pgrst_source)::text FROM pgrst_source LIMIT 1)"
    ).format(mutation=mutation, inserted=inserted, body=body_sql)
    rows, inserted_rows, body, first = conn.execute(statement, params + body_params).fetchone()
    return rows, inserted_rows, body, first


def _check_singular(call: TableCall, rows: int) -> None:
    if call.singular and rows != 1:
        raise not_singular(rows)


def _check_max_affected(call: TableCall, rows: int) -> list:
    """Prefer: max-affected=n with handling=strict → 400 PGRST124 (rolled back) above n rows."""
    limit = call.prefs.get("max-affected")
    if limit is None or call.prefs.get("handling") != "strict":
        return []
    if rows > int(limit):
        raise ApiError(400, "PGRST124", "Query result exceeds max-affected preference constraint",
                       f"The query affects {rows} rows")
    return ["handling", "max-affected"]


def _write_response(call: TableCall, status: int, minimal_status: int, body: Optional[str], range_value: str,
                    applied: list, extra: Optional[list] = None) -> Response:
    headers = [("Content-Range", range_value)]
    preference = call.prefs.applied(applied)
    if preference:
        headers.append(("Preference-Applied", preference))
    headers.extend(extra or [])
    if call.prefs.get("return") == "representation":
        return json_response(status, body if body is not None else "null", call.singular, headers)
    if minimal_status == 204:
        return Response(204, headers)
    return Response(minimal_status, headers)


def read(conn, call: TableCall) -> Response:
    """GET/HEAD: filtered, ordered, paginated rows; Content-Range and count rules of §1.7."""
    target = render.Target(call.relation.name, call.relation.columns, call.name)
    params: list = []
    where = render.render_where(call.query.filters, call.query.trees, target, params)
    where_params = list(params)
    inner = sql.SQL("SELECT {} FROM {}").format(render.render_select(call.query.select, target), call.name)
    inner = inner + where + render.render_order(call.query.order, target)
    inner = inner + render.render_limit(call.read_limit, call.query.offset, params)
    aggregate = "(json_agg(_t) -> 0)::text" if call.singular else "coalesce(json_agg(_t), '[]')::text"
    statement = sql.SQL("SELECT " + aggregate + ", count(*) FROM ({}) _t").format(inner)
    body, rows = conn.execute(statement, params).fetchone()
    total = None
    if call.counting():
        count_sql = sql.SQL("SELECT count(*) FROM {}").format(call.name) + where
        total = conn.execute(count_sql, where_params).fetchone()[0]
    status = range_status(call.query.offset, rows, total)
    if status == 416:
        raise range_error(
            f"An offset of {call.query.offset} was requested, but there are only {total} rows.",
            [("Content-Range", content_range(1, 0, total))],
        )
    _check_singular(call, rows)
    headers = [range_header(call.query.offset, rows, total)]
    preference = call.prefs.applied(["count"])
    if preference:
        headers.append(("Preference-Applied", preference))
    return json_response(status, body, call.singular, headers)


def insert(conn, call: TableCall) -> Response:
    """POST: insert or upsert (resolution + on_conflict / primary key); statuses of §2.2-§2.3."""
    payload, columns = _body_columns(call, call.body, allow_array_first=False)
    payload = _with_defaults(call, payload, columns)
    resolution = call.prefs.get("resolution")
    conflict = call.query.on_conflict or call.relation.primary_key
    if resolution and not conflict:
        resolution = None
    for column in call.query.on_conflict or []:
        if column not in call.relation.columns:
            raise unknown_column(column, call.relation.name)
    identifiers = sql.SQL(", ").join(render.Ident(c) for c in columns)
    column_list = sql.SQL(" ({})").format(identifiers) if columns else sql.SQL("")
    mutation = sql.SQL(
        "INSERT INTO {} AS pgrst_target{} SELECT {} FROM json_populate_recordset(NULL::{}, {}) pgrst_body"
    ).format(call.name, column_list, identifiers, call.name, payload)
    if resolution:
        target = sql.SQL(", ").join(render.Ident(c) for c in conflict)
        if resolution == "merge-duplicates" and columns:
            updates = sql.SQL(", ").join(
                sql.SQL("{} = EXCLUDED.{}").format(render.Ident(c), render.Ident(c)) for c in columns
            )
            mutation += sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(target, updates)
        else:
            mutation += sql.SQL(" ON CONFLICT ({}) DO NOTHING").format(target)
    track = call.relation.kind in ("r", "p")
    flag = "(pgrst_target.xmax = 0)" if track else "true"
    mutation += sql.SQL(" RETURNING pgrst_target AS pgrst_row, " + flag + " AS pgrst_inserted")
    representation = call.prefs.get("return") == "representation"
    rows, inserted, body, first = _mutation_result(conn, mutation, [call.body.text], call, representation, track)
    _check_singular(call, rows)
    status = 201
    if resolution == "merge-duplicates" and inserted == 0:
        status = 200
    applied = ["return", "count"] + (["missing"] if call.prefs.get("missing") else [])
    if resolution:
        applied.append("resolution")
    extra = []
    if call.prefs.get("return") == "headers-only" and rows == 1 and call.relation.primary_key and first:
        row = json.loads(first)
        query = "&".join(f"{pk}=eq.{_location_value(row.get(pk))}" for pk in call.relation.primary_key)
        extra.append(("Location", f"/{call.relation.name}?{query}"))
    total = rows if call.counting() else None
    return _write_response(call, status, status, body, content_range(1, 0, total), applied, extra)


def _location_value(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def update(conn, call: TableCall) -> Response:
    """PATCH: SET the payload's columns on every row the filters match (§2.4)."""
    payload, columns = _body_columns(call, call.body, allow_array_first=True)
    applied = ["return", "count"] + (["missing"] if call.prefs.get("missing") else [])
    if not columns:
        _check_singular(call, 0)
        return _write_response(call, 200, 204, "[]" if not call.singular else "null",
                               content_range(1, 0, 0 if call.counting() else None), applied)
    payload = _with_defaults(call, payload, columns)
    target = render.Target(call.relation.name, call.relation.columns, render.Ident("pgrst_target"))
    params = [call.body.text]
    where = render.render_where(call.query.filters, call.query.trees, target, params)
    updates = sql.SQL(", ").join(
        sql.SQL("{} = pgrst_body.{}").format(render.Ident(c), render.Ident(c)) for c in columns
    )
    mutation = sql.SQL(
        "UPDATE {} AS pgrst_target SET {} FROM (SELECT * FROM json_populate_record(NULL::{}, ({}) -> 0)) pgrst_body"
    ).format(call.name, updates, call.name, payload)
    mutation += where + sql.SQL(" RETURNING pgrst_target AS pgrst_row, true AS pgrst_inserted")
    representation = call.prefs.get("return") == "representation"
    rows, _, body, _ = _mutation_result(conn, mutation, params, call, representation, False)
    _check_singular(call, rows)
    applied += _check_max_affected(call, rows)
    total = rows if call.counting() else None
    return _write_response(call, 200, 204, body, content_range(0, rows - 1, total), applied)


def delete(conn, call: TableCall) -> Response:
    """DELETE: remove every row the filters match (§2.5)."""
    target = render.Target(call.relation.name, call.relation.columns, render.Ident("pgrst_target"))
    params: list = []
    where = render.render_where(call.query.filters, call.query.trees, target, params)
    mutation = sql.SQL("DELETE FROM {} AS pgrst_target").format(call.name) + where
    mutation += sql.SQL(" RETURNING pgrst_target AS pgrst_row, true AS pgrst_inserted")
    representation = call.prefs.get("return") == "representation"
    rows, _, body, _ = _mutation_result(conn, mutation, params, call, representation, False)
    _check_singular(call, rows)
    applied = ["return", "count"] + _check_max_affected(call, rows)
    total = rows if call.counting() else None
    return _write_response(call, 200, 204, body, content_range(1, 0, total), applied)
