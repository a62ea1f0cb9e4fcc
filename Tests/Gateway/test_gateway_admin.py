"""The test-only admin API: databases, stats (connection reuse), faults; plus an unreachable database and CLI flags."""

import threading
import time
import unittest

import psycopg

from gateway_testing import (Client, FixtureDatabase, PrivateGateway, admin_client, database_dsn, environment,
                             free_port, rest_client)

SMALL_FIXTURE = "create table notes (id integer primary key, body text); insert into notes values (1, 'one');"


class DatabaseAdminTests(unittest.TestCase):
    def setUp(self):
        self.env = environment()
        self.admin = admin_client(self.env)

    def test_admin_needs_the_token(self):
        for headers in ({"X-Gateway-Admin": None}, {"X-Gateway-Admin": "wrong"}):
            reply = self.admin.request("POST", "/admin/databases", headers=headers)
            self.assertEqual(reply.status, 401)
            self.assertEqual(reply.json()["code"], "GW401")
        self.assertEqual(self.admin.request("GET", "/admin/stats", headers={"X-Gateway-Admin": None}).status, 401)

    def test_create_use_list_and_drop_a_database(self):
        reply = self.admin.request("POST", "/admin/databases")
        self.assertEqual(reply.status, 201)
        created = reply.json()
        self.assertRegex(created["name"], r"^sb_[0-9a-f]{12}$")
        self.assertEqual(created["url"], f"{self.env.gateway_url}/db/{created['name']}")
        api = rest_client(created["url"] + "/rest/v1", self.env.service_key)
        with psycopg.connect(database_dsn(self.env, created["name"]), autocommit=True) as conn:
            conn.execute(SMALL_FIXTURE)
        self.assertEqual(api.request("GET", "/notes").json(), [{"id": 1, "body": "one"}])
        listing = self.admin.request("GET", "/admin/databases").json()
        self.assertIn(created["name"], listing["databases"])
        self.assertEqual(listing["template"], "switchboard_template")
        self.assertEqual(self.admin.request("DELETE", f"/admin/databases/{created['name']}").status, 204)
        reply = api.request("GET", "/notes")
        self.assertEqual((reply.status, reply.json()["code"]), (404, "PGRST125"))
        self.assertEqual(self.admin.request("DELETE", f"/admin/databases/{created['name']}").status, 404)
        self.assertEqual(self.admin.request("DELETE", "/admin/databases/switchboard_template").status, 404)

    def test_copies_start_from_the_template_and_are_isolated(self):
        first, second = FixtureDatabase(self.env, SMALL_FIXTURE), FixtureDatabase(self.env, "")
        self.addCleanup(first.drop)
        self.addCleanup(second.drop)
        self.assertEqual(first.rest().request("GET", "/notes").status, 200)
        self.assertError404(second.rest().request("GET", "/notes"))
        template_tables = {r[0] for r in second.query(
            "select tablename from pg_tables where schemaname = 'public'")}
        default_tables = self._default_tables()
        self.assertEqual(template_tables, default_tables)

    def _default_tables(self):
        with psycopg.connect(database_dsn(self.env, "switchboard"), autocommit=True) as conn:
            return {r[0] for r in conn.execute("select tablename from pg_tables where schemaname = 'public'")}

    def assertError404(self, reply):
        self.assertEqual((reply.status, reply.json()["code"]), (404, "PGRST205"))

    def test_the_template_is_not_served(self):
        api = rest_client(f"{self.env.gateway_url}/db/switchboard_template/rest/v1", self.env.service_key)
        reply = api.request("GET", "/anything")
        self.assertEqual((reply.status, reply.json()["code"]), (404, "PGRST125"))
        api = rest_client(f"{self.env.gateway_url}/db/no_such_database/rest/v1", self.env.service_key)
        self.assertEqual(api.request("GET", "/anything").status, 404)

    def test_parallel_creation_is_serialised(self):
        results = []

        def create():
            results.append(self.admin.request("POST", "/admin/databases"))

        threads = [threading.Thread(target=create) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        names = []
        for reply in results:
            self.assertEqual(reply.status, 201, reply.body)
            names.append(reply.json()["name"])
            self.addCleanup(self.admin.request, "DELETE", f"/admin/databases/{names[-1]}")
        self.assertEqual(len(set(names)), 4)

    def test_default_database_is_served_at_rest_v1(self):
        api = rest_client(self.env.gateway_url + "/rest/v1", self.env.service_key)
        reply = api.request("GET", "/no_such_table")
        self.assertEqual((reply.status, reply.json()["code"]), (404, "PGRST205"))


class FaultTests(unittest.TestCase):
    """Faults on a private gateway (a global fault must not disturb other tests), two databases."""

    @classmethod
    def setUpClass(cls):
        cls.env = environment()
        cls.first = FixtureDatabase(cls.env, SMALL_FIXTURE)
        cls.second = FixtureDatabase(cls.env, SMALL_FIXTURE)
        cls.gateway = PrivateGateway(cls.env, cls.first.dsn)
        cls.admin = cls.gateway.admin()

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        cls.first.drop()
        cls.second.drop()

    def setUp(self):
        self.assertEqual(self.admin.request("DELETE", "/admin/faults").status, 204)
        self.api_first = rest_client(f"{self.gateway.url}/db/{self.first.name}/rest/v1", self.env.service_key)
        self.api_second = rest_client(f"{self.gateway.url}/db/{self.second.name}/rest/v1", self.env.service_key)
        self.api_default = self.gateway.rest()

    def fault(self, database, mode, delay_ms=0):
        reply = self.admin.request("POST", "/admin/faults",
                                   body={"database": database, "mode": mode, "delay_ms": delay_ms})
        self.assertEqual(reply.status, 200, reply.body)
        return reply.json()

    def assertHealthy(self, api):
        reply = api.request("GET", "/notes")
        self.assertEqual((reply.status, reply.json()), (200, [{"id": 1, "body": "one"}]))

    def test_slow_delays_only_the_chosen_database(self):
        self.fault(self.first.name, "slow", 400)
        started = time.monotonic()
        self.assertHealthy(self.api_first)
        self.assertGreaterEqual(time.monotonic() - started, 0.4)
        started = time.monotonic()
        self.assertHealthy(self.api_second)
        self.assertLess(time.monotonic() - started, 0.4)

    def test_garbage_is_200_json_typed_but_not_json(self):
        self.fault(self.first.name, "garbage")
        reply = self.api_first.request("GET", "/notes")
        self.assertEqual((reply.status, reply.header("Content-Type")), (200, "application/json; charset=utf-8"))
        with self.assertRaises(ValueError):
            reply.json()
        self.assertHealthy(self.api_second)

    def test_unavailable_is_503_pgrst001(self):
        self.fault(self.first.name, "unavailable")
        reply = self.api_first.request("GET", "/notes")
        self.assertEqual(reply.status, 503)
        body = reply.json()
        self.assertEqual(sorted(body), ["code", "details", "hint", "message"])
        self.assertEqual(body["code"], "PGRST001")
        self.assertHealthy(self.api_second)

    def test_reset_closes_the_connection_without_an_answer(self):
        self.fault(self.first.name, "reset")
        with self.assertRaises(ConnectionError):
            self.api_first.request("GET", "/notes")
        self.assertHealthy(self.api_second)

    def test_none_clears_a_fault_and_admin_is_never_faulted(self):
        self.fault(self.first.name, "unavailable")
        self.assertEqual(self.admin.request("GET", "/admin/stats").status, 200)
        self.fault(self.first.name, "none")
        self.assertHealthy(self.api_first)

    def test_null_database_means_all_and_a_database_setting_wins(self):
        snapshot = self.fault(None, "unavailable")
        self.assertEqual(snapshot["all"]["mode"], "unavailable")
        for api in (self.api_first, self.api_second, self.api_default):
            self.assertEqual(api.request("GET", "/notes").status, 503)
        self.fault(self.second.name, "none")
        self.assertHealthy(self.api_second)
        self.assertEqual(self.api_first.request("GET", "/notes").status, 503)
        self.fault(None, "none")
        self.assertHealthy(self.api_first)

    def test_bad_fault_requests_are_400(self):
        for body in ({"database": None, "mode": "explode"}, {"database": 3, "mode": "none"},
                     {"database": None, "mode": "slow", "delay_ms": -1}, [1]):
            reply = self.admin.request("POST", "/admin/faults", body=body)
            self.assertEqual(reply.status, 400, body)


class StatsTests(unittest.TestCase):
    """Exact counters on a private gateway: keep-alive reuse is visible as one connection."""

    @classmethod
    def setUpClass(cls):
        cls.env = environment()
        cls.db = FixtureDatabase(cls.env, SMALL_FIXTURE)
        cls.gateway = PrivateGateway(cls.env, cls.db.dsn)

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        cls.db.drop()

    def test_connections_and_requests_are_counted(self):
        admin = self.gateway.admin()
        api = self.gateway.rest()
        self.assertEqual(admin.request("POST", "/admin/stats/reset").json()["requests"], 0)
        connection = api.connect()
        try:
            for _ in range(5):
                self.assertEqual(api.request("GET", "/notes", connection=connection).status, 200)
        finally:
            connection.close()
        stats = admin.request("GET", "/admin/stats").json()
        self.assertEqual((stats["requests"], stats["rest_connections"]), (5, 1))
        self.assertEqual(stats["connections_accepted"], 2)  # the reused one, and this stats request's own
        for _ in range(3):
            api.request("GET", "/notes")
        stats = admin.request("GET", "/admin/stats").json()
        self.assertEqual((stats["requests"], stats["rest_connections"], stats["connections_accepted"]), (8, 4, 6))
        self.assertEqual(stats["admin_requests"], 2)


class GatewayProcessTests(unittest.TestCase):
    def setUp(self):
        self.env = environment()

    def test_an_unreachable_database_is_503_pgrst000_quickly(self):
        dead = f"postgresql://nobody:nothing@127.0.0.1:{free_port()}/gone"
        gateway = PrivateGateway(self.env, dead)
        self.addCleanup(gateway.stop)
        started = time.monotonic()
        reply = gateway.rest().request("GET", "/items")
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(reply.status, 503)
        body = reply.json()
        self.assertEqual((body["code"], body["message"]), ("PGRST000", "Database connection error. Retrying the connection."))
        self.assertIn("Connection refused", body["details"])
        self.assertIsNone(body["hint"])
        self.assertEqual(gateway.admin().request("GET", "/admin/stats").status, 200)

    def test_verbose_logs_one_line_per_request_and_quiet_logs_none(self):
        db = FixtureDatabase(self.env, SMALL_FIXTURE)
        self.addCleanup(db.drop)
        for verbose in (True, False):
            gateway = PrivateGateway(self.env, db.dsn, ["--verbose"] if verbose else [])
            self.addCleanup(gateway.stop)
            gateway.rest().request("GET", "/notes?id=eq.1")
            gateway.rest().request("GET", "/notes?id=eq.2")
            lines = [line for line in gateway.read_log().splitlines() if '"GET /rest/v1/notes' in line]
            self.assertEqual(len(lines), 2 if verbose else 0, gateway.read_log())

    def test_keys_are_checked_against_the_command_line(self):
        db = FixtureDatabase(self.env, SMALL_FIXTURE)
        self.addCleanup(db.drop)
        gateway = PrivateGateway(self.env, db.dsn)
        self.addCleanup(gateway.stop)
        self.assertEqual(rest_client(gateway.url + "/rest/v1", self.env.anon_key).request("GET", "/notes").status, 200)
        self.assertEqual(Client(gateway.url + "/rest/v1", {"apikey": "other"}).request("GET", "/notes").status, 401)


class MaxRowsTests(unittest.TestCase):
    """--max-rows caps table reads as PostgREST's db-max-rows does: whatever the limit asked, with
    offsets still counted from the first row."""

    @classmethod
    def setUpClass(cls):
        cls.env = environment()
        cls.db = FixtureDatabase(
            cls.env, "create table notes (id integer primary key, body text);"
            " insert into notes select n, 'note ' || n from generate_series(1, 7) n;")
        cls.gateway = PrivateGateway(cls.env, cls.db.dsn, ["--max-rows", "3"])
        cls.api = cls.gateway.rest()

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        cls.db.drop()

    def ids(self, query):
        reply = self.api.request("GET", "/notes?select=id&order=id" + query)
        self.assertEqual(reply.status, 200, reply.body)
        return [row["id"] for row in reply.json()]

    def test_reads_return_at_most_max_rows(self):
        self.assertEqual(self.ids(""), [1, 2, 3])
        self.assertEqual(self.ids("&limit=10"), [1, 2, 3])
        self.assertEqual(self.ids("&limit=2"), [1, 2])
        self.assertEqual(self.ids("&limit=3&offset=3"), [4, 5, 6])
        self.assertEqual(self.ids("&limit=3&offset=6"), [7])
        reply = self.api.request("GET", "/notes?select=id&order=id&limit=10&offset=3")
        self.assertEqual(reply.header("Content-Range"), "3-5/*")


if __name__ == "__main__":
    unittest.main()
