"""The Response value handlers return, and PostgREST's Content-Range / range-status rules (§1.7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from gateway_errors import JSON_TYPE

SINGULAR_TYPE = "application/vnd.pgrst.object+json; charset=utf-8"


@dataclass
class Response:
    """Status, headers (name, value pairs) and body bytes; `close` drops the connection after answering."""

    status: int
    headers: list = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> Optional[str]:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def json_response(status: int, body: str, singular: bool = False, headers: Optional[list] = None) -> Response:
    """A JSON (or singular-object) response."""
    content_type = SINGULAR_TYPE if singular else JSON_TYPE
    return Response(status, [("Content-Type", content_type)] + list(headers or []), body.encode())


def content_range(lower: int, upper: int, total: Optional[int]) -> str:
    """contentRangeH: `lower-upper/total`, `*` for an empty range or a zero total."""
    in_range = lower <= upper and total != 0
    range_part = f"{lower}-{upper}" if in_range else "*"
    total_part = "*" if total is None else str(total)
    return f"{range_part}/{total_part}"


def range_status(offset: int, rows: int, total: Optional[int]) -> int:
    """rangeStatusHeader's status: 200, 206 (partial page of a known total) or 416 (offset past total)."""
    if total is None:
        return 200
    upper = offset + rows - 1
    if offset > total:
        return 416
    if (1 + upper - offset) < total:
        return 206
    return 200


def range_header(offset: int, rows: int, total: Optional[int]) -> tuple:
    """The Content-Range header for a read of `rows` rows starting at `offset`."""
    return ("Content-Range", content_range(offset, offset + rows - 1, total))
