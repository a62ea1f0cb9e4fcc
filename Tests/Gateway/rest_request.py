"""The HTTP-level parts of a PostgREST request: query parameters, Prefer, Accept, body.

Pure functions that turn headers, the query string and the body into values the
handlers use, raising ApiError for everything PostgREST rejects before it talks to
the database (reference §1.2, §1.7, §2.1, §2.2, §1.9).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import parse_qsl

import query_grammar as grammar
from gateway_errors import ApiError, invalid_body, parse_error, range_error

PREFERENCE_VALUES = {
    "return": {"minimal", "representation", "headers-only"},
    "count": {"exact", "planned", "estimated"},
    "resolution": {"merge-duplicates", "ignore-duplicates"},
    "missing": {"default", "null"},
    "handling": {"strict", "lenient"},
    "tx": {"commit", "rollback"},
    "params": {"single-object"},
}
#: The order PostgREST lists honoured preferences in Preference-Applied.
APPLIED_ORDER = ["resolution", "missing", "return", "count", "tx", "handling", "timezone", "max-affected"]


@dataclass
class Preferences:
    """Merged `Prefer` headers; for each family the first value wins."""

    values: dict = field(default_factory=dict)
    invalid: list = field(default_factory=list)
    always: set = field(default_factory=set)

    def get(self, family: str) -> Optional[str]:
        return self.values.get(family)

    def applied(self, families: list) -> Optional[str]:
        """The Preference-Applied value for the honoured `families` that were sent."""
        honoured = set(families) | self.always
        items = [f"{f}={self.values[f]}" for f in APPLIED_ORDER if f in honoured and f in self.values]
        return ", ".join(items) if items else None


def parse_prefer(header_values: list) -> Preferences:
    """RFC 7240 lists from every `Prefer` header, merged; unknown items are collected for handling=strict."""
    prefs = Preferences()
    for header in header_values:
        for item in header.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, value = item.partition("=")
            name, value = name.strip().lower(), value.strip()
            if name in prefs.values:
                continue
            if name in PREFERENCE_VALUES and value in PREFERENCE_VALUES[name]:
                prefs.values[name] = value
            elif name == "timezone" and value:
                prefs.values[name] = value
            elif name == "max-affected" and value.isdigit():
                prefs.values[name] = value
            else:
                prefs.invalid.append(item)
    if "handling" in prefs.values:
        prefs.always.add("handling")
    if prefs.get("handling") == "strict" and prefs.invalid:
        raise ApiError(
            400,
            "PGRST122",
            "Invalid preferences given with handling=strict",
            "Invalid preferences: " + ", ".join(prefs.invalid),
        )
    return prefs


def negotiate(accept: Optional[str]) -> bool:
    """True for a singular response (`application/vnd.pgrst.object[+json]`), False for JSON arrays."""
    if accept is None or not accept.strip():
        return False
    ranges = []
    for index, media_range in enumerate(accept.split(",")):
        pieces = [p.strip() for p in media_range.split(";")]
        quality = 1.0
        for param in pieces[1:]:
            if param.lower().startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if pieces[0] and quality > 0:
            ranges.append((-quality, index, pieces[0].lower()))
    for _, _, media in sorted(ranges):
        if media in ("application/json", "*/*", "application/*"):
            return False
        if media in ("application/vnd.pgrst.object+json", "application/vnd.pgrst.object"):
            return True
    requested = ", ".join(media for _, _, media in ranges) or accept.strip()
    raise ApiError(406, "PGRST107", f"None of these media types are available: {requested}")


@dataclass
class Body:
    """A decoded request body: `value` is the parsed JSON (dict/list) and `text` the JSON text to bind."""

    value: object
    text: str


def parse_body(content_type: Optional[str], raw: bytes, allow_empty: bool = False) -> Body:
    """JSON (also when Content-Type is missing) or an HTML form; anything else → 415."""
    media = (content_type or "application/json").split(";")[0].strip().lower()
    if media in ("application/json", "application/vnd.pgrst.object+json", "application/vnd.pgrst.object"):
        if not raw.strip():
            if allow_empty:
                return Body({}, "{}")
            raise invalid_body()
        try:
            text = raw.decode("utf-8")
            value = json.loads(text)
        except (UnicodeDecodeError, ValueError):
            raise invalid_body()
        return Body(value, text)
    if media == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise invalid_body()
        value = dict(pairs)
        return Body(value, json.dumps(value))
    raise ApiError(415, "PGRST107", f"None of these media types are available: {media}")


@dataclass
class QueryParts:
    """The query string split into reserved parameters, filters, logic trees and RPC arguments."""

    select: Optional[list] = None
    columns: Optional[list] = None
    on_conflict: Optional[list] = None
    order: list = field(default_factory=list)
    limit: Optional[int] = None
    offset: int = 0
    filters: list = field(default_factory=list)
    trees: list = field(default_factory=list)
    arguments: dict = field(default_factory=dict)


def _grammar(call, *args):
    try:
        return call(*args)
    except grammar.GrammarError as error:
        raise parse_error(error.message, error.details)
    except grammar.EmbeddingRequested as embed:
        raise ApiError(
            400,
            "PGRST200",
            f"Could not find a relationship for '{embed.relation}' in the schema cache",
            "Resource embedding is not implemented by the test gateway.",
        )


def _filter_column(key: str) -> str:
    if len(key) >= 2 and key.startswith('"') and key.endswith('"'):
        return key[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if "." in key:
        prefix = key.split(".", 1)[0]
        raise ApiError(
            400,
            "PGRST108",
            f"'{prefix}' is not an embedded resource in this request",
            None,
            f"Verify that '{prefix}' is included in the 'select' query parameter.",
        )
    return key


def parse_query(pairs: list, rpc_get: bool = False) -> QueryParts:
    """Split decoded (`+` → space) query pairs; `rpc_get` makes operator-less keys function arguments."""
    parts = QueryParts()
    seen = set()
    for key, value in pairs:
        last = key.rsplit(".", 1)[-1]
        if key in ("select", "columns", "on_conflict"):
            if key in seen:
                continue
            seen.add(key)
            if key == "select":
                parts.select = _grammar(grammar.parse_select, value)
            elif value.strip() == "":
                raise parse_error(f'"failed to parse {key} parameter ()" (line 1, column 1)', "unexpected end of input")
            else:
                names = _grammar(grammar.parse_field_list, value, f"{key} parameter")
                setattr(parts, key, names)
        elif last in grammar.LAST_SEGMENT_RESERVED:
            if "." in key and key not in ("not.and", "not.or"):
                _filter_column(key)
            if last == "order":
                parts.order = _grammar(grammar.parse_order, value)
            elif last == "limit":
                if re.fullmatch(r"-?\d+", value.strip()):
                    parts.limit = int(value)
            elif last == "offset":
                if re.fullmatch(r"-?\d+", value.strip()):
                    parts.offset = max(0, int(value))
            else:
                parts.trees.append(_grammar(grammar.parse_logic, key, value))
        elif rpc_get and not grammar.has_operator(value):
            parts.arguments.setdefault(key, []).append(value)
        else:
            parts.filters.append(_grammar(grammar.parse_filter, _filter_column(key), value))
    if parts.limit is not None and parts.limit < 0:
        raise range_error("Limit should be greater than or equal to zero.")
    return parts


def apply_range_header(parts: QueryParts, range_header: Optional[str]) -> None:
    """Intersect `Range: a-b` (GET only) with limit/offset; `1-0` → 416 PGRST103."""
    if not range_header:
        return
    match = re.fullmatch(r"\s*(\d+)-(\d*)\s*", range_header)
    if not match:
        return
    lower = int(match.group(1))
    upper = int(match.group(2)) if match.group(2) else None
    if upper is not None and lower > upper:
        raise range_error("The lower boundary must be lower than or equal to the upper boundary in the Range header.")
    start = max(lower, parts.offset)
    end = upper
    if parts.limit is not None:
        limit_end = parts.offset + parts.limit - 1
        end = limit_end if end is None else min(end, limit_end)
    parts.offset = start
    parts.limit = None if end is None else max(0, end - start + 1)
