"""The query-string grammar on its own (no database): filters, in-lists, logic trees, select, order, Prefer."""

import unittest

import query_grammar as g
from gateway_errors import ApiError
from rest_request import apply_range_header, negotiate, parse_prefer, parse_query


class FilterGrammarTests(unittest.TestCase):
    def test_simple_operators_take_the_rest_of_the_value_verbatim(self):
        f = g.parse_filter("name", 'eq."a,b".c(d)')
        self.assertEqual(f.expr, g.OpExpr(False, "eq", '"a,b".c(d)'))

    def test_not_prefix_negates(self):
        self.assertEqual(g.parse_filter("id", "not.eq.5").expr, g.OpExpr(True, "eq", "5"))

    def test_in_list_with_quotes_commas_and_spaces(self):
        f = g.parse_filter("name", 'in.(David White,"Hebdon, John")')
        self.assertEqual(f.expr.value, ["David White", "Hebdon, John"])

    def test_in_list_backslash_escapes_inside_quotes(self):
        self.assertEqual(g.parse_filter("n", r'in.("Double\"Quote\"McGraw\"")').expr.value, ['Double"Quote"McGraw"'])
        self.assertEqual(g.parse_filter("n", r'in.("\\")').expr.value, ["\\"])
        self.assertEqual(g.parse_filter("n", r"in.(\)").expr.value, ["\\"])
        self.assertEqual(g.parse_filter("n", r'in.("a\bc")').expr.value, ["abc"])

    def test_lone_quote_in_list_is_literal(self):
        self.assertEqual(g.parse_filter("n", 'in.("ab"c,d)').expr.value, ['"ab"c', "d"])

    def test_empty_in_lists(self):
        self.assertEqual(g.parse_filter("n", "in.()").expr.value, [])
        self.assertEqual(g.parse_filter("n", "in.(    )").expr.value, [])
        self.assertEqual(g.parse_filter("n", "in.( ,3,4)").expr.value, ["", "3", "4"])

    def test_is_whitelist_is_case_insensitive(self):
        for word in ("null", "NULL", "not_null", "true", "FALSE", "unknown"):
            self.assertEqual(g.parse_filter("a", f"is.{word}").expr.value, word.lower())
        with self.assertRaises(g.GrammarError) as caught:
            g.parse_filter("a", "is.nil")
        self.assertEqual(caught.exception.message, '"failed to parse filter (is.nil)" (line 1, column 4)')

    def test_operator_less_value_is_a_parse_error_at_column_one(self):
        with self.assertRaises(g.GrammarError) as caught:
            g.parse_filter("id", "0")
        self.assertEqual(caught.exception.message, '"failed to parse filter (0)" (line 1, column 1)')
        self.assertEqual(caught.exception.details, 'unexpected "0" expecting "not" or operator (eq, gt, ...)')

    def test_quantified_and_fts_modifiers(self):
        self.assertEqual(g.parse_filter("a", "like(any).{O*,P*}").expr, g.OpExpr(False, "like", "{O*,P*}", "any"))
        self.assertEqual(g.parse_filter("a", "fts(english).cat").expr, g.OpExpr(False, "fts", "cat", "english"))
        with self.assertRaises(g.GrammarError):
            g.parse_filter("a", "neq(any).{1}")

    def test_in_list_must_close(self):
        with self.assertRaises(g.GrammarError):
            g.parse_filter("a", "in.(1,2")
        with self.assertRaises(g.GrammarError):
            g.parse_filter("a", "in.(1,2)x")


class LogicGrammarTests(unittest.TestCase):
    def test_nested_trees(self):
        tree = g.parse_logic("or", "(a.eq.1,and(b.gt.1,c.not.is.null),not.or(d.in.(1,2),e.like.*x))")
        self.assertEqual(tree.operator, "or")
        self.assertEqual(tree.children[0], g.Filter("a", g.OpExpr(False, "eq", "1")))
        inner = tree.children[1]
        self.assertEqual((inner.operator, inner.negated), ("and", False))
        self.assertEqual(inner.children[1], g.Filter("c", g.OpExpr(True, "is", "null")))
        last = tree.children[2]
        self.assertEqual((last.operator, last.negated), ("or", True))
        self.assertEqual(last.children[0].expr.value, ["1", "2"])

    def test_quoted_values_and_arrays_inside_logic(self):
        tree = g.parse_logic("and", '(name.eq."a,b",tags.cs.{x,y},other.eq.plain value)')
        self.assertEqual([c.expr.value for c in tree.children], ["a,b", "{x,y}", "plain value"])

    def test_negated_key(self):
        tree = g.parse_logic("not.and", "(a.eq.1,b.eq.2)")
        self.assertTrue(tree.negated)

    def test_spaces_after_separators(self):
        tree = g.parse_logic("or", "( a.eq.1, b.eq.2 )")
        self.assertEqual(len(tree.children), 2)

    def test_malformed_trees(self):
        for value in ("a.eq.1", "()", "(a.eq.1", "(a.eq.1,)", "(a.foo.1)"):
            with self.subTest(value=value), self.assertRaises(g.GrammarError):
                g.parse_logic("or", value)


class SelectAndOrderGrammarTests(unittest.TestCase):
    def test_select_items(self):
        items = g.parse_select('*, id,alias:col::text,"odd name",n::int4')
        self.assertEqual(
            items,
            [g.SelectItem(None), g.SelectItem("id"), g.SelectItem("col", "alias", "text"),
             g.SelectItem("odd name"), g.SelectItem("n", None, "int4")],
        )

    def test_select_embedding_is_reported(self):
        with self.assertRaises(g.EmbeddingRequested):
            g.parse_select("id,clients(id)")

    def test_order_terms(self):
        self.assertEqual(
            g.parse_order("a.desc.nullslast,b,c.nullsfirst"),
            [g.OrderTerm("a", "desc", "last"), g.OrderTerm("b"), g.OrderTerm("c", None, "first")],
        )

    def test_order_error_names_the_column(self):
        with self.assertRaises(g.GrammarError) as caught:
            g.parse_order("id.asc.nullslasttt")
        self.assertEqual(caught.exception.message, '"failed to parse order (id.asc.nullslasttt)" (line 1, column 17)')
        self.assertEqual(caught.exception.details, "unexpected 't' expecting \",\" or end of input")

    def test_field_names_with_dashes_and_quotes(self):
        self.assertEqual(g.parse_field_list('a-b,"c d",e', "columns"), ["a-b", "c d", "e"])


class QueryAndHeaderTests(unittest.TestCase):
    def test_reserved_keys_and_repeated_filters(self):
        parts = parse_query([("select", "id"), ("select", "x"), ("id", "gt.1"), ("id", "lt.5"), ("limit", "2"),
                             ("limit", "3"), ("offset", "-4"), ("order", "id.desc")])
        self.assertEqual(parts.select, [g.SelectItem("id")])
        self.assertEqual(len(parts.filters), 2)
        self.assertEqual((parts.limit, parts.offset), (3, 0))

    def test_unparsable_limit_is_ignored_and_negative_limit_is_416(self):
        self.assertIsNone(parse_query([("limit", "abc")]).limit)
        with self.assertRaises(ApiError) as caught:
            parse_query([("limit", "-1")])
        self.assertEqual((caught.exception.status, caught.exception.code), (416, "PGRST103"))

    def test_rpc_get_splits_arguments_from_filters(self):
        parts = parse_query([("id", "5"), ("id", "gt.2"), ("select", "id")], rpc_get=True)
        self.assertEqual(parts.arguments, {"id": ["5"]})
        self.assertEqual(parts.filters[0].expr.operator, "gt")

    def test_embedded_filter_keys_are_rejected(self):
        with self.assertRaises(ApiError) as caught:
            parse_query([("clients.id", "eq.1")])
        self.assertEqual(caught.exception.code, "PGRST108")

    def test_prefer_merges_headers_and_first_value_wins(self):
        prefs = parse_prefer(["return=minimal, count=exact", "return=representation", "resolution=merge-duplicates"])
        self.assertEqual(prefs.get("return"), "minimal")
        self.assertEqual(prefs.applied(["return", "count", "resolution"]),
                         "resolution=merge-duplicates, return=minimal, count=exact")

    def test_strict_handling_rejects_unknown_preferences(self):
        with self.assertRaises(ApiError) as caught:
            parse_prefer(["handling=strict, foo, bar=baz"])
        self.assertEqual(caught.exception.code, "PGRST122")
        self.assertEqual(caught.exception.details, "Invalid preferences: foo, bar=baz")
        self.assertEqual(parse_prefer(["foo, return=minimal"]).get("return"), "minimal")

    def test_accept_negotiation(self):
        self.assertFalse(negotiate(None))
        self.assertFalse(negotiate("application/json"))
        self.assertTrue(negotiate("application/vnd.pgrst.object+json"))
        self.assertTrue(negotiate("application/vnd.pgrst.object"))
        self.assertFalse(negotiate("text/html;q=0.5, */*;q=0.1"))
        with self.assertRaises(ApiError) as caught:
            negotiate("text/unknowntype")
        self.assertEqual((caught.exception.status, caught.exception.code), (406, "PGRST107"))

    def test_range_header_intersects_limit_and_offset(self):
        parts = parse_query([])
        apply_range_header(parts, "10-100")
        self.assertEqual((parts.offset, parts.limit), (10, 91))
        parts = parse_query([("limit", "5"), ("offset", "2")])
        apply_range_header(parts, "0-3")
        self.assertEqual((parts.offset, parts.limit), (2, 2))
        with self.assertRaises(ApiError):
            apply_range_header(parse_query([]), "1-0")
        parts = parse_query([])
        apply_range_header(parts, "items=1-2")
        self.assertEqual((parts.offset, parts.limit), (0, None))


if __name__ == "__main__":
    unittest.main()
