"""Error bodies and the SQLSTATE → HTTP status table (reference §4).

Every PostgREST-shaped error body has exactly the four keys code, details, hint and
message (alphabetical, as PostgREST's encoder writes them). Kong's key-auth errors
in front of `/rest/v1` are the exception: `{"message": ...}` only (§5.1).
"""

from __future__ import annotations

import json
import re
from typing import Optional

import psycopg

JSON_TYPE = "application/json; charset=utf-8"


class ApiError(Exception):
    """An error answered as a PostgREST error body with the given status and extra headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Optional[str] = None,
        hint: Optional[str] = None,
        headers: Optional[list] = None,
    ):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.hint = hint
        self.headers = list(headers or [])

    def body(self) -> bytes:
        return json.dumps(
            {"code": self.code, "details": self.details, "hint": self.hint, "message": self.message},
            separators=(",", ":"),
        ).encode()

    def response_headers(self) -> list:
        return [("Content-Type", JSON_TYPE), ("Proxy-Status", f"PostgREST; error={self.code}")] + self.headers


class KongError(Exception):
    """The API gateway's own 401s (`{"message": ...}` only), answered before PostgREST runs."""

    def __init__(self, message: str, headers: Optional[list] = None):
        super().__init__(message)
        self.message = message
        self.headers = list(headers or [])

    def body(self) -> bytes:
        return json.dumps({"message": self.message}, separators=(",", ":")).encode()


def parse_error(message: str, details: Optional[str]) -> ApiError:
    """400 PGRST100: a query-string parse error."""
    return ApiError(400, "PGRST100", message, details)


def invalid_body(message: str = "Empty or invalid json") -> ApiError:
    """400 PGRST102."""
    return ApiError(400, "PGRST102", message)


def range_error(details: str, headers: Optional[list] = None) -> ApiError:
    """416 PGRST103."""
    return ApiError(416, "PGRST103", "Requested range not satisfiable", details, headers=headers)


def not_singular(rows: int) -> ApiError:
    """406 PGRST116: a singular response was asked for and the statement gave `rows` rows."""
    return ApiError(
        406, "PGRST116", "Cannot coerce the result to a single JSON object", f"The result contains {rows} rows"
    )


def unknown_column(column: str, table: str) -> ApiError:
    """400 PGRST204: a payload or `columns` key that is not a column."""
    return ApiError(400, "PGRST204", f"Could not find the '{column}' column of '{table}' in the schema cache")


def undefined_column(column: str, relation: str) -> ApiError:
    """400 42703, worded as PostgreSQL words it for `relation.column`."""
    return ApiError(400, "42703", f"column {relation}.{column} does not exist")


def database_unavailable(details: Optional[str], code: str = "PGRST000") -> ApiError:
    """503 PGRST000 (connection failed) / PGRST001 (client error), as PostgREST words them."""
    message = (
        "Database connection error. Retrying the connection."
        if code == "PGRST000"
        else "Database client error. Retrying the connection."
    )
    return ApiError(503, code, message, details)


def _status_for_sqlstate(code: str, message: str, anonymous: bool) -> int:
    """mapSQLtoHTTP, evaluated top to bottom (reference §4.2)."""
    if code.startswith("08"):
        return 503
    if code.startswith("09"):
        return 500
    if code[:2] in ("0L", "0P"):
        return 403
    if code in ("23503", "23505"):
        return 409
    if code == "25006":
        return 405
    if code == "21000":
        return 400 if message.endswith("requires a WHERE clause") else 500
    if code == "22023":
        return 401 if re.fullmatch(r'role ".*" does not exist', message) else 400
    if code.startswith("25"):
        return 500
    if code.startswith("28"):
        return 403
    if code[:2] in ("2D", "38", "39", "3B", "40"):
        return 500
    if code == "53400":
        return 500
    if code.startswith("53"):
        return 503
    if code[:2] in ("54", "55"):
        return 500
    if code == "57P01":
        return 503
    if code[:2] in ("57", "58", "F0", "HV", "XX"):
        return 500
    if code == "P0001":
        return 400
    if code.startswith("P0"):
        return 500
    if code == "42883":
        return 406 if message.startswith("function xmlagg(") else 404
    if code == "42P01":
        return 404
    if code == "42P17":
        return 500
    if code == "42501":
        return 401 if anonymous else 403
    if code.startswith("PT"):
        digits = code[2:]
        return int(digits) if digits.isdigit() and 100 <= int(digits) <= 599 else 500
    return 400


def from_database_error(error, anonymous: bool) -> ApiError:
    """A psycopg error → the PostgREST error (SQLSTATE, message, detail, hint passed through)."""
    diag = error.diag
    code = error.sqlstate
    message = diag.message_primary or str(error).strip()
    if not code:
        if isinstance(error, psycopg.OperationalError):
            return database_unavailable(str(error).strip() or None, "PGRST001")
        return ApiError(500, "PGRSTX00", f"Internal gateway error: {str(error).strip()}")
    if code == "PGRST":
        return _custom_pgrst_error(message, diag.message_detail)
    status = _status_for_sqlstate(code, message, anonymous)
    headers = [("WWW-Authenticate", "Bearer")] if status == 401 else []
    return ApiError(status, code, message, diag.message_detail, diag.message_hint, headers)


def _custom_pgrst_error(message: str, detail: Optional[str]) -> ApiError:
    """`RAISE SQLSTATE 'PGRST' USING message = '<json body>', detail = '{"status":…,"headers":{…}}'`."""
    try:
        body = json.loads(message)
        extra = json.loads(detail or "")
        status = int(extra["status"])
        headers = [(str(k), str(v)) for k, v in (extra.get("headers") or {}).items()]
        if not isinstance(body, dict) or not 100 <= status <= 599:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return ApiError(
            500,
            "PGRST121",
            "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error",
            "Invalid JSON value for MESSAGE or DETAIL",
        )
    error = ApiError(
        status,
        str(body.get("code", "")),
        str(body.get("message", "")),
        body.get("details"),
        body.get("hint"),
        headers,
    )
    return error
