#!/usr/bin/env python3
"""A PostgREST-compatible test gateway in front of a real PostgreSQL (see README.md beside this file).

    python postgrest_gateway.py --dsn postgresql://user:pw@127.0.0.1:5432/switchboard \\
        --template switchboard_template --host 127.0.0.1 --port 0 --port-file /tmp/port \\
        --jwt-secret … --anon-key … --service-key … --admin-token … [--schemas public] [--verbose]

Serves `/rest/v1/...` for the --dsn database, `/db/<name>/rest/v1/...` for the
databases made with `POST /admin/databases` (copies of --template), and the admin
API described in server.py. Only this entry point reads flags; the modules take
their configuration as arguments.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from auth import Authenticator  # noqa: E402
from databases import DatabaseRegistry  # noqa: E402
from rest_app import RestApp  # noqa: E402
from server import Gateway, GatewayHTTPServer  # noqa: E402


def _parse_arguments(argv):
    parser = argparse.ArgumentParser(description="PostgREST-compatible test gateway")
    parser.add_argument("--dsn", required=True, help="libpq DSN of the default database")
    parser.add_argument("--template", required=True, help="template database copied by POST /admin/databases")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (see --port-file)")
    parser.add_argument("--port-file", help="write the bound port here once listening")
    parser.add_argument("--jwt-secret", required=True, help="HS256 secret for Authorization: Bearer tokens")
    parser.add_argument("--anon-key", required=True, help="accepted apikey (the anon JWT)")
    parser.add_argument("--service-key", required=True, help="accepted apikey (the service_role JWT)")
    parser.add_argument("--admin-token", required=True, help="value of X-Gateway-Admin for /admin")
    parser.add_argument("--schemas", default="public", help="exposed schemas, comma-separated; the first is the default")
    parser.add_argument("--extra-search-path", default="public,extensions",
                        help="schemas appended to search_path (Supabase: public,extensions)")
    parser.add_argument("--anon-role", default="anon")
    parser.add_argument("--jwt-aud", default=None, help="required audience, if any")
    parser.add_argument("--pool-size", type=int, default=8, help="connections per database")
    parser.add_argument("--pool-timeout", type=float, default=10.0, help="seconds to wait for a connection")
    parser.add_argument("--verbose", action="store_true", help="log one line per request to stderr")
    parser.add_argument("--max-rows", type=int, default=None,
                        help="PostgREST's db-max-rows: the most rows a table read returns (Supabase: 1000)")
    return parser.parse_args(argv)


def _write_port_file(path: str, port: int) -> None:
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, path)


def main(argv=None) -> int:
    args = _parse_arguments(argv)
    schemas = [s.strip() for s in args.schemas.split(",") if s.strip()]
    if not schemas:
        print("postgrest_gateway: --schemas needs at least one schema", file=sys.stderr)
        return 2
    registry = DatabaseRegistry(args.dsn, args.template, args.pool_size, args.pool_timeout)
    authenticator = Authenticator(args.jwt_secret, args.anon_key, args.service_key, args.anon_role, args.jwt_aud)
    log = lambda text: sys.stderr.write(text if text.endswith("\n") else text + "\n")  # noqa: E731
    rest = RestApp(registry, authenticator, schemas, args.extra_search_path.split(","), log, args.max_rows)
    gateway = Gateway(rest, registry, args.admin_token, args.verbose)
    server = GatewayHTTPServer((args.host, args.port), gateway)
    port = server.server_address[1]
    if args.port_file:
        _write_port_file(args.port_file, port)
    print(f"postgrest_gateway: listening on http://{args.host}:{port} (default database "
          f"{registry.default_name}, template {args.template})", file=sys.stderr, flush=True)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        registry.close()
    print("postgrest_gateway: stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
