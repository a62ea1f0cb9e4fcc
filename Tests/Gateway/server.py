"""HTTP/1.1 server: routes `/rest/v1` (default database), `/db/<name>/rest/v1` and the admin API.

Keep-alive works (protocol HTTP/1.1, every response has a Content-Length or is a
204), and every accepted TCP connection is counted, so a benchmark can show that
a client reuses its connections. The admin API is test-only (not PostgREST) and
needs `X-Gateway-Admin: <token>`:

    POST   /admin/databases          → 201 {"name": "sb_…", "url": "http://host:port/db/sb_…"}
    GET    /admin/databases          → 200 {"default": …, "template": …, "databases": [...]}
    DELETE /admin/databases/<name>   → 204 (404 if this gateway did not create it)
    GET    /admin/stats              → 200 {"connections_accepted": N, "requests": M, …}
    POST   /admin/stats/reset        → 200 (the counters, now zero)
    POST   /admin/faults             → 200; body {"database": name|null, "mode": …, "delay_ms": N}
    GET    /admin/faults             → 200 the faults in force
    DELETE /admin/faults             → 204; every fault cleared
"""

from __future__ import annotations

import hmac
import json
import re
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import unquote, urlsplit

from databases import DatabaseRegistry
from gateway_errors import JSON_TYPE, database_unavailable
from responses import Response
from rest_app import RestApp

FAULT_MODES = ("none", "slow", "garbage", "unavailable", "reset")
GARBAGE_BODY = b"<html><body>not JSON: injected by the test gateway's garbage fault</body></html>"


class Stats:
    """Counters since start or the last reset."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.connections_accepted = 0
            self.rest_connections = 0
            self.requests = 0
            self.admin_requests = 0

    def add(self, name: str, amount: int = 1):
        with self._lock:
            setattr(self, name, getattr(self, name) + amount)

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "connections_accepted": self.connections_accepted,
                "requests": self.requests,
                "rest_connections": self.rest_connections,
                "admin_requests": self.admin_requests,
            }


@dataclass(frozen=True)
class Fault:
    """How `/rest/v1` requests to one database (or all) misbehave."""

    mode: str
    delay_ms: int = 0


class Faults:
    """Per-database faults; a database's own setting wins over the one set with `"database": null`."""

    def __init__(self):
        self._lock = threading.Lock()
        self._global = Fault("none")
        self._by_database: dict = {}

    def set(self, database: Optional[str], fault: Fault):
        with self._lock:
            if database is None:
                self._global = fault
            else:
                self._by_database[database] = fault

    def forget(self, database: str):
        with self._lock:
            self._by_database.pop(database, None)

    def clear(self):
        with self._lock:
            self._global = Fault("none")
            self._by_database.clear()

    def lookup(self, database: str) -> Fault:
        with self._lock:
            return self._by_database.get(database, self._global)

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "all": vars(self._global),
                "databases": {name: vars(fault) for name, fault in sorted(self._by_database.items())},
            }


class AdminError(Exception):
    """An admin API error: status and message (answered in the four-key error shape)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _json(status: int, value) -> Response:
    return Response(status, [("Content-Type", JSON_TYPE)], json.dumps(value, separators=(",", ":")).encode())


class Gateway:
    """The application: REST requests, faults, stats and the admin API."""

    def __init__(self, rest: RestApp, registry: DatabaseRegistry, admin_token: str, verbose: bool = False):
        self.rest = rest
        self.registry = registry
        self.admin_token = admin_token
        self.verbose = verbose
        self.stats = Stats()
        self.faults = Faults()
        self.address = ("127.0.0.1", 0)

    def route(self, path: str) -> Optional[tuple]:
        """(database, path after /rest/v1) for a REST path, else None."""
        if path == "/rest/v1" or path.startswith("/rest/v1/"):
            return self.registry.default_name, path[len("/rest/v1"):]
        match = re.fullmatch(r"/db/([^/]+)(/rest/v1(?:/.*)?)", path)
        if match:
            return unquote(match.group(1)), match.group(2)[len("/rest/v1"):]
        return None

    def admin(self, method: str, path: str, headers, body: bytes) -> Response:
        self.stats.add("admin_requests")
        try:
            token = headers.get("X-Gateway-Admin") or ""
            if not hmac.compare_digest(token.encode(), self.admin_token.encode()):
                raise AdminError(401, "X-Gateway-Admin is missing or wrong")
            return self._admin(method, path, headers, body)
        except AdminError as error:
            return _json(error.status, {"code": f"GW{error.status}", "details": None, "hint": None,
                                        "message": error.message})
        except Exception as error:  # report, so a failing test shows the cause
            return _json(500, {"code": "GW500", "details": None, "hint": None, "message": repr(error)})

    def _admin(self, method, path, headers, body) -> Response:
        if path == "/admin/databases":
            if method == "POST":
                name = self.registry.create_database()
                host = headers.get("Host") or f"{self.address[0]}:{self.address[1]}"
                return _json(201, {"name": name, "url": f"http://{host}/db/{name}"})
            if method == "GET":
                return _json(200, {"default": self.registry.default_name, "template": self.registry.template,
                                   "databases": self.registry.created()})
            raise AdminError(405, f"{method} is not allowed on {path}")
        if path.startswith("/admin/databases/"):
            if method != "DELETE":
                raise AdminError(405, f"{method} is not allowed on {path}")
            name = unquote(path[len("/admin/databases/"):])
            if not self.registry.drop_database(name):
                raise AdminError(404, f"database {name!r} was not created by this gateway")
            self.faults.forget(name)
            return Response(204)
        if path == "/admin/stats" and method == "GET":
            return _json(200, self.stats.snapshot())
        if path == "/admin/stats/reset" and method == "POST":
            self.stats.reset()
            return _json(200, self.stats.snapshot())
        if path == "/admin/faults":
            if method == "GET":
                return _json(200, self.faults.snapshot())
            if method == "DELETE":
                self.faults.clear()
                return Response(204)
            if method == "POST":
                database, fault = self._parse_fault(body)
                self.faults.set(database, fault)
                return _json(200, self.faults.snapshot())
            raise AdminError(405, f"{method} is not allowed on {path}")
        raise AdminError(404, f"no admin endpoint {method} {path}")

    @staticmethod
    def _parse_fault(body: bytes) -> tuple:
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            raise AdminError(400, "the body must be a JSON object")
        if not isinstance(request, dict):
            raise AdminError(400, "the body must be a JSON object")
        database = request.get("database")
        mode = request.get("mode")
        delay = request.get("delay_ms", 0)
        if database is not None and not isinstance(database, str):
            raise AdminError(400, "database must be a database name or null (all databases)")
        if mode not in FAULT_MODES:
            raise AdminError(400, "mode must be one of " + ", ".join(FAULT_MODES))
        if not isinstance(delay, int) or isinstance(delay, bool) or delay < 0:
            raise AdminError(400, "delay_ms must be a non-negative integer")
        return database, Fault(mode, delay)


class GatewayHTTPServer(ThreadingHTTPServer):
    """A thread per connection; counts every TCP connection it accepts."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple, gateway: Gateway):
        self.gateway = gateway
        super().__init__(address, GatewayRequestHandler)
        gateway.address = self.server_address[:2]

    def get_request(self):
        connection, address = super().get_request()
        self.gateway.stats.add("connections_accepted")
        return connection, address


class GatewayRequestHandler(BaseHTTPRequestHandler):
    """One TCP connection; serves requests until the client closes it or it idles for `timeout` s."""

    protocol_version = "HTTP/1.1"
    server_version = "switchboard-postgrest-gateway/1.0"
    sys_version = ""
    timeout = 120

    def setup(self):
        super().setup()
        self.counted_rest_connection = False

    def version_string(self):
        return self.server_version

    def log_request(self, code="-", size="-"):
        pass  # one line per request is written by _log when --verbose

    def log_message(self, format, *args):
        if self.server.gateway.verbose:
            sys.stderr.write(f"gateway: {self.address_string()} {format % args}\n")

    def do_GET(self):
        self._handle()

    do_HEAD = do_POST = do_PATCH = do_DELETE = do_PUT = do_OPTIONS = do_TRACE = do_GET

    def _read_body(self) -> Optional[bytes]:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.strip().isdigit():
            return None
        return self.rfile.read(int(length))

    def _handle(self):
        gateway: Gateway = self.server.gateway
        started = time.monotonic()
        try:
            body = self._read_body()
        except (ValueError, OSError):
            body = None
        if body is None:
            self.close_connection = True
            self._send(_json(400, {"message": "bad request body framing"}), started, "-")
            return
        split = urlsplit(self.path)
        path, query = split.path, split.query
        if path == "/admin" or path.startswith("/admin/"):
            self._send(gateway.admin(self.command, path, self.headers, body), started, "admin")
            return
        route = gateway.route(path)
        if route is None:
            self._send(_json(404, {"message": "no Route matched with those values"}), started, "-")
            return
        database, rest_path = route
        gateway.stats.add("requests")
        if not self.counted_rest_connection:
            self.counted_rest_connection = True
            gateway.stats.add("rest_connections")
        fault = gateway.faults.lookup(database)
        if fault.mode == "reset":
            self._log("RESET", 0, started, database)
            self._reset()
            return
        if fault.mode == "garbage":
            response = Response(200, [("Content-Type", JSON_TYPE)], GARBAGE_BODY)
        elif fault.mode == "unavailable":
            error = database_unavailable("injected by the test gateway's unavailable fault", "PGRST001")
            response = Response(error.status, error.response_headers(), error.body())
        else:
            response = gateway.rest.handle(self.command, database, rest_path, query, self.headers, body)
        if fault.mode == "slow" and fault.delay_ms:
            time.sleep(fault.delay_ms / 1000)
        self._send(response, started, database)

    def _reset(self):
        """Drop the connection without answering (RST, as when a proxy dies)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _send(self, response: Response, started: float, database: str):
        self.send_response(response.status)
        has_length = False
        for name, value in response.headers:
            has_length = has_length or name.lower() == "content-length"
            self.send_header(name, value)
        if response.status not in (204, 304) and not has_length:
            self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self._log(response.status, len(response.body), started, database)
        self.end_headers()
        if response.body and self.command != "HEAD":
            self.wfile.write(response.body)

    def _log(self, status, size, started, database):
        if self.server.gateway.verbose:
            elapsed = (time.monotonic() - started) * 1000
            sys.stderr.write(
                f'gateway: {self.client_address[0]}:{self.client_address[1]} "{self.command} {self.path}" '
                f"{status} {size}B {elapsed:.1f}ms db={database}\n"
            )
