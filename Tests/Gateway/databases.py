"""Databases behind the gateway: one psycopg pool per database, and test databases made from a template.

The default database comes from `--dsn`; `POST /admin/databases` copies the
template (`CREATE DATABASE … TEMPLATE …`, serialised, since PostgreSQL refuses to
copy a database anyone is connected to; the gateway never pools the template).
A database that cannot be reached answers 503 PGRST000 quickly: the pool's
connection attempts are watched, so a request does not wait for the pool timeout.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from typing import Optional

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from gateway_errors import ApiError, database_unavailable


class _ConnectWatch:
    """The latest connection failure of one pool (time and error), set by the pool's connect calls."""

    def __init__(self):
        self.failed_at = 0.0
        self.succeeded_at = 0.0
        self.error: Optional[Exception] = None

    def down(self) -> bool:
        """True while the latest connection attempt failed."""
        return self.error is not None and self.failed_at > self.succeeded_at

    def connection_class(self):
        watch = self

        class WatchedConnection(psycopg.Connection):
            @classmethod
            def connect(cls, conninfo: str = "", **kwargs):
                try:
                    conn = super().connect(conninfo, **kwargs)
                except psycopg.OperationalError as error:
                    watch.error, watch.failed_at = error, time.monotonic()
                    raise
                watch.succeeded_at = time.monotonic()
                return conn

        return WatchedConnection


class _Database:
    def __init__(self, name: str, conninfo: str, pool_size: int, timeout: float):
        self.name = name
        self.watch = _ConnectWatch()
        self.timeout = timeout
        self.pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True, "connect_timeout": 5},
            connection_class=self.watch.connection_class(),
            open=False,
            name=f"gateway-{name}",
            max_idle=60,
            timeout=timeout,
            reconnect_timeout=30,
        )
        self.pool.open(wait=False)

    @contextlib.contextmanager
    def connection(self):
        """A pooled connection; 503 PGRST000 as soon as a connection attempt fails, 504 PGRST003 on timeout."""
        started = time.monotonic()
        deadline = started + self.timeout
        while True:
            try:
                conn = self.pool.getconn(timeout=0.05)
                break
            except PoolTimeout:
                if self.watch.down():
                    raise database_unavailable(str(self.watch.error).strip() or None, "PGRST000")
                if time.monotonic() > deadline:
                    raise ApiError(504, "PGRST003", "Timed out acquiring connection from connection pool.")
        try:
            yield conn
        finally:
            self.pool.putconn(conn)

    def close(self):
        self.pool.close(timeout=2)


class DatabaseRegistry:
    """Pools by database name, plus creation and removal of template copies."""

    def __init__(self, dsn: str, template: str, pool_size: int = 8, timeout: float = 10.0):
        self.dsn = dsn
        self.template = template
        self.pool_size = pool_size
        self.timeout = timeout
        params = conninfo_to_dict(dsn)
        self.default_name = params.get("dbname") or params.get("user") or "postgres"
        self._databases: dict = {}
        self._created: set = set()
        self._lock = threading.Lock()
        self._create_lock = threading.Lock()

    def _conninfo(self, name: str) -> str:
        return make_conninfo(self.dsn, dbname=name)

    def _exists(self, name: str) -> bool:
        with self.database(self.default_name).connection() as conn:
            row = conn.execute(
                "SELECT datallowconn AND NOT datistemplate FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
        return bool(row and row[0])

    def database(self, name: str) -> _Database:
        """The pool for `name`; 404 PGRST125 for the template or a database that does not exist."""
        with self._lock:
            database = self._databases.get(name)
        if database is not None:
            return database
        if name == self.template:
            raise ApiError(404, "PGRST125", "Invalid path specified in request URL",
                           f'the template database "{name}" is not served (copy it with POST /admin/databases)')
        if name != self.default_name and name not in self._created and not self._exists(name):
            raise ApiError(404, "PGRST125", "Invalid path specified in request URL",
                           f'database "{name}" does not exist')
        with self._lock:
            database = self._databases.get(name)
            if database is None:
                database = _Database(name, self._conninfo(name), self.pool_size, self.timeout)
                self._databases[name] = database
        return database

    def create_database(self) -> str:
        """CREATE DATABASE sb_<random> TEMPLATE <template>, retried while the template is busy."""
        name = "sb_" + secrets.token_hex(6)
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(self.template))
        with self._create_lock:
            with self.database(self.default_name).connection() as conn:
                for attempt in range(50):
                    try:
                        conn.execute(statement)
                        break
                    except psycopg.errors.ObjectInUse:
                        if attempt == 49:
                            raise
                        time.sleep(0.1)
        with self._lock:
            self._created.add(name)
        return name

    def drop_database(self, name: str) -> bool:
        """Close the pool and DROP DATABASE … WITH (FORCE); False when `name` was not created here."""
        with self._lock:
            if name not in self._created:
                return False
            database = self._databases.pop(name, None)
        if database is not None:
            database.close()
        with self.database(self.default_name).connection() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        with self._lock:
            self._created.discard(name)
        return True

    def created(self) -> list:
        with self._lock:
            return sorted(self._created)

    def close(self):
        with self._lock:
            databases = list(self._databases.values())
            self._databases.clear()
        for database in databases:
            database.close()
