"""Helpers for the gateway's own tests: the environment, an HTTP client, fixture databases, private gateways.

The tests need the environment of `scripts/test-postgres.sh` (run them with
`scripts/test-postgres.sh run -- python3 -m unittest discover -s Tests/Gateway`).
Each test class gets its own database (`POST /admin/databases`, a copy of the
template) and loads its fixtures into it through the superuser DSN.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

import psycopg
from psycopg.conninfo import make_conninfo

HERE = os.path.dirname(os.path.abspath(__file__))
#: The fixture tables and functions every database test class loads (sql/test_fixtures.sql).
with open(os.path.join(HERE, "sql", "test_fixtures.sql")) as _fixtures:
    FIXTURES = _fixtures.read()
ENV_NAMES = (
    "SWITCHBOARD_TEST_GATEWAY_URL",
    "SWITCHBOARD_TEST_SUPABASE_KEY",
    "SWITCHBOARD_TEST_SUPABASE_ANON_KEY",
    "SWITCHBOARD_TEST_GATEWAY_ADMIN_TOKEN",
    "SWITCHBOARD_TEST_JWT_SECRET",
    "SWITCHBOARD_TEST_PG_DSN",
)


@dataclass(frozen=True)
class Environment:
    """What scripts/test-postgres.sh exported."""

    gateway_url: str
    service_key: str
    anon_key: str
    admin_token: str
    jwt_secret: str
    pg_dsn: str


def environment() -> Environment:
    """The test environment; fails (does not skip) when it is missing, so CI cannot pass by accident."""
    missing = [name for name in ENV_NAMES if not os.environ.get(name)]
    if missing:
        raise RuntimeError(
            "the gateway tests need the environment of scripts/test-postgres.sh (missing: "
            + ", ".join(missing)
            + "); run: scripts/test-postgres.sh run -- python3 -m unittest discover -s Tests/Gateway"
        )
    values = [os.environ[name] for name in ENV_NAMES]
    return Environment(*values)


@dataclass
class Reply:
    """One HTTP response."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name)


class Client:
    """A small HTTP/1.1 client for one base URL; `connection` reuses a keep-alive connection."""

    def __init__(self, base_url: str, headers: Optional[dict] = None):
        parts = urlsplit(base_url)
        self.host = parts.hostname
        self.port = parts.port
        self.prefix = parts.path.rstrip("/")
        self.headers = dict(headers or {})

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, body=None, headers: Optional[dict] = None,
                connection: Optional[http.client.HTTPConnection] = None, raw_headers: Optional[list] = None) -> Reply:
        """`path` is appended to the base URL as given (already encoded); dict/list bodies are sent as JSON."""
        merged = dict(self.headers)
        for name, value in (headers or {}).items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            merged.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        own = connection is None
        conn = connection or self.connect()
        try:
            conn.putrequest(method, self.prefix + path, skip_accept_encoding=True)
            for name, value in merged.items():
                conn.putheader(name, value)
            for name, value in raw_headers or []:
                conn.putheader(name, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            data = response.read()
            return Reply(response.status, response.headers, data)
        finally:
            if own:
                conn.close()


def rest_client(base_url: str, key: str, bearer: Optional[str] = None) -> Client:
    """A client sending `apikey` and `Authorization: Bearer` like the service does."""
    return Client(base_url, {"apikey": key, "Authorization": f"Bearer {bearer or key}",
                             "Accept": "application/json"})


def admin_client(env: Environment, base_url: Optional[str] = None, token: Optional[str] = None) -> Client:
    return Client(base_url or env.gateway_url, {"X-Gateway-Admin": token or env.admin_token})


def database_dsn(env: Environment, name: str) -> str:
    return make_conninfo(env.pg_dsn, dbname=name)


class FixtureDatabase:
    """A template copy made through the admin API, with fixture SQL loaded; dropped by `drop()`."""

    def __init__(self, env: Environment, fixture_sql: str):
        self.env = env
        reply = admin_client(env).request("POST", "/admin/databases")
        if reply.status != 201:
            raise RuntimeError(f"POST /admin/databases answered {reply.status}: {reply.body!r}")
        created = reply.json()
        self.name = created["name"]
        self.url = created["url"]
        self.dsn = database_dsn(env, self.name)
        if fixture_sql:
            self.execute(fixture_sql)

    def execute(self, statements: str, params=None):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return conn.execute(statements, params).fetchall() if params is not None else conn.execute(statements)

    def query(self, statement: str, params=None) -> list:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return conn.execute(statement, params or []).fetchall()

    def rest(self, key: Optional[str] = None, bearer: Optional[str] = None) -> Client:
        return rest_client(self.url + "/rest/v1", key or self.env.service_key, bearer)

    def drop(self):
        admin_client(self.env).request("DELETE", f"/admin/databases/{self.name}")


class DatabaseTestCase(unittest.TestCase):
    """A test class with its own fixture database (FIXTURES runs once, RESET before every test)."""

    FIXTURES = ""
    RESET = ""

    @classmethod
    def setUpClass(cls):
        cls.env = environment()
        cls.db = FixtureDatabase(cls.env, cls.FIXTURES)
        cls.api = cls.db.rest()

    @classmethod
    def tearDownClass(cls):
        cls.db.drop()

    def setUp(self):
        if self.RESET:
            self.db.execute(self.RESET)

    def assertError(self, reply: Reply, status: int, code: str, message: Optional[str] = None,
                    details: Optional[str] = "<any>", hint: Optional[str] = "<any>"):
        """A PostgREST error body: all four keys, and the given values."""
        self.assertEqual(reply.status, status, reply.body)
        self.assertEqual(reply.header("Content-Type"), "application/json; charset=utf-8")
        body = reply.json()
        self.assertEqual(sorted(body), ["code", "details", "hint", "message"], body)
        self.assertEqual(body["code"], code, body)
        if message is not None:
            self.assertEqual(body["message"], message, body)
        if details != "<any>":
            self.assertEqual(body["details"], details, body)
        if hint != "<any>":
            self.assertEqual(body["hint"], hint, body)
        return body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateGateway:
    """A gateway process of a test's own (exact stats, other schemas, a dead database, CLI flags)."""

    def __init__(self, env: Environment, dsn: str, extra_args: Optional[list] = None,
                 template: str = "switchboard_template"):
        self.env = env
        self.admin_token = "private-admin-token"
        self.directory = tempfile.mkdtemp(prefix="gateway-test-")
        self.port_file = os.path.join(self.directory, "port")
        self.log_path = os.path.join(self.directory, "gateway.log")
        python = os.environ.get("SWITCHBOARD_TEST_PYTHON") or sys.executable
        command = [
            python, os.path.join(HERE, "postgrest_gateway.py"), "--dsn", dsn, "--template", template,
            "--host", "127.0.0.1", "--port", "0", "--port-file", self.port_file,
            "--jwt-secret", env.jwt_secret, "--anon-key", env.anon_key, "--service-key", env.service_key,
            "--admin-token", self.admin_token,
        ] + list(extra_args or [])
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not os.path.exists(self.port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("private gateway did not start: " + self.read_log())
            time.sleep(0.05)
        with open(self.port_file) as handle:
            self.port = int(handle.read())
        self.url = f"http://127.0.0.1:{self.port}"

    def admin(self) -> Client:
        return Client(self.url, {"X-Gateway-Admin": self.admin_token})

    def rest(self, key: Optional[str] = None) -> Client:
        return rest_client(self.url + "/rest/v1", key or self.env.service_key)

    def read_log(self) -> str:
        self.log.flush()
        with open(self.log_path) as handle:
            return handle.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)
