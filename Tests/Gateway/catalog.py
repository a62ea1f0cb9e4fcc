"""Live catalog lookups: relations, their columns and primary keys, and functions.

PostgREST answers from a schema cache reloaded on demand; the gateway reads
pg_catalog on every request instead, so tables and functions created by a test a
moment earlier are always visible (reference §3.3, last bullet). pg_catalog (unlike
information_schema) does not filter by privilege, so lookups give the same answer
for every role; privileges are enforced by PostgreSQL when the statement runs.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Optional

from gateway_errors import ApiError

_RELATION_SQL = """
SELECT c.relkind,
  coalesce((
    SELECT json_agg(json_build_object(
        'name', a.attname,
        'type', format('%%I.%%I', tn.nspname, t.typname),
        'typname', t.typname,
        'generated', a.attgenerated <> '',
        'default', CASE
            WHEN a.attidentity <> '' THEN format('nextval(%%L::regclass)',
                pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname), a.attname))
            WHEN a.attgenerated <> '' THEN NULL
            ELSE pg_get_expr(d.adbin, d.adrelid) END
      ) ORDER BY a.attnum)
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    JOIN pg_namespace tn ON tn.oid = t.typnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'),
  coalesce((
    SELECT array_agg(a.attname ORDER BY array_position(i.indkey::int2[], a.attnum))
    FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey::int2[])
    WHERE i.indrelid = c.oid AND i.indisprimary), '{}')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
"""

_RELATION_NAMES_SQL = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
"""

_ROUTINES_SQL = """
SELECT p.oid, p.proname, p.provolatile, p.proretset, p.pronargs, p.pronargdefaults,
  coalesce(p.proargnames, '{}'::text[]),
  coalesce(p.proargmodes::text[], '{}'::text[]),
  ARRAY(SELECT format('%%I.%%I', tn.nspname, t.typname)
        FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(oid, i)
        JOIN pg_type t ON t.oid = u.oid JOIN pg_namespace tn ON tn.oid = t.typnamespace
        ORDER BY u.i),
  rt.typname, rt.typtype, format('%%I.%%I', rtn.nspname, rt.typname),
  coalesce((
    SELECT json_agg(json_build_object('name', a.attname, 'type', format('%%I.%%I', tn.nspname, t.typname),
                                      'typname', t.typname) ORDER BY a.attnum)
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
    WHERE rt.typrelid <> 0 AND a.attrelid = rt.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '[]')
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_type rt ON rt.oid = p.prorettype
JOIN pg_namespace rtn ON rtn.oid = rt.typnamespace
WHERE n.nspname = %s AND p.proname = %s AND p.prokind = 'f'
ORDER BY p.oid
"""

_ROUTINE_NAMES_SQL = """
SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = %s AND p.prokind = 'f'
"""


@dataclass(frozen=True)
class Column:
    """A column of a relation or of a function's result."""

    name: str
    type: str
    typname: str
    default: Optional[str] = None
    generated: bool = False


@dataclass
class Relation:
    """A table, view, materialized view, foreign or partitioned table in an exposed schema."""

    schema: str
    name: str
    kind: str
    columns: dict
    primary_key: list


@dataclass(frozen=True)
class Argument:
    """One input parameter of a function (mode i, b or v)."""

    name: str
    type: str
    variadic: bool
    has_default: bool


@dataclass
class Routine:
    """A function callable through /rpc, with what §3.2 needs to shape the response."""

    schema: str
    name: str
    volatile: bool
    returns_set: bool
    return_kind: str  # "void", "scalar" or "composite"
    inputs: list
    columns: dict = field(default_factory=dict)

    @property
    def required(self) -> set:
        return {a.name for a in self.inputs if not a.has_default}

    def signature(self) -> str:
        return ", ".join(sorted(a.name for a in self.inputs))


def load_relation(conn, schema: str, name: str) -> Relation:
    """The relation `schema.name`, or 404 PGRST205 with a did-you-mean hint."""
    row = conn.execute(_RELATION_SQL, [schema, name]).fetchone()
    if row is None:
        names = [r[0] for r in conn.execute(_RELATION_NAMES_SQL, [schema]).fetchall()]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"Perhaps you meant the table '{schema}.{close[0]}'" if close else None
        raise ApiError(404, "PGRST205", f"Could not find the table '{schema}.{name}' in the schema cache", None, hint)
    kind, columns, primary_key = row
    return Relation(
        schema,
        name,
        kind,
        {c["name"]: Column(c["name"], c["type"], c["typname"], c["default"], c["generated"]) for c in columns},
        list(primary_key),
    )


def load_routines(conn, schema: str, name: str) -> list:
    """Every plain function `schema.name` (all overloads)."""
    routines = []
    for row in conn.execute(_ROUTINES_SQL, [schema, name]).fetchall():
        (_, proname, volatility, retset, nargs, ndefaults, argnames, argmodes, argtypes,
         rettypname, rettyptype, rettype, rescolumns) = row
        modes = list(argmodes) or ["i"] * len(argtypes)
        names = list(argnames) + [""] * (len(argtypes) - len(argnames))
        inputs, outputs = [], []
        input_count = sum(1 for m in modes if m in ("i", "b", "v"))
        for position, (arg_name, mode, arg_type) in enumerate(zip(names, modes, argtypes)):
            if mode in ("i", "b", "v"):
                index = len(inputs)
                inputs.append(Argument(arg_name, arg_type, mode == "v", index >= input_count - ndefaults))
            if mode in ("o", "b", "t"):
                outputs.append(Column(arg_name or f"column{position + 1}", arg_type, arg_type.split(".")[-1]))
        if rettypname == "void":
            kind, columns = "void", {}
        elif outputs:
            kind, columns = "composite", {c.name: c for c in outputs}
        elif rettyptype == "c":
            kind = "composite"
            columns = {c["name"]: Column(c["name"], c["type"], c["typname"]) for c in rescolumns}
        elif rettypname == "record":
            kind, columns = "record", {}
        else:
            kind = "scalar"
            columns = {proname: Column(proname, rettype, rettypname)}
        routines.append(Routine(schema, proname, volatility == "v", retset, kind, inputs, columns))
    return routines


def routine_names(conn, schema: str) -> list:
    """All function names in `schema` (for did-you-mean hints)."""
    return [r[0] for r in conn.execute(_ROUTINE_NAMES_SQL, [schema]).fetchall()]
