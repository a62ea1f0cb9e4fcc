"""Reads through the gateway: filters, select, order, ranges, singular responses, routing (reference §1, §6.3)."""

import unittest
from urllib.parse import quote

from gateway_testing import FIXTURES, Client, DatabaseTestCase


def q(value: str) -> str:
    """Percent-encode a query value the way URLSearchParams-like clients do (keeps `,.()*:` literal)."""
    return quote(value, safe=",.()*:-_")


class ReadTests(DatabaseTestCase):
    FIXTURES = FIXTURES

    def ids(self, path, **headers):
        reply = self.api.request("GET", path, headers=headers)
        self.assertEqual(reply.status, 200, reply.body)
        return [row["id"] for row in reply.json()]

    def names(self, path):
        reply = self.api.request("GET", path)
        self.assertEqual(reply.status, 200, reply.body)
        return sorted(row["name"] for row in reply.json())

    def test_equality_filter_returns_the_row_and_a_content_range(self):
        reply = self.api.request("GET", "/items?id=eq.5")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.json(), [{"id": 5}])
        self.assertEqual(reply.header("Content-Range"), "0-0/*")
        self.assertEqual(reply.header("Content-Type"), "application/json; charset=utf-8")

    def test_not_eq_and_in_and_not_in(self):
        reply = self.api.request("GET", "/items?id=not.eq.5&order=id")
        self.assertEqual([r["id"] for r in reply.json()], [1, 2, 3, 4] + list(range(6, 16)))
        self.assertEqual(reply.header("Content-Range"), "0-13/*")
        reply = self.api.request("GET", "/items?id=in.(1,3,5)&order=id")
        self.assertEqual(reply.json(), [{"id": 1}, {"id": 3}, {"id": 5}])
        self.assertEqual(reply.header("Content-Range"), "0-2/*")
        self.assertEqual(self.ids("/items?id=not.in.(2,4,6,7,8,9,10,11,12,13,14,15)&order=id"), [1, 3, 5])

    def test_repeated_filters_are_anded(self):
        self.assertEqual(self.ids("/items?id=gt.1&id=lt.5&order=id"), [2, 3, 4])

    def test_is_null_not_null_and_case(self):
        self.assertEqual(self.api.request("GET", "/no_pk?a=is.null").json(), [{"a": None, "b": None}])
        self.assertEqual(self.api.request("GET", "/no_pk?a=is.NULL").json(), [{"a": None, "b": None}])
        expected = [{"a": "1", "b": "0"}, {"a": "2", "b": "0"}]
        self.assertEqual(self.api.request("GET", "/no_pk?a=not.is.null&order=a").json(), expected)
        self.assertEqual(self.api.request("GET", "/no_pk?a=is.not_null&order=a").json(), expected)
        self.assertEqual(self.ids("/typed?bool_data=is.true"), [1])
        self.assertEqual(self.ids("/typed?bool_data=is.unknown"), [3])

    def test_is_outside_the_whitelist_is_a_parse_error(self):
        body = self.assertError(self.api.request("GET", "/no_pk?a=is.nil"), 400, "PGRST100", hint=None)
        self.assertEqual(body["message"], '"failed to parse filter (is.nil)" (line 1, column 4)')

    def test_like_and_ilike_use_star_as_wildcard(self):
        self.assertEqual(self.api.request("GET", "/simple_pk?k=like.*yx").json(), [{"k": "xyyx", "extra": "u"}])
        rows = self.api.request("GET", "/simple_pk?k=ilike.xy*&order=extra.asc").json()
        self.assertEqual([r["extra"] for r in rows], ["u", "v"])
        self.assertEqual(self.names("/w_or_wo_comma_names?name=like(any).{Hebdon*,Smith*}"),
                         ["Hebdon, John", "Smith, Joseph"])

    def test_more_operators(self):
        self.assertEqual(self.ids("/typed?text_data=match.^o"), [1])
        self.assertEqual(self.ids("/typed?text_data=imatch.^O"), [1])
        self.assertEqual(self.ids("/typed?int_data=isdistinct.1&order=id"), [2, 3])
        self.assertEqual(self.ids("/typed?tags=cs.{x}"), [1])
        self.assertEqual(self.ids("/typed?text_data=fts.two"), [2])
        self.assertEqual(self.ids("/typed?int_data=gte.1&int_data=lte.1"), [1])
        self.assertEqual(self.ids("/typed?int_data=neq.1"), [2])

    def test_quoted_in_lists_with_commas(self):
        path = "/w_or_wo_comma_names?name=in." + q('("Hebdon, John","Williams, Mary","Smith, Joseph")')
        self.assertEqual(self.names(path), ["Hebdon, John", "Smith, Joseph", "Williams, Mary"])
        path = "/w_or_wo_comma_names?name=in." + q('(David White,"Hebdon, John")')
        self.assertEqual(self.names(path), ["David White", "Hebdon, John"])

    def test_backslash_escapes_in_in_lists(self):
        path = "/w_or_wo_comma_names?name=in." + q(r'("Double\"Quote\"McGraw\"")')
        self.assertEqual(self.names(path), ['Double"Quote"McGraw"'])
        self.assertEqual(self.names("/w_or_wo_comma_names?name=in." + q(r'("\\")')), ["\\"])
        self.assertEqual(self.names("/w_or_wo_comma_names?name=in." + q("(\\)")), ["\\"])

    def test_empty_in_lists(self):
        self.assertEqual(self.api.request("GET", "/typed?int_data=in.()").json(), [])
        self.assertEqual(self.api.request("GET", "/typed?int_data=in.(%20%20%20%20)").json(), [])
        self.assertEqual(self.ids("/typed?int_data=not.in.()&order=id"), [1, 2, 3])
        self.assertError(self.api.request("GET", "/typed?int_data=in.(%20,3,4)"), 400, "22P02",
                         'invalid input syntax for type integer: ""')

    def test_top_level_values_are_verbatim(self):
        self.assertEqual(self.names("/w_or_wo_comma_names?name=eq." + q('"a,b"')), ['"a,b"'])
        self.assertEqual(self.names("/w_or_wo_comma_names?name=eq.Anna%20(x)"), ["Anna (x)"])
        self.assertEqual(self.names("/w_or_wo_comma_names?name=eq.Hebdon,%20John"), ["Hebdon, John"])

    def test_plus_decodes_to_space_and_percent_2b_to_plus(self):
        self.assertEqual(self.names("/w_or_wo_comma_names?name=eq.parent+v1-1"), ["parent v1-1"])
        self.assertEqual(self.names("/w_or_wo_comma_names?name=eq.a%2Bb"), ["a+b"])
        self.assertEqual(self.names("/w_or_wo_comma_names?name=eq.a+b"), [])

    def test_or_and_trees(self):
        self.assertEqual(self.ids("/items?or=(id.eq.1,id.eq.3)&order=id"), [1, 3])
        self.assertEqual(self.ids("/items?or=(id.eq.1,and(id.gt.10,id.lt.12))&order=id"), [1, 11])
        self.assertEqual(self.ids("/items?not.or=(id.lt.14,id.eq.15)"), [14])
        self.assertEqual(self.ids("/items?or=(id.in.(1,2),id.eq.15)&order=id"), [1, 2, 15])
        self.assertEqual(self.ids("/items?and=(id.gt.3,id.not.gt.4)"), [4])
        path = "/w_or_wo_comma_names?or=" + q('(name.eq."Hebdon, John",name.eq.David White)')
        self.assertEqual(self.names(path), ["David White", "Hebdon, John"])
        self.assertError(self.api.request("GET", "/items?or=(id.eq.1"), 400, "PGRST100")

    def test_filter_without_operator_is_pgrst100_with_postgrest_wording(self):
        reply = self.api.request("GET", "/items?id=0")
        self.assertEqual(reply.status, 400)
        self.assertEqual(reply.json(), {
            "code": "PGRST100",
            "details": 'unexpected "0" expecting "not" or operator (eq, gt, ...)',
            "hint": None,
            "message": '"failed to parse filter (0)" (line 1, column 1)',
        })

    def test_order_with_null_placement(self):
        def column_a(order):
            return [r["a"] for r in self.api.request("GET", f"/no_pk?order={order}").json()]

        self.assertEqual(column_a("a.nullsfirst"), [None, "1", "2"])
        self.assertEqual(column_a("a.asc.nullslast"), ["1", "2", None])
        self.assertEqual(column_a("a.desc.nullsfirst"), [None, "2", "1"])
        self.assertEqual(column_a("a.desc.nullslast"), ["2", "1", None])
        self.assertEqual(column_a("a.desc"), [None, "2", "1"])
        self.assertEqual(self.ids("/items?order=id.desc&limit=3"), [15, 14, 13])
        rows = self.api.request("GET", "/no_pk?order=b.desc.nullslast,a.desc").json()
        self.assertEqual([r["a"] for r in rows], ["2", "1", None])

    def test_bad_order_term_is_pgrst100_with_column(self):
        reply = self.api.request("GET", "/items?order=id.asc.nullslasttt")
        self.assertEqual(reply.status, 400)
        self.assertEqual(reply.json(), {
            "code": "PGRST100",
            "details": "unexpected 't' expecting \",\" or end of input",
            "hint": None,
            "message": '"failed to parse order (id.asc.nullslasttt)" (line 1, column 17)',
        })

    def test_unknown_columns_are_42703(self):
        self.assertError(self.api.request("GET", "/items?select=nope"), 400, "42703", "column items.nope does not exist")
        self.assertError(self.api.request("GET", "/items?nope=eq.1"), 400, "42703")
        self.assertError(self.api.request("GET", "/items?order=nope.asc"), 400, "42703")

    def test_bad_literal_is_a_postgres_error(self):
        self.assertError(self.api.request("GET", "/typed?int_data=eq.abc"), 400, "22P02",
                         'invalid input syntax for type integer: "abc"')
        self.assertError(self.api.request("GET", "/typed?bool_data=eq.maybe"), 400, "22P02")

    def test_limit_offset_and_content_range_shapes(self):
        reply = self.api.request("GET", "/items?select=id&order=id.asc&limit=3&offset=2")
        self.assertEqual(reply.json(), [{"id": 3}, {"id": 4}, {"id": 5}])
        self.assertEqual(reply.header("Content-Range"), "2-4/*")
        reply = self.api.request("GET", "/items?select=id&limit=0")
        self.assertEqual((reply.status, reply.json(), reply.header("Content-Range")), (200, [], "*/*"))
        reply = self.api.request("GET", "/items?offset=100")
        self.assertEqual((reply.status, reply.json(), reply.header("Content-Range")), (200, [], "*/*"))
        self.assertEqual(self.ids("/items?order=id&limit=2&limit=3"), [1, 2, 3])
        self.assertEqual(len(self.ids("/items?limit=abc")), 15)
        self.assertEqual(len(self.ids("/items?offset=-4")), 15)

    def test_exact_count_gives_totals_206_and_416(self):
        prefer = {"Prefer": "count=exact"}
        reply = self.api.request("GET", "/items?id=eq.0", headers=prefer)
        self.assertEqual((reply.status, reply.json(), reply.header("Content-Range")), (200, [], "*/0"))
        self.assertEqual(reply.header("Preference-Applied"), "count=exact")
        reply = self.api.request("GET", "/items?order=id&limit=10", headers=prefer)
        self.assertEqual((reply.status, reply.header("Content-Range")), (206, "0-9/15"))
        reply = self.api.request("GET", "/items", headers=prefer)
        self.assertEqual((reply.status, reply.header("Content-Range")), (200, "0-14/15"))
        reply = self.api.request("GET", "/items?limit=1&offset=1&id=lt.3", headers=prefer)
        self.assertEqual((reply.status, reply.header("Content-Range")), (206, "1-1/2"))
        reply = self.api.request("GET", "/items?offset=100", headers=prefer)
        self.assertEqual(reply.status, 416)
        self.assertEqual(reply.header("Content-Range"), "*/15")
        self.assertEqual(reply.json(), {
            "code": "PGRST103",
            "details": "An offset of 100 was requested, but there are only 15 rows.",
            "hint": None,
            "message": "Requested range not satisfiable",
        })

    def test_range_header(self):
        reply = self.api.request("GET", "/items?order=id", headers={"Range": "10-100"})
        self.assertEqual((reply.status, reply.header("Content-Range")), (200, "10-14/*"))
        self.assertEqual([r["id"] for r in reply.json()], [11, 12, 13, 14, 15])
        self.assertError(self.api.request("GET", "/items", headers={"Range": "1-0"}), 416, "PGRST103")
        self.assertError(self.api.request("GET", "/items?select=id&limit=-1"), 416, "PGRST103",
                         details="Limit should be greater than or equal to zero.")

    def test_select_columns_aliases_and_casts(self):
        self.assertEqual(self.api.request("GET", "/typed?id=eq.1&select=text_data,id").json(),
                         [{"text_data": "one", "id": 1}])
        self.assertEqual(self.api.request("GET", "/typed?id=eq.1&select=label:text_data,n:int_data::text").json(),
                         [{"label": "one", "n": "1"}])
        self.assertEqual(self.api.request("GET", "/typed?id=eq.1&select=id::text").json(), [{"id": "1"}])
        self.assertEqual(self.api.request("GET", "/typed?id=eq.1&select=id,%20text_data").json(),
                         [{"id": 1, "text_data": "one"}])
        self.assertEqual(self.api.request("GET", "/typed?id=eq.1&select=").json(), [{}])
        self.assertError(self.api.request("GET", "/items?select=id,clients(id)"), 400, "PGRST200")

    def test_postgres_json_rendering_is_passed_through(self):
        reply = self.api.request("GET", "/typed?order=id&select=id,ts,payload,tags,num")
        rows = reply.json()
        self.assertEqual(rows[0], {"id": 1, "ts": "2024-05-01T12:34:56.789123+00:00", "payload": {"a": 1},
                                   "tags": ["x", "y"], "num": 1.50})
        self.assertEqual(rows[1]["ts"], "2024-05-01T00:00:00+00:00")
        self.assertIn(b"100000000000000000000.000001", reply.body)

    def test_singular_object_and_406(self):
        reply = self.api.request("GET", "/items?id=eq.5", headers={"Accept": "application/vnd.pgrst.object+json"})
        self.assertEqual((reply.status, reply.json()), (200, {"id": 5}))
        self.assertEqual(reply.header("Content-Type"), "application/vnd.pgrst.object+json; charset=utf-8")
        reply = self.api.request("GET", "/items?id=gt.0&id=lt.0", headers={"Accept": "application/vnd.pgrst.object"})
        self.assertEqual(reply.json(), {
            "code": "PGRST116",
            "details": "The result contains 0 rows",
            "hint": None,
            "message": "Cannot coerce the result to a single JSON object",
        })
        self.assertEqual(reply.status, 406)
        self.assertError(self.api.request("GET", "/items", headers={"Accept": "application/vnd.pgrst.object+json"}),
                         406, "PGRST116", details="The result contains 15 rows")
        self.assertError(self.api.request("GET", "/simple_pk", headers={"Accept": "text/unknowntype"}), 406,
                         "PGRST107", "None of these media types are available: text/unknowntype")

    def test_head_has_headers_and_no_body(self):
        reply = self.api.request("HEAD", "/items?id=lt.3")
        self.assertEqual((reply.status, reply.body), (200, b""))
        self.assertEqual(reply.header("Content-Range"), "0-1/*")

    def test_identifiers_needing_quotes(self):
        self.assertEqual(self.api.request("GET", "/per%25cent?odd%20col=eq.2").json(), [{"odd col": 2, 'quo"te': "y"}])
        self.assertEqual(self.api.request("GET", '/per%25cent?select=%22quo%5C%22te%22&%22odd%20col%22=eq.1').json(),
                         [{'quo"te': "x"}])

    def test_unknown_table_and_bad_paths(self):
        reply = self.api.request("GET", "/faketable")
        self.assertEqual(reply.status, 404)
        self.assertEqual(reply.json(), {"code": "PGRST205", "details": None, "hint": None,
                                        "message": "Could not find the table 'public.faketable' in the schema cache"})
        self.assertError(self.api.request("GET", "/itemz"), 404, "PGRST205",
                         hint="Perhaps you meant the table 'public.items'")
        self.assertError(self.api.request("POST", "/faketable", body={}), 404, "PGRST205")
        self.assertError(self.api.request("GET", "/items/1/2"), 404, "PGRST125",
                         "Invalid path specified in request URL")
        self.assertError(self.api.request("GET", ""), 404, "PGRST125")
        body = self.assertError(self.api.request("PUT", "/items?id=eq.1", body={"id": 1}), 405, "PGRST117")
        self.assertEqual(body["message"], "Unsupported HTTP method: PUT")
        reply = self.api.request("DELETE", "/rpc/sayhello")
        self.assertEqual((reply.status, reply.json()), (405, {
            "code": "PGRST101", "details": None, "hint": None, "message": "Cannot use the DELETE method on RPC"}))
        self.assertEqual(reply.header("Proxy-Status"), "PostgREST; error=PGRST101")

    def test_paths_outside_rest_v1_are_not_routed(self):
        reply = Client(self.env.gateway_url).request("GET", "/items")
        self.assertEqual((reply.status, reply.json()), (404, {"message": "no Route matched with those values"}))

    def test_strict_preferences(self):
        self.assertError(self.api.request("GET", "/items", headers={"Prefer": "handling=strict, foo"}), 400,
                         "PGRST122", details="Invalid preferences: foo")
        reply = self.api.request("GET", "/items?limit=1", headers={"Prefer": "handling=lenient, foo"})
        self.assertEqual(reply.status, 200)

    def test_keep_alive_connection_serves_many_requests(self):
        connection = self.api.connect()
        try:
            for expected in (1, 2, 3):
                reply = self.api.request("GET", f"/items?id=eq.{expected}", connection=connection)
                self.assertEqual(reply.json(), [{"id": expected}])
            self.assertEqual(self.api.request("GET", "/faketable", connection=connection).status, 404)
            self.assertEqual(self.api.request("GET", "/items?id=eq.4", connection=connection).json(), [{"id": 4}])
        finally:
            connection.close()

    def test_accept_profile_public_is_echoed(self):
        reply = self.api.request("GET", "/items?id=eq.1", headers={"Accept-Profile": "public"})
        self.assertEqual((reply.status, reply.header("Content-Profile")), (200, "public"))


if __name__ == "__main__":
    unittest.main()
