"""The PostgREST side of the gateway: one `/rest/v1/...` request in, one Response out.

Order of checks (as Kong and PostgREST apply them): apikey → JWT → path and method
→ profile → Accept → Prefer → query string; then one transaction per request:
`BEGIN [READ ONLY]`, the request settings (search_path, role, request.jwt.claims,
request.method, request.path, request.headers), the statement, COMMIT (ROLLBACK on
any error, including a singular response that matched ≠ 1 row).
"""

from __future__ import annotations

import json
import traceback
from typing import Optional
from urllib.parse import parse_qsl, unquote

import psycopg

import catalog
import rest_request as rr
import rpc_handler
import table_handlers
from auth import Authenticator, Identity
from databases import DatabaseRegistry
from gateway_errors import ApiError, KongError, JSON_TYPE, from_database_error
from responses import Response

TABLE_METHODS = {"GET", "HEAD", "POST", "PATCH", "DELETE"}
RPC_METHODS = {"GET", "HEAD", "POST"}


def _error_response(error: ApiError) -> Response:
    return Response(error.status, error.response_headers(), error.body())


class RestApp:
    """Answers PostgREST requests against the databases of a DatabaseRegistry."""

    def __init__(self, registry: DatabaseRegistry, authenticator: Authenticator, schemas: list,
                 extra_search_path: Optional[list] = None, log=None, max_rows: Optional[int] = None):
        self.registry = registry
        self.max_rows = max_rows
        self.auth = authenticator
        self.schemas = schemas
        self.extra_search_path = [s for s in (extra_search_path or []) if s]
        self.log = log

    def handle(self, method: str, database: str, path: str, query: str, headers, body: bytes) -> Response:
        """`path` is what follows `/rest/v1` (e.g. `/agents`, `/rpc/claim_call`)."""
        try:
            pairs = parse_qsl(query, keep_blank_values=True)
            pairs = self.auth.check_api_key(headers, pairs)
            identity = self.auth.authenticate(headers)
            return self._dispatch(method, database, path, pairs, headers, body, identity)
        except KongError as error:
            return Response(401, [("Content-Type", JSON_TYPE)] + error.headers, error.body())
        except ApiError as error:
            return _error_response(error)
        except psycopg.Error as error:  # outside the transaction: catalog lookups, a connection that died
            return _error_response(from_database_error(error, anonymous=False))
        except Exception as error:  # a gateway bug: answer like PostgREST's internal error, and say why
            if self.log:
                self.log(traceback.format_exc())
            return _error_response(ApiError(500, "PGRSTX00", f"Internal gateway error: {error!r}"))

    def _dispatch(self, method, database, path, pairs, headers, body, identity: Identity) -> Response:
        segments = [unquote(s) for s in path.split("/")[1:]]
        if segments and segments[-1] == "" and len(segments) > 1:
            segments = segments[:-1]
        if not segments or segments == [""] or len(segments) > 2 or (len(segments) == 2 and segments[0] != "rpc"):
            raise ApiError(404, "PGRST125", "Invalid path specified in request URL")
        is_rpc = len(segments) == 2
        name = segments[-1]
        allowed = RPC_METHODS if is_rpc else TABLE_METHODS
        if method == "OPTIONS":
            return Response(200, [("Allow", "OPTIONS," + ",".join(sorted(allowed)))])
        if method not in allowed:
            if is_rpc:
                raise ApiError(405, "PGRST101", f"Cannot use the {method} method on RPC")
            details = "PUT is not implemented by the test gateway" if method == "PUT" else None
            raise ApiError(405, "PGRST117", f"Unsupported HTTP method: {method}", details)
        schema, echo_profile = self._schema(method, headers)
        singular = rr.negotiate(headers.get("Accept"))
        prefs = rr.parse_prefer(headers.get_all("Prefer") or [])
        query = rr.parse_query(pairs, rpc_get=is_rpc and method in ("GET", "HEAD"))
        if method in ("GET", "HEAD"):
            rr.apply_range_header(query, headers.get("Range"))
        with self.registry.database(database).connection() as conn:
            if is_rpc:
                prepared = self._prepare_rpc(conn, method, schema, name, query, prefs, singular, headers, body)
                read_only = method in ("GET", "HEAD") or prepared.read_only_for_post
                work = lambda: rpc_handler.call_routine(conn, prepared)  # noqa: E731
            else:
                call = self._prepare_table(conn, method, schema, name, query, prefs, singular, headers, body)
                read_only = method in ("GET", "HEAD")
                handler = {
                    "GET": table_handlers.read,
                    "HEAD": table_handlers.read,
                    "POST": table_handlers.insert,
                    "PATCH": table_handlers.update,
                    "DELETE": table_handlers.delete,
                }[method]
                work = lambda: handler(conn, call)  # noqa: E731
            response = self._transaction(conn, read_only, identity, schema, method, "/" + "/".join(segments),
                                         headers, prefs, work)
        if method == "HEAD":
            if response.status != 204:
                response.headers.append(("Content-Length", str(len(response.body))))
            response.body = b""
        if echo_profile:
            response.headers.append(("Content-Profile", schema))
        return response

    def _schema(self, method: str, headers) -> tuple:
        """(schema, echo Content-Profile?) from Accept-Profile (GET/HEAD) or Content-Profile (others)."""
        header = "Accept-Profile" if method in ("GET", "HEAD") else "Content-Profile"
        value = headers.get(header)
        if value is None:
            return self.schemas[0], len(self.schemas) > 1
        if value not in self.schemas:
            raise ApiError(406, "PGRST106", f"Invalid schema: {value}", None,
                           "Only the following schemas are exposed: " + ", ".join(self.schemas))
        return value, True

    def _prepare_table(self, conn, method, schema, name, query, prefs, singular, headers, body):
        relation = catalog.load_relation(conn, schema, name)
        parsed = None
        if method in ("POST", "PATCH"):
            parsed = rr.parse_body(headers.get("Content-Type"), body)
        return table_handlers.TableCall(relation, query, prefs, singular, method == "HEAD", parsed, self.max_rows)

    def _prepare_rpc(self, conn, method, schema, name, query, prefs, singular, headers, body):
        routines = catalog.load_routines(conn, schema, name)
        names = [] if routines else catalog.routine_names(conn, schema)
        if method != "POST":
            keys = list(query.arguments)
            routine, _ = rpc_handler.resolve(routines, schema, name, keys, False, names)
            text = rpc_handler.arguments_from_query(query.arguments)
            return rpc_handler.RpcCall(routine, text, keys, False, query, prefs, singular)
        parsed = rr.parse_body(headers.get("Content-Type"), body, allow_empty=True)
        media = (headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()
        json_post = media != "application/x-www-form-urlencoded"
        value, text = parsed.value, parsed.text
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value, text = value[0], json.dumps(value[0])
        elif not isinstance(value, dict):
            value = None  # a scalar or array body can only be the single unnamed json/jsonb argument
        keys = list(value) if value is not None else []
        routine, whole = rpc_handler.resolve(routines, schema, name, keys, json_post, names,
                                             named=value is not None)
        if whole:
            text = parsed.text
        return rpc_handler.RpcCall(routine, text, keys, whole, query, prefs, singular)

    def _transaction(self, conn, read_only, identity: Identity, schema, method, path, headers, prefs, work):
        path_schemas = [schema] + [s for s in self.extra_search_path if s != schema]
        search_path = ", ".join('"' + s.replace('"', '""') + '"' for s in path_schemas)
        header_json = json.dumps({k.lower(): v for k, v in headers.items()})
        timezone = prefs.get("timezone")
        try:
            if timezone is not None:
                valid = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = %s)",
                                     [timezone]).fetchone()[0]
                if valid:
                    prefs.always.add("timezone")
                else:
                    prefs.values.pop("timezone")
                    timezone = None
            conn.execute("BEGIN READ ONLY" if read_only else "BEGIN")
            conn.execute(
                "SELECT set_config('search_path', %s, true), set_config('request.jwt.claims', %s, true),"
                " set_config('request.jwt.claim.role', %s, true), set_config('request.jwt.claim.sub', %s, true),"
                " set_config('request.method', %s, true), set_config('request.path', %s, true),"
                " set_config('request.headers', %s, true), set_config('timezone', coalesce(%s, current_setting('timezone')), true),"
                " set_config('role', %s, true)",
                [search_path, identity.claims_json(), identity.role, str(identity.claims.get("sub", "")),
                 method, path, header_json, timezone, identity.role],
            )
            response = work()
            conn.execute("COMMIT")
            return response
        except psycopg.Error as error:
            self._rollback(conn)
            raise from_database_error(error, identity.anonymous)
        except BaseException:
            self._rollback(conn)
            raise

    @staticmethod
    def _rollback(conn):
        try:
            if not conn.closed:
                conn.execute("ROLLBACK")
        except psycopg.Error:
            pass
