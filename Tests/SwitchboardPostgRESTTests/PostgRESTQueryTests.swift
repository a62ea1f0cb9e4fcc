import SwitchboardPostgREST
import Testing

/// Query strings checked against the grammar in ../shared/reference/postgrest.md (§1.2–1.6).
@Suite struct PostgRESTQueryTests {
    @Test func readsRenderAsTheReferenceWritesThem() {
        let query = PostgRESTQuery(
            "agents",
            select: ["id", "identity"],
            filters: [.eq("is_available", "true"), .is("current_call_id", .null)],
            order: [PostgRESTOrder("last_call_ended_at", nulls: .first)],
            limit: 10
        )
        // §7.4's "Read available agents" request, parameter for parameter.
        #expect(
            query.pathAndQuery
                == "agents?select=id,identity&is_available=eq.true&current_call_id=is.null&order=last_call_ended_at.asc.nullsfirst&limit=10"
        )
    }

    @Test func topLevelValuesAreVerbatimButPercentEncoded() {
        // PostgREST takes an eq value verbatim; `+` would decode to a space, `&` would end the value.
        let query = PostgRESTQuery("agents", filters: [.eq("name", "a+b&c=d \"e\" 100%")])
        #expect(query.pathAndQuery == "agents?name=eq.a%2Bb%26c%3Dd%20%22e%22%20100%25")
        #expect(query.parameters.map(\.value) == ["eq.a+b&c=d \"e\" 100%"])
    }

    @Test func inListsQuoteEveryValueWithBackslashEscapes() {
        // §1.4: inside in.(…) `\"` is a quote and `\\` a backslash.
        let filter = PostgRESTFilter.in("name", ["Hebdon, John", #"Double"Quote"#, #"\"#, ")"])
        #expect(filter.parameter.value == #"in.("Hebdon, John","Double\"Quote","\\",")")"#)
        #expect(PostgRESTFilter.in("id", []).parameter.value == "in.()")
    }

    @Test func groupsQuoteValuesAndNest() {
        let filter = PostgRESTFilter.or([
            .is("wrap_up_ends_at", .null),
            .compare("wrap_up_ends_at", .lte, "2025-06-15T14:26:40.000000Z"),
            .and([.compare("name", .eq, "a,b)"), .not(.is("email", .null))]),
        ])
        #expect(filter.parameter.name == "or")
        #expect(
            filter.parameter.value
                == #"(wrap_up_ends_at.is.null,wrap_up_ends_at.lte."2025-06-15T14:26:40.000000Z",and(name.eq."a,b)",email.not.is.null))"#
        )
    }

    @Test func negationsPrefixTheOperator() {
        #expect(PostgRESTFilter.not(.eq("id", "5")).parameter == ("id", "not.eq.5"))
        #expect(PostgRESTFilter.not(.in("id", ["1", "2"])).parameter == ("id", #"not.in.("1","2")"#))
        #expect(PostgRESTFilter.not(.or([.eq("a", "1")])).parameter == ("not.or", #"(a.eq."1")"#))
        #expect(PostgRESTFilter.not(.not(.eq("id", "5"))).parameter == ("id", "eq.5"))
    }

    @Test func identifiersOutsideTheGrammarAreQuoted() {
        #expect(PostgRESTFilter.eq("information.cpe", "x").parameter.name == #""information.cpe""#)
        #expect(PostgRESTOrder("a b", ascending: false, nulls: .last).term == #""a b".desc.nullslast"#)
    }

    @Test func offsetsFollowTheLimit() {
        let query = PostgRESTQuery("chat_handoffs", order: [PostgRESTOrder("created_at")], limit: 1_000, offset: 2_000)
        #expect(query.pathAndQuery == "chat_handoffs?order=created_at.asc&limit=1000&offset=2000")
        #expect(PostgRESTQuery("agents", offset: -1).pathAndQuery == "agents?offset=0")
    }

    @Test func limitsAndConflictTargets() {
        let query = PostgRESTQuery("ring_events", limit: -3, onConflict: ["call_sid", "agent_identity", "kind"])
        #expect(query.pathAndQuery == "ring_events?limit=0&on_conflict=call_sid,agent_identity,kind")
        #expect(PostgRESTQuery("rpc/claim_call").pathAndQuery == "rpc/claim_call")
    }

    @Test func nonASCIIIsEncodedAsUTF8() {
        #expect(PostgRESTQuery.percentEncoded("é+") == "%C3%A9%2B")
    }

    @Test func preferencesCombineInOneHeader() {
        #expect(
            PostgRESTPreferences(returning: .representation, resolution: .mergeDuplicates).headerValue
                == "resolution=merge-duplicates, return=representation"
        )
        #expect(PostgRESTPreferences().headerValue == nil)
        #expect(PostgRESTPreferences(returning: .minimal, missingDefault: true).headerValue == "missing=default, return=minimal")
    }
}
