"""/rpc through the gateway: argument matching, return shapes, volatility, errors (reference §3, §4.2)."""

import unittest

from gateway_testing import FIXTURES, DatabaseTestCase

SINGULAR = {"Accept": "application/vnd.pgrst.object+json"}


class RpcTests(DatabaseTestCase):
    FIXTURES = FIXTURES
    RESET = "truncate items restart identity; insert into items select generate_series(1, 15);"

    def post(self, function, body=None, **headers):
        return self.api.request("POST", f"/rpc/{function}", body={} if body is None else body, headers=headers)

    def test_scalar_results_are_bare_json(self):
        reply = self.post("sayhello", {"name": "world"})
        self.assertEqual((reply.status, reply.body), (200, b'"Hello, world"'))
        self.assertEqual(reply.header("Content-Type"), "application/json; charset=utf-8")
        self.assertEqual(reply.header("Content-Range"), "0-0/*")
        reply = self.api.request("GET", "/rpc/add_them?a=3&b=4", headers={"Prefer": "count=exact"})
        self.assertEqual((reply.status, reply.json(), reply.header("Content-Range")), (200, 7, "0-0/1"))
        self.assertEqual(self.api.request("GET", "/rpc/is_valid_isbn?input=978-0-393-04002-9").body, b"true")
        self.assertEqual(self.api.request("GET", "/rpc/is_valid_isbn?input=nope").body, b"false")
        self.assertEqual(self.post("ret_null").body, b"null")
        self.assertEqual(self.post("ret_array").json(), [1, 2, 3])
        self.assertEqual(self.post("ret_jsonb").json(), {"a": [1, 2], "b": None})

    def test_void_is_204_without_body_or_type(self):
        reply = self.post("ret_void")
        self.assertEqual((reply.status, reply.body), (204, b""))
        self.assertIsNone(reply.header("Content-Type"))
        self.assertIsNone(reply.header("Content-Length"))

    def test_sets_and_composites(self):
        self.assertEqual(self.post("getitemrange", {"min": 2, "max": 4}).json(), [{"id": 3}, {"id": 4}])
        self.assertEqual(self.post("getitemrange", {"min": 20, "max": 40}).json(), [])
        self.assertEqual(self.post("ret_setof_integers").json(), [1, 2, 3])
        self.assertEqual(self.post("ret_point_2d").json(), {"x": 10, "y": 5})
        self.assertEqual(self.post("single_out_param", {"num": 5}).json(), {"num_plus_one": 6})
        self.assertEqual(self.post("ret_table", {"n": 2}).json(), [{"i": 1, "label": "row 1"}, {"i": 2, "label": "row 2"}])

    def test_set_results_take_filters_order_limit_and_count(self):
        path = "/rpc/getitemrange?id=gt.5&select=id&order=id.desc&limit=2"
        reply = self.api.request("POST", path, body={"min": 2, "max": 10}, headers={"Prefer": "count=exact"})
        self.assertEqual((reply.status, reply.json()), (206, [{"id": 10}, {"id": 9}]))
        self.assertEqual(reply.header("Content-Range"), "0-1/5")
        reply = self.api.request("GET", "/rpc/getitemrange?min=2&max=10&id=gt.8&select=id")
        self.assertEqual(reply.json(), [{"id": 9}, {"id": 10}])

    def test_arguments_are_converted_by_postgres(self):
        body = {"p_uuid": "5f0c0000-0000-0000-0000-000000000001", "p_ts": "2024-05-01T10:00:00+02:00",
                "p_tags": ["a", "b,c"], "p_doc": {"k": [1, None]}, "p_n": 1.25}
        self.assertEqual(self.post("echo_args", body).json(), {
            "uuid": "5f0c0000-0000-0000-0000-000000000001", "ts": "2024-05-01T08:00:00+00:00",
            "tags": ["a", "b,c"], "doc": {"k": [1, None]}, "n": 1.25})
        self.assertError(self.post("echo_args", {**body, "p_uuid": "not-a-uuid"}), 400, "22P02")
        self.assertEqual(self.post("with_default", {"a": 1}).json(), 11)
        self.assertEqual(self.post("with_default", {"a": 1, "b": 2}).json(), 3)
        self.assertEqual(self.post("sayhello", [{"name": "first"}, {"name": "second"}]).json(), "Hello, first")

    def test_a_single_unnamed_json_parameter_gets_the_whole_body(self):
        self.assertEqual(self.post("mult_them", {"x": 4, "y": 2}).json(), 8)
        self.assertEqual(self.post("named_json", {"param": {"a": 1}}).json(), {"a": 1})
        self.assertError(self.post("named_json", {"a": 1}), 404, "PGRST202")

    def test_unknown_function_is_pgrst202(self):
        reply = self.post("fakefunc")
        self.assertEqual(reply.status, 404)
        self.assertEqual(reply.json(), {
            "code": "PGRST202",
            "details": "Searched for the function public.fakefunc without parameters or with a single unnamed "
                       "json/jsonb parameter, but no matches were found in the schema cache.",
            "hint": None,
            "message": "Could not find the function public.fakefunc without parameters in the schema cache",
        })
        self.assertError(self.api.request("GET", "/rpc/sayhell"), 404, "PGRST202",
                         hint="Perhaps you meant to call the function public.sayhello")

    def test_wrong_argument_set_is_pgrst202_with_sorted_parameters(self):
        reply = self.api.request("GET", "/rpc/add_them?a=1&b=2&smthelse=blabla")
        self.assertEqual(reply.status, 404)
        self.assertEqual(reply.json(), {
            "code": "PGRST202",
            "details": "Searched for the function public.add_them with parameters a, b, smthelse, but no matches "
                       "were found in the schema cache.",
            "hint": "Perhaps you meant to call the function public.add_them(a, b)",
            "message": "Could not find the function public.add_them(a, b, smthelse) in the schema cache",
        })
        self.assertError(self.post("add_them", {"a": 1}), 404, "PGRST202")
        self.assertError(self.post("with_default", {"b": 2}), 404, "PGRST202")

    def test_ambiguous_overloads_are_300(self):
        self.assertError(self.post("overloaded", {"a": 1}), 300, "PGRST203")

    def test_raised_errors_map_to_statuses(self):
        self.assertError(self.post("problem"), 400, "P0001", "bad thing", None, None)
        reply = self.post("refuse")
        self.assertEqual((reply.status, reply.json()), (400, {
            "code": "P0001", "details": "Pretty simple", "hint": "There is nothing you can do.",
            "message": "I refuse!"}))
        reply = self.api.request("GET", "/rpc/raise_pt402")
        self.assertEqual((reply.status, reply.json()), (402, {
            "code": "PT402", "details": "Quota exceeded", "hint": "Upgrade your plan", "message": "Payment Required"}))
        self.assertError(self.post("raise_unique"), 409, "23505", "duplicate thing")
        reply = self.post("raise_custom")
        self.assertEqual((reply.status, reply.header("X-Powered-By")), (402, "Nerd Rage"))
        self.assertEqual(reply.json()["code"], "123")

    def test_volatility_decides_the_transaction_mode(self):
        self.assertEqual(self.post("whoami_volatile").json()["read_only"], "off")
        self.assertEqual(self.post("whoami").json()["read_only"], "on")
        self.assertEqual(self.api.request("GET", "/rpc/whoami").json()["read_only"], "on")
        self.assertError(self.api.request("GET", "/rpc/callcounter"), 405, "25006")
        self.assertError(self.post("sneaky_stable_writer"), 405, "25006")
        self.assertIsInstance(self.post("callcounter").json(), int)
        self.assertEqual(self.post("insert_item", {"p_id": 77}).json(), 77)
        self.assertEqual(self.db.query("select count(*) from items where id = 77"), [(1,)])

    def test_errors_roll_back_the_function_s_writes(self):
        self.assertError(self.post("insert_item", {"p_id": 1}), 409, "23505")
        self.assertEqual(self.db.query("select count(*) from items"), [(15,)])

    def test_singular_rpc(self):
        self.assertEqual(self.post("sayhello", {"name": "x"}, **SINGULAR).json(), "Hello, x")
        reply = self.post("getitemrange", {"min": 2, "max": 3}, **SINGULAR)
        self.assertEqual((reply.status, reply.json()), (200, {"id": 3}))
        self.assertError(self.post("getitemrange", {"min": 2, "max": 4}, **SINGULAR), 406, "PGRST116",
                         details="The result contains 2 rows")

    def test_request_settings_are_visible_to_sql(self):
        me = self.post("whoami").json()
        self.assertEqual(me["current_user"], "service_role")
        self.assertEqual(me["claims"]["role"], "service_role")
        self.assertEqual(me["claims"]["iss"], "supabase")
        self.assertEqual(me["search_path"], '"public", "extensions"')
        self.assertEqual((me["method"], me["path"]), ("POST", "/rpc/whoami"))
        self.assertIsNone(me["uid"])
        self.assertEqual(me["timezone"], "UTC")
        reply = self.api.request("POST", "/rpc/whoami", body={}, headers={"Prefer": "timezone=America/New_York"})
        self.assertEqual(reply.json()["timezone"], "America/New_York")
        self.assertEqual(reply.header("Preference-Applied"), "timezone=America/New_York")

    def test_empty_post_body_means_no_arguments(self):
        reply = self.api.request("POST", "/rpc/ret_null", body=b"", headers={"Content-Type": "application/json"})
        self.assertEqual((reply.status, reply.body), (200, b"null"))


if __name__ == "__main__":
    unittest.main()
