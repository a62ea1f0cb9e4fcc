"""Writes through the gateway: insert, upsert, PATCH, DELETE, Prefer, constraint errors (reference §2, §4.4)."""

import unittest

from gateway_testing import FIXTURES, DatabaseTestCase

RESET = """
truncate items, simple_pk, no_pk, tiobe_pls, single_unique, with_defaults, call_events, test_agents
  restart identity cascade;
insert into items select generate_series(1, 15);
select setval('items_id_seq', 15);
insert into simple_pk values ('xyyx', 'u'), ('xYYx', 'v');
insert into no_pk values (null, null), ('1', '0'), ('2', '0');
insert into tiobe_pls values ('Java', 1), ('C', 2), ('Python', 4);
insert into single_unique values (1, 'A');
insert into test_agents (id, identity) values ('5f0c0000-0000-0000-0000-000000000001', 'agent-1');
"""
REPRESENTATION = {"Prefer": "return=representation"}
SINGULAR = {"Accept": "application/vnd.pgrst.object+json"}


class InsertTests(DatabaseTestCase):
    FIXTURES = FIXTURES
    RESET = RESET

    def count(self, table, where="true"):
        return self.db.query(f"select count(*) from {table} where {where}")[0][0]

    def test_minimal_insert_is_201_with_empty_body(self):
        reply = self.api.request("POST", "/items", body={"id": 100})
        self.assertEqual((reply.status, reply.body), (201, b""))
        self.assertIsNone(reply.header("Content-Type"))
        self.assertEqual(reply.header("Content-Length"), "0")
        self.assertEqual(reply.header("Content-Range"), "*/*")
        self.assertIsNone(reply.header("Preference-Applied"))
        self.assertEqual(self.count("items", "id = 100"), 1)
        reply = self.api.request("POST", "/items", body={"id": 101}, headers={"Prefer": "return=minimal"})
        self.assertEqual((reply.status, reply.header("Preference-Applied")), (201, "return=minimal"))

    def test_representation_returns_rows_shaped_by_select(self):
        reply = self.api.request("POST", "/with_defaults?select=label,n", body={"label": "x"}, headers=REPRESENTATION)
        self.assertEqual((reply.status, reply.json()), (201, [{"label": "x", "n": 7}]))
        self.assertEqual(reply.header("Content-Type"), "application/json; charset=utf-8")
        self.assertEqual(reply.header("Preference-Applied"), "return=representation")
        self.assertIsNone(reply.header("Location"))

    def test_headers_only_gives_location(self):
        reply = self.api.request("POST", "/simple_pk", body={"k": "new key", "extra": "e"},
                                 headers={"Prefer": "return=headers-only"})
        self.assertEqual((reply.status, reply.body), (201, b""))
        self.assertEqual(reply.header("Location"), "/simple_pk?k=eq.new key")
        self.assertEqual(reply.header("Preference-Applied"), "return=headers-only")

    def test_bulk_insert_with_count(self):
        reply = self.api.request("POST", "/items", body=[{"id": 200}, {"id": 201}],
                                 headers={"Prefer": "return=representation, count=exact"})
        self.assertEqual((reply.status, reply.json()), (201, [{"id": 200}, {"id": 201}]))
        self.assertEqual(reply.header("Content-Range"), "*/2")
        self.assertEqual(reply.header("Preference-Applied"), "return=representation, count=exact")

    def test_empty_object_inserts_defaults_and_empty_array_inserts_nothing(self):
        reply = self.api.request("POST", "/with_defaults", body={}, headers=REPRESENTATION)
        self.assertEqual(reply.status, 201)
        (row,) = reply.json()
        self.assertEqual((row["id"], row["label"], row["n"]), (1, "unnamed", 7))
        reply = self.api.request("POST", "/no_pk", body=[], headers=REPRESENTATION)
        self.assertEqual((reply.status, reply.json()), (201, []))

    def test_payloads_postgrest_rejects(self):
        self.assertError(self.api.request("POST", "/items", body=[{"id": 300}, {"id": 301, "x": 1}]), 400,
                         "PGRST102", "All object keys must match", details=None)
        self.assertError(self.api.request("POST", "/simple_pk", body="}{ x = 2",
                                          headers={"Content-Type": "application/json"}),
                         400, "PGRST102", "Empty or invalid json")
        self.assertError(self.api.request("POST", "/simple_pk", body="", headers={"Content-Type": "application/json"}),
                         400, "PGRST102")
        self.assertError(self.api.request("POST", "/simple_pk", body="[1, 2]"), 400, "PGRST102")
        self.assertError(self.api.request("POST", "/call_events?columns=helicopter", body={"kind": "x"}), 400,
                         "PGRST204", "Could not find the 'helicopter' column of 'call_events' in the schema cache")
        self.assertError(self.api.request("POST", "/items", body={"nope": 1}), 400, "PGRST204",
                         "Could not find the 'nope' column of 'items' in the schema cache")
        self.assertError(self.api.request("POST", "/items?columns=", body={"id": 1}), 400, "PGRST100")
        self.assertEqual(self.count("items"), 15)

    def test_columns_lifts_the_uniform_keys_rule_and_missing_keys_are_null(self):
        call = "c7d20000-0000-0000-0000-000000000001"
        body = [{"call_id": call, "kind": "ringing", "ignored": 1}, {"call_id": call, "kind": "answered",
                                                                       "payload": {"sip": "x"}}]
        reply = self.api.request("POST", '/call_events?columns="call_id","kind","payload"', body=body,
                                 headers=REPRESENTATION)
        self.assertEqual(reply.status, 201, reply.body)
        rows = reply.json()
        self.assertEqual([(r["kind"], r["payload"]) for r in rows], [("ringing", None), ("answered", {"sip": "x"})])

    def test_missing_default_uses_column_defaults_per_row(self):
        body = [{"label": "x"}, {"n": 3}]
        reply = self.api.request("POST", "/with_defaults?columns=label,n", body=body,
                                 headers={"Prefer": "return=representation, missing=default"})
        self.assertEqual(reply.status, 201, reply.body)
        rows = reply.json()
        self.assertEqual([(r["label"], r["n"]) for r in rows], [("x", 7), ("unnamed", 3)])
        self.assertNotEqual(rows[0]["made"], rows[1]["made"])
        self.assertEqual(reply.header("Preference-Applied"), "missing=default, return=representation")
        self.assertError(self.api.request("POST", "/with_defaults?columns=label,n", body=body), 400, "23502")

    def test_form_body_is_one_row_of_strings(self):
        reply = self.api.request("POST", "/simple_pk", body="k=form&extra=f",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(reply.status, 201, reply.body)
        self.assertEqual(self.db.query("select extra from simple_pk where k = 'form'"), [("f",)])
        self.assertEqual(self.api.request("POST", "/simple_pk", body="k=x", headers={
            "Content-Type": "text/csv"}).status, 415)

    def test_unique_violation_is_409_with_postgres_details(self):
        reply = self.api.request("POST", "/simple_pk", body={"k": "xyyx", "extra": "e1"})
        self.assertEqual(reply.status, 409)
        self.assertEqual(reply.json(), {
            "code": "23505",
            "details": "Key (k)=(xyyx) already exists.",
            "hint": None,
            "message": 'duplicate key value violates unique constraint "simple_pk_pkey"',
        })

    def test_other_constraint_errors(self):
        body = self.assertError(self.api.request("POST", "/simple_pk", body={"extra": "foo"}), 400, "23502")
        self.assertEqual(body["details"], "Failing row contains (null, foo).")
        self.assertEqual(body["message"], 'null value in column "k" of relation "simple_pk" violates not-null constraint')
        fk = {"call_id": "c7d20000-0000-0000-0000-000000000001", "kind": "x",
              "agent_id": "00000000-0000-0000-0000-00000000dead"}
        body = self.assertError(self.api.request("POST", "/call_events", body=fk), 409, "23503")
        self.assertIn('is not present in table "test_agents"', body["details"])
        check = {"call_id": "c7d20000-0000-0000-0000-000000000001", "kind": ""}
        self.assertError(self.api.request("POST", "/call_events", body=check), 400, "23514")

    def test_singular_insert_of_two_rows_is_406_and_rolled_back(self):
        reply = self.api.request("POST", "/items", body=[{"id": 400}, {"id": 401}],
                                 headers={**SINGULAR, **REPRESENTATION})
        self.assertError(reply, 406, "PGRST116", details="The result contains 2 rows")
        self.assertEqual(self.count("items", "id >= 400"), 0)
        reply = self.api.request("POST", "/items", body={"id": 402}, headers={**SINGULAR, **REPRESENTATION})
        self.assertEqual((reply.status, reply.json()), (201, {"id": 402}))
        self.assertEqual(reply.header("Content-Type"), "application/vnd.pgrst.object+json; charset=utf-8")

    def test_prefer_headers_merge_and_the_first_value_wins(self):
        reply = self.api.request("POST", "/items", body={"id": 500},
                                 raw_headers=[("Prefer", "return=minimal"), ("Prefer", "return=representation")])
        self.assertEqual((reply.status, reply.body), (201, b""))
        reply = self.api.request("POST", "/items", body={"id": 501},
                                 headers={"Prefer": "return=representation,return=minimal"})
        self.assertEqual(reply.json(), [{"id": 501}])

    def test_expect_continue_and_chunked_bodies(self):
        reply = self.api.request("POST", "/items", body={"id": 600}, headers={"Expect": "100-continue"})
        self.assertEqual(reply.status, 201)
        conn = self.api.connect()
        try:
            conn.putrequest("POST", self.api.prefix + "/items")
            for name, value in {**self.api.headers, "Content-Type": "application/json",
                                "Transfer-Encoding": "chunked"}.items():
                conn.putheader(name, value)
            conn.endheaders()
            conn.send(b'5\r\n{"id"\r\n5\r\n: 601\r\n1\r\n}\r\n0\r\n\r\n')
            response = conn.getresponse()
            response.read()
            self.assertEqual(response.status, 201)
        finally:
            conn.close()
        self.assertEqual(self.count("items", "id in (600, 601)"), 2)

    def test_timestamps_with_plus_must_be_percent_encoded(self):
        self.db.execute("update test_agents set last_call_ended_at = '2024-05-01 10:00:00+00'")
        reply = self.api.request("GET", "/test_agents?select=identity&last_call_ended_at=eq.2024-05-01T10:00:00%2B00:00")
        self.assertEqual(reply.json(), [{"identity": "agent-1"}])
        reply = self.api.request("GET", "/test_agents?last_call_ended_at=eq.2024-05-01T10:00:00+00:00")
        self.assertEqual(reply.status, 400)


class UpsertTests(DatabaseTestCase):
    FIXTURES = FIXTURES
    RESET = RESET

    def ranks(self):
        return dict(self.db.query("select name, rank from tiobe_pls"))

    def post(self, path, body, prefer):
        return self.api.request("POST", path, body=body, raw_headers=[("Prefer", p) for p in prefer])

    def test_merge_duplicates_with_a_new_row_is_201(self):
        body = [{"name": "Javascript", "rank": 6}, {"name": "Java", "rank": 2}, {"name": "C", "rank": 1}]
        reply = self.post("/tiobe_pls", body, ["return=representation", "resolution=merge-duplicates"])
        self.assertEqual((reply.status, reply.json()), (201, body))
        self.assertEqual(reply.header("Preference-Applied"), "resolution=merge-duplicates, return=representation")
        self.assertEqual(self.ranks(), {"Javascript": 6, "Java": 2, "C": 1, "Python": 4})

    def test_merge_duplicates_of_existing_rows_only_is_200(self):
        body = [{"name": "Python", "rank": 6}, {"name": "Java", "rank": 2}, {"name": "C", "rank": 1}]
        reply = self.post("/tiobe_pls", body, ["return=representation", "resolution=merge-duplicates"])
        self.assertEqual((reply.status, reply.json()), (200, body))
        reply = self.post("/tiobe_pls", body, ["resolution=merge-duplicates"])
        self.assertEqual((reply.status, reply.body), (200, b""))
        reply = self.post("/tiobe_pls", [], ["return=representation", "resolution=merge-duplicates"])
        self.assertEqual((reply.status, reply.json()), (200, []))

    def test_merge_with_on_conflict(self):
        body = [{"unique_key": 1, "value": "B"}, {"unique_key": 2, "value": "C"}]
        reply = self.post("/single_unique?on_conflict=unique_key", body,
                          ["return=representation", "resolution=merge-duplicates"])
        self.assertEqual((reply.status, reply.json()), (201, body))
        self.assertError(self.post("/single_unique?on_conflict=value", body, ["resolution=merge-duplicates"]),
                         400, "42P10")

    def test_merge_leaves_columns_outside_the_payload_alone(self):
        self.db.execute("update test_agents set current_call_id = 'c7d20000-0000-0000-0000-000000000009'")
        reply = self.post("/test_agents?on_conflict=identity", [{"identity": "agent-1", "is_available": False}],
                          ["resolution=merge-duplicates, return=representation"])
        self.assertEqual(reply.status, 200, reply.body)
        (row,) = reply.json()
        self.assertEqual((row["is_available"], row["current_call_id"]),
                         (False, "c7d20000-0000-0000-0000-000000000009"))

    def test_ignore_duplicates_returns_only_inserted_rows_and_is_always_201(self):
        reply = self.post("/tiobe_pls", [{"name": "PHP", "rank": 9}, {"name": "Python", "rank": 10}],
                          ["return=representation", "resolution=ignore-duplicates"])
        self.assertEqual((reply.status, reply.json()), (201, [{"name": "PHP", "rank": 9}]))
        self.assertEqual(self.ranks()["Python"], 4)
        reply = self.post("/tiobe_pls", [{"name": "Python", "rank": 10}],
                          ["return=representation", "resolution=ignore-duplicates"])
        self.assertEqual((reply.status, reply.json()), (201, []))
        self.assertEqual(reply.header("Preference-Applied"), "resolution=ignore-duplicates, return=representation")

    def test_resolution_is_ignored_without_a_conflict_target(self):
        reply = self.post("/no_pk", [{"a": "3", "b": "0"}], ["return=representation", "resolution=merge-duplicates"])
        self.assertEqual(reply.status, 201)
        self.assertEqual(reply.header("Preference-Applied"), "return=representation")


class UpdateDeleteTests(DatabaseTestCase):
    FIXTURES = FIXTURES
    RESET = RESET

    def test_patch_minimal_is_204_with_content_range(self):
        reply = self.api.request("PATCH", "/items?id=eq.2", body={"id": 42})
        self.assertEqual((reply.status, reply.body), (204, b""))
        self.assertIsNone(reply.header("Content-Type"))
        self.assertIsNone(reply.header("Content-Length"))
        self.assertEqual(reply.header("Content-Range"), "0-0/*")
        self.assertEqual(self.db.query("select count(*) from items where id = 42"), [(1,)])
        reply = self.api.request("PATCH", "/items?id=eq.999999", body={"id": 43})
        self.assertEqual((reply.status, reply.header("Content-Range")), (204, "*/*"))

    def test_patch_with_representation_and_count(self):
        reply = self.api.request("PATCH", "/items?id=eq.999999", body={"id": 43}, headers=REPRESENTATION)
        self.assertEqual((reply.status, reply.json()), (200, []))
        reply = self.api.request("PATCH", "/tiobe_pls?rank=lt.3&select=name,rank", body={"rank": 0},
                                 headers={"Prefer": "return=representation, count=exact"})
        self.assertEqual(reply.status, 200)
        self.assertEqual(sorted(r["name"] for r in reply.json()), ["C", "Java"])
        self.assertEqual(reply.header("Content-Range"), "0-1/2")
        reply = self.api.request("PATCH", "/tiobe_pls?name=eq.C", body={"rank": 5},
                                 headers={"Prefer": "count=exact"})
        self.assertEqual((reply.status, reply.header("Content-Range")), (204, "0-0/1"))

    def test_patch_edge_cases(self):
        reply = self.api.request("PATCH", "/tiobe_pls", body={})
        self.assertEqual((reply.status, reply.header("Content-Range")), (204, "*/*"))
        self.assertError(self.api.request("PATCH", "/tiobe_pls", body={"nope": 1}), 400, "PGRST204")
        self.assertError(self.api.request("PATCH", "/tiobe_pls", body="not json",
                                          headers={"Content-Type": "application/json"}), 400, "PGRST102")
        reply = self.api.request("PATCH", "/tiobe_pls?or=(name.eq.C,name.eq.Java)", body={"rank": 9})
        self.assertEqual(reply.header("Content-Range"), "0-1/*")
        self.assertEqual(dict(self.db.query("select name, rank from tiobe_pls"))["Python"], 4)

    def test_singular_patch_of_many_rows_is_406_and_rolled_back(self):
        reply = self.api.request("PATCH", "/tiobe_pls", body={"rank": 0}, headers=SINGULAR)
        self.assertError(reply, 406, "PGRST116", "Cannot coerce the result to a single JSON object",
                         "The result contains 3 rows")
        self.assertEqual(self.db.query("select count(*) from tiobe_pls where rank = 0"), [(0,)])
        reply = self.api.request("PATCH", "/tiobe_pls?name=eq.C", body={"rank": 0}, headers={**SINGULAR,
                                                                                              **REPRESENTATION})
        self.assertEqual((reply.status, reply.json()), (200, {"name": "C", "rank": 0}))

    def test_delete(self):
        reply = self.api.request("DELETE", "/items?id=eq.1")
        self.assertEqual((reply.status, reply.body, reply.header("Content-Range")), (204, b"", "*/*"))
        reply = self.api.request("DELETE", "/items?id=eq.2", headers={"Prefer": "return=representation, count=exact"})
        self.assertEqual((reply.status, reply.json()), (200, [{"id": 2}]))
        self.assertEqual(reply.header("Content-Range"), "*/1")
        self.assertEqual(reply.header("Preference-Applied"), "return=representation, count=exact")
        reply = self.api.request("DELETE", "/items?id=eq.2", headers=REPRESENTATION)
        self.assertEqual((reply.status, reply.json()), (200, []))
        self.assertEqual(self.db.query("select count(*) from items"), [(13,)])

    def test_singular_delete_of_many_rows_is_406_and_rolled_back(self):
        self.assertError(self.api.request("DELETE", "/items?id=lt.4", headers=SINGULAR), 406, "PGRST116",
                         details="The result contains 3 rows")
        self.assertEqual(self.db.query("select count(*) from items"), [(15,)])

    def test_max_affected_with_strict_handling(self):
        reply = self.api.request("DELETE", "/items?id=lt.5", headers={"Prefer": "handling=strict, max-affected=2"})
        self.assertError(reply, 400, "PGRST124", details="The query affects 4 rows")
        self.assertEqual(self.db.query("select count(*) from items"), [(15,)])
        reply = self.api.request("DELETE", "/items?id=lt.3", headers={"Prefer": "handling=strict, max-affected=2"})
        self.assertEqual((reply.status, reply.header("Preference-Applied")), (204, "handling=strict, max-affected=2"))


if __name__ == "__main__":
    unittest.main()
