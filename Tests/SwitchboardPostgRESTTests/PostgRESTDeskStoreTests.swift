import Foundation
import SwitchboardCore
import SwitchboardHTTP
import SwitchboardPostgREST
import Testing

/// The store's `DeskStore` requests and its reading of the answers, over a scripted transport. The
/// contract suite runs the same store against a real PostgreSQL (SwitchboardStoreTests).
@Suite struct PostgRESTDeskStoreTests {
    static let base = "https://abcd.supabase.co/rest/v1"
    static let id = "0b6f3f4e-5b6a-4c1e-9d7a-2f0c8e1d2a3b"

    func store(_ transport: ScriptedTransport) -> PostgRESTCallStore {
        PostgRESTCallStore(
            configuration: PostgRESTConfiguration(url: "https://abcd.supabase.co", serviceRoleKey: "key"),
            transport: transport,
            pause: { _ in },
            random: { 0.5 }
        )
    }

    @Test func listsAreFilteredAndOrderedByTheDatabase() async throws {
        let transport = ScriptedTransport(status: 200, json: "[]", repeating: 5)
        let store = store(transport)
        _ = try await store.ringingCalls(in: "acme")
        _ = try await store.ringOutcomes(of: "amy", in: "acme", limit: 3)
        _ = try await store.parkedCalls(in: "acme")
        _ = try await store.handoffs(in: "acme", status: .pending)
        _ = try await store.handoffs(in: "acme", status: nil)
        #expect(transport.requests.allSatisfy { $0.method == .get })
        #expect(
            transport.requests.map(\.url) == [
                "\(Self.base)/calls?select=call_sid,tenant_id,caller,called,agents_rung,started_at&tenant_id=eq.acme"
                    + "&answered_by=is.null&finished_at=is.null&order=started_at.asc,call_sid.asc&limit=1000",
                "\(Self.base)/ring_events?select=sequence,call_sid,tenant_id,agent_identity,kind,occurred_at,detail,occurrence&tenant_id=eq.acme"
                    + "&agent_identity=eq.amy&kind=in.(%22answered%22,%22declined%22,%22missed%22)&order=sequence.desc&limit=3",
                "\(Self.base)/parked_calls?select=id,tenant_id,call_sid,slot,parked_by,parked_at,retrieved_by,retrieved_at,ended_at,arrived_at,retriever_arrived_at"
                    + "&tenant_id=eq.acme&retrieved_at=is.null&ended_at=is.null&order=parked_at.asc,call_sid.asc&limit=1000",
                "\(Self.base)/chat_handoffs?select=id,tenant_id,conversation_id,customer_name,summary,status,picked_up_by,picked_up_at,"
                    + "released_at,created_at&tenant_id=eq.acme&status=eq.pending&order=created_at.asc,id.asc&limit=1000",
                "\(Self.base)/chat_handoffs?select=id,tenant_id,conversation_id,customer_name,summary,status,picked_up_by,picked_up_at,"
                    + "released_at,created_at&tenant_id=eq.acme&order=created_at.asc,id.asc&limit=1000",
            ]
        )
    }

    /// A list is read in pages of the project's Max Rows: a full page is followed by the next, from the
    /// row after it; a short one ends the list.
    static func page(_ ids: ClosedRange<Int>) -> Result<HTTPResponse, TransportError> {
        let rows = ids.map {
            #"{"tenant_id":"acme","identity":"a\#($0)","id":"\#($0)","name":"A","email":"a@x.com","presence":"away","chat_capacity":1}"#
        }
        return .success(HTTPResponse(status: 200, body: Array("[\(rows.joined(separator: ","))]".utf8)))
    }

    @Test func aFullPageIsFollowedByTheNext() async throws {
        let page = Self.page
        let transport = ScriptedTransport([page(1...2), page(3...4), page(5...5)])
        let store = PostgRESTCallStore(
            configuration: PostgRESTConfiguration(url: "https://abcd.supabase.co", serviceRoleKey: "key", maxRows: 2),
            transport: transport,
            pause: { _ in },
            random: { 0.5 }
        )
        #expect(try await store.agents(in: "acme").map(\.identity) == ["a1", "a2", "a3", "a4", "a5"])
        #expect(
            transport.requests.map { $0.url.components(separatedBy: "&order=").last } == [
                "tenant_id.asc,identity.asc&limit=2", "tenant_id.asc,identity.asc&limit=2&offset=2", "tenant_id.asc,identity.asc&limit=2&offset=4",
            ]
        )
    }

    /// A row added before the pages already read moves the others back by one: the row that comes twice
    /// is kept once, and an empty page ends the list.
    @Test func aRowThatComesAgainOnTheNextPageIsKeptOnce() async throws {
        let transport = ScriptedTransport([Self.page(1...2), Self.page(2...3), .success(HTTPResponse(status: 200, body: Array("[]".utf8)))])
        let store = PostgRESTCallStore(
            configuration: PostgRESTConfiguration(url: "https://abcd.supabase.co", serviceRoleKey: "key", maxRows: 2),
            transport: transport,
            pause: { _ in },
            random: { 0.5 }
        )
        #expect(try await store.agents(in: "acme").map(\.identity) == ["a1", "a2", "a3"])
        #expect(transport.requests.map { $0.url.components(separatedBy: "&limit=").last } == ["2", "2&offset=2", "2&offset=4"])
    }

    @Test func finishingAndEndingAreConditionalUpdates() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"[{"answered_by":null,"finished_at":"1970-01-01T00:00:05+00:00"}]"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
        ])
        let store = store(transport)
        // The update changed no row, and the read finds the call finished: another request finished it.
        #expect(try await store.finishCall("CA1", at: Date(timeIntervalSince1970: 5)) == .finishedBefore)
        #expect(try await store.endParkedCall("CA1", at: Date(timeIntervalSince1970: 6)) == nil)

        let requests = transport.requests
        #expect(requests.map(\.method) == [.patch, .get, .patch])
        #expect(requests[0].url == "\(Self.base)/calls?select=call_sid&call_sid=eq.CA1&finished_at=is.null&answered_by=is.null")
        #expect(requests[0].header("Prefer") == "return=representation")
        #expect(try Self.object(requests[0].body) as? [String: String] == ["finished_at": "1970-01-01T00:00:05.000000Z"])
        #expect(requests[1].url == "\(Self.base)/calls?select=answered_by,finished_at&call_sid=eq.CA1")
        #expect(
            requests[2].url
                == "\(Self.base)/parked_calls?select=id,tenant_id,call_sid,slot,parked_by,parked_at,retrieved_by,retrieved_at,ended_at,arrived_at,retriever_arrived_at"
                + "&call_sid=eq.CA1&retrieved_at=is.null&ended_at=is.null"
        )
        #expect(requests[2].header("Prefer") == "return=representation")
        #expect(try Self.object(requests[2].body) as? [String: String] == ["ended_at": "1970-01-01T00:00:06.000000Z"])
    }

    /// A release names the call as seen, a null included (PostgREST picks a function by its argument
    /// names); setting away is one update whose filters are the condition, and a second read tells a
    /// missing agent from one that is not free.
    @Test func aReleaseSendsItsCallAndSettingAwayIsAConditionalUpdate() async throws {
        let agent =
            #"{"id":"u1","tenant_id":"acme","identity":"amy","name":"Amy","email":"a@x","presence":"away","current_call_sid":null,"#
            + #""wrap_up_ends_at":null,"last_call_ended_at":null,"chat_capacity":5,"retired_at":null}"#
        // As `to_jsonb` writes a row: timestamps with an offset, and columns the service does not read.
        let ended = agent.replacingOccurrences(of: #""last_call_ended_at":null"#, with: #""last_call_ended_at":"2026-11-23T10:00:05.25+00:00""#)
            .replacingOccurrences(of: #""retired_at":null"#, with: #""retired_at":null,"created_at":"2026-11-01T00:00:00+00:00""#)
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"call_changed","agent":\#(agent)}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"sideways","agent":\#(agent)}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"released","agent":\#(ended)}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
            .success(HTTPResponse(status: 200, body: Array("[\(agent)]".utf8))),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
        ])
        let store = store(transport)
        guard case .callChanged(let seen) = try await store.releaseAgent(identity: "amy", in: "acme", onCall: nil, at: Date(timeIntervalSince1970: 5))
        else {
            Issue.record("expected call_changed")
            return
        }
        #expect(seen.identity == "amy" && seen.presence == .away)
        await #expect(throws: StoreError.corrupt) {
            try await store.releaseAgent(identity: "amy", in: "acme", onCall: "CA1", at: Date(timeIntervalSince1970: 5))
        }
        let release = try await store.releaseAgent(identity: "amy", in: "acme", onCall: "CA1", at: Date(timeIntervalSince1970: 5))
        #expect(release.isReleased)
        #expect(release.agent.lastCallEndedAt == Date(timeIntervalSince1970: 1_795_428_005.25))
        #expect(try await store.setAwayIfFree(identity: "amy", in: "acme") == nil)
        await #expect(throws: StoreError.notFound) { try await store.setAwayIfFree(identity: "amy", in: "acme") }

        let requests = transport.requests
        #expect(requests.map(\.method) == [.post, .post, .post, .patch, .get, .patch, .get])
        #expect(requests[0].url == "\(Self.base)/rpc/release_agent")
        let released = try Self.object(requests[0].body) as? [String: Any]
        #expect(released?.count == 4)
        #expect(released?["p_call_sid"] is NSNull)
        #expect(released?["p_now"] as? String == "1970-01-01T00:00:05.000000Z")
        #expect((try Self.object(requests[1].body) as? [String: Any])?["p_call_sid"] as? String == "CA1")
        #expect(requests[3].url.hasSuffix("&tenant_id=eq.acme&identity=eq.amy&retired_at=is.null&presence=eq.available&current_call_sid=is.null"))
        #expect(try Self.object(requests[3].body) as? [String: String] == ["presence": "away"])
        #expect(requests[4].url.hasPrefix("\(Self.base)/agents?select="))
        #expect(requests[4].url.hasSuffix("&tenant_id=eq.acme&identity=eq.amy"))
    }

    /// The update's returned row says this request finished the call: no read follows.
    @Test func finishingTheCallAnswersFinishedNow() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, body: Array(#"[{"call_sid":"CA1"}]"#.utf8)))])
        let store = store(transport)
        #expect(try await store.finishCall("CA1", at: Date(timeIntervalSince1970: 5)) == .finishedNow)
        #expect(transport.requests.map(\.method) == [.patch])
    }

    @Test func finishingAnAnsweredOrUnknownCallSaysWhich() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"[{"answered_by":"amy","finished_at":null}]"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
        ])
        let store = store(transport)
        #expect(try await store.finishCall("CA1", at: Date(timeIntervalSince1970: 5)) == .notFinished)
        #expect(try await store.finishCall("CAnone", at: Date(timeIntervalSince1970: 5)) == .unknown)
    }

    /// The call's ringing record landed between the update and the read (a retry from a failing store,
    /// or another instance): the read finds it ringing, and the update is made again.
    @Test func aCallRecordedBetweenTheUpdateAndTheReadIsFinishedByASecondUpdate() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"[{"answered_by":null,"finished_at":null}]"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"[{"call_sid":"CA1"}]"#.utf8))),
        ])
        let store = store(transport)
        #expect(try await store.finishCall("CA1", at: Date(timeIntervalSince1970: 5)) == .finishedNow)
        #expect(transport.requests.map(\.method) == [.patch, .get, .patch])
    }

    /// A row that a second update still does not match (a project that refuses the update without an
    /// error) is not finished, as before the re-update, rather than an error that would drop the end.
    @Test func aRowTheSecondUpdateStillMissesIsNotFinished() async throws {
        let ringing = HTTPResponse(status: 200, body: Array(#"[{"answered_by":null,"finished_at":null}]"#.utf8))
        let none = HTTPResponse(status: 200, body: Array("[]".utf8))
        let transport = ScriptedTransport([.success(none), .success(ringing), .success(none), .success(ringing)])
        let store = store(transport)
        #expect(try await store.finishCall("CA1", at: Date(timeIntervalSince1970: 5)) == .notFinished)
        #expect(transport.requests.map(\.method) == [.patch, .get, .patch, .get])
    }

    @Test func retrievalOutcomesDecode() async throws {
        let parked =
            #"{"id":"\#(Self.id)","tenant_id":"acme","call_sid":"CA1","slot":"park","parked_by":"amy","#
            + #""parked_at":"2025-06-15T15:06:40+00:00","retrieved_by":"bob","retrieved_at":"2025-06-15T15:07:40.5+00:00","ended_at":null}"#
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"retrieved","parked_call":\#(parked)}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"already_retrieved","retrieved_by":"bob"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"ended"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"retrieved"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"agent_busy","current_call_sid":"CA9"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"agent_busy"}"#.utf8))),
        ])
        let store = store(transport)
        let now = Date(timeIntervalSince1970: 1_750_000_060)
        let expected = ParkedCall(
            id: Self.id,
            tenant: "acme",
            callSid: "CA1",
            slot: "park",
            parkedBy: "amy",
            parkedAt: Date(timeIntervalSince1970: 1_750_000_000),
            retrievedBy: "bob",
            retrievedAt: Date(timeIntervalSince1970: 1_750_000_060.5)
        )
        #expect(try await store.retrieveParkedCall(id: Self.id, tenant: "acme", agentIdentity: "bob", at: now) == .retrieved(expected))
        #expect(try await store.retrieveParkedCall(id: Self.id, tenant: "acme", agentIdentity: "cat", at: now) == .alreadyRetrieved(by: "bob"))
        #expect(try await store.retrieveParkedCall(id: Self.id, tenant: "acme", agentIdentity: "cat", at: now) == .ended)
        await #expect(throws: StoreError.corrupt) { try await store.retrieveParkedCall(id: Self.id, tenant: "acme", agentIdentity: "cat", at: now) }
        #expect(try await store.retrieveParkedCall(id: Self.id, tenant: "acme", agentIdentity: "cat", at: now) == .agentBusy(currentCallSid: "CA9"))
        await #expect(throws: StoreError.corrupt) { try await store.retrieveParkedCall(id: Self.id, tenant: "acme", agentIdentity: "cat", at: now) }

        let request = try #require(transport.requests.first)
        #expect(request.url == "\(Self.base)/rpc/retrieve_parked_call")
        #expect(
            try Self.object(request.body) as? [String: String] == [
                "p_id": Self.id, "p_tenant_id": "acme", "p_agent_identity": "bob", "p_at": "2025-06-15T15:07:40.000000Z",
            ]
        )
    }

    @Test func pickupOutcomesDecode() async throws {
        let handoff =
            #"{"id":"\#(Self.id)","tenant_id":"acme","conversation_id":"conv-1","customer_name":null,"summary":"refund","#
            + #""status":"active","picked_up_by":"amy","picked_up_at":"2025-06-15T15:06:40+00:00","released_at":null,"#
            + #""created_at":"2025-06-15T15:06:00+00:00"}"#
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"picked_up","handoff":\#(handoff)}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"already_picked_up","picked_up_by":"bob"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"already_picked_up","picked_up_by":"bob","status":"active"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"already_picked_up","picked_up_by":"bob","status":"released"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"at_capacity","active":5,"capacity":5}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"at_capacity","active":5}"#.utf8))),
        ])
        let store = store(transport)
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let expected = ChatHandoff(
            id: Self.id,
            tenant: "acme",
            conversationID: "conv-1",
            summary: "refund",
            status: .active,
            pickedUpBy: "amy",
            pickedUpAt: now,
            createdAt: Date(timeIntervalSince1970: 1_749_999_960)
        )
        #expect(try await store.pickUpHandoff(id: Self.id, tenant: "acme", agentIdentity: "amy", at: now) == .pickedUp(expected))
        // Without the status (a project before migration 20261125000000), with it, and released.
        #expect(try await store.pickUpHandoff(id: Self.id, tenant: "acme", agentIdentity: "amy", at: now) == .alreadyPickedUp(by: "bob"))
        #expect(try await store.pickUpHandoff(id: Self.id, tenant: "acme", agentIdentity: "amy", at: now) == .alreadyPickedUp(by: "bob"))
        #expect(try await store.pickUpHandoff(id: Self.id, tenant: "acme", agentIdentity: "amy", at: now) == .released(by: "bob"))
        #expect(try await store.pickUpHandoff(id: Self.id, tenant: "acme", agentIdentity: "amy", at: now) == .atCapacity(active: 5, capacity: 5))
        await #expect(throws: StoreError.corrupt) { try await store.pickUpHandoff(id: Self.id, tenant: "acme", agentIdentity: "amy", at: now) }
        #expect(transport.requests.map(\.url) == Array(repeating: "\(Self.base)/rpc/pick_up_handoff", count: 6))
    }

    @Test func theFunctionsNotFoundAndConflictCarryTheirMessages() async throws {
        let transport = ScriptedTransport([
            .success(
                HTTPResponse(status: 409, body: Array(#"{"code":"PT409","details":null,"hint":null,"message":"Call CA1 is already parked"}"#.utf8))
            ),
            .success(
                HTTPResponse(status: 404, body: Array(#"{"code":"PT404","details":null,"hint":null,"message":"No agent zed in tenant acme"}"#.utf8))
            ),
        ])
        let store = store(transport)
        let conflict = await #expect(throws: StoreError.conflict) {
            try await store.parkCall("CA1", tenant: "acme", slot: "park", parkedBy: "amy", at: Date())
        }
        #expect(conflict?.message == "Call CA1 is already parked")
        let notFound = await #expect(throws: StoreError.notFound) {
            try await store.releaseHandoff(id: Self.id, tenant: "acme", agentIdentity: "zed", at: Date())
        }
        #expect(notFound?.message == "No agent zed in tenant acme")
    }

    @Test func anIdThatIsNotAUUIDIsNotFoundWithoutARequest() async throws {
        let transport = ScriptedTransport([])
        let store = store(transport)
        for id in ["", "not-a-uuid", "1", "\(Self.id)x"] {
            await #expect(throws: StoreError.notFound) { try await store.parkedCall(id: id, in: "acme") }
            await #expect(throws: StoreError.notFound) {
                try await store.retrieveParkedCall(id: id, tenant: "acme", agentIdentity: "amy", at: Date())
            }
            await #expect(throws: StoreError.notFound) { try await store.pickUpHandoff(id: id, tenant: "acme", agentIdentity: "amy", at: Date()) }
            await #expect(throws: StoreError.notFound) { try await store.releaseHandoff(id: id, tenant: "acme", agentIdentity: "amy", at: Date()) }
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func atomicWritesAreNeverRetried() async throws {
        let unavailable = HTTPResponse(status: 503, body: Array(#"{"code":"PGRST001","message":"down"}"#.utf8))
        let transport = ScriptedTransport(Array(repeating: .success(unavailable), count: 4))
        let store = store(transport)
        await #expect(throws: StoreError.unavailable) { try await store.pickUpHandoff(id: Self.id, tenant: "acme", agentIdentity: "amy", at: Date()) }
        await #expect(throws: StoreError.unavailable) {
            try await store.retrieveParkedCall(id: Self.id, tenant: "acme", agentIdentity: "amy", at: Date())
        }
        #expect(transport.requests.count == 2)
    }

    private static func object(_ body: [UInt8]?) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try #require(body)))
    }
}
