import Foundation
import SwitchboardCore
import SwitchboardCurl
import SwitchboardHTTP
import SwitchboardPostgREST
import SwitchboardTestSupport
import Testing

/// What only the Supabase store's dashboard part has, against a real PostgreSQL behind the test
/// gateway: the SQL functions as a Supabase user calls them, and what a browser's anon key can reach.
@Suite struct PostgRESTDeskTests {
    /// A store on the test database at `url`.
    static func store(url: String, gateway: TestGateway) -> PostgRESTCallStore {
        PostgRESTCallStore(configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey), transport: TestGateway.transport)
    }

    /// POSTs `/rest/v1/rpc/<name>` with `key` and returns the response.
    func rpc(_ name: String, _ arguments: [String: Any], url: String, key: String) async throws -> HTTPResponse {
        try await TestGateway.transport.send(
            HTTPRequest(
                method: .post,
                url: "\(url)/rest/v1/rpc/\(name)",
                headers: [HTTPHeader("apikey", key), HTTPHeader("Authorization", "Bearer \(key)"), HTTPHeader("Content-Type", "application/json")],
                body: Array(try JSONSerialization.data(withJSONObject: arguments))
            )
        )
    }

    /// GETs `/rest/v1/<table>` with `key`.
    func read(_ table: String, url: String, key: String) async throws -> HTTPResponse {
        try await TestGateway.transport.send(
            HTTPRequest(
                method: .get,
                url: "\(url)/rest/v1/\(table)",
                headers: [HTTPHeader("apikey", key), HTTPHeader("Authorization", "Bearer \(key)")]
            )
        )
    }

    /// An insert that bypasses `create_handoff`, as an instance of the previous build makes during a
    /// rolling deploy, cannot open a second handoff of a conversation: 409. A released one does not
    /// count, and other conversations are untouched.
    @Test func aDirectInsertCannotOpenASecondHandoffOfAConversation() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let store = Self.store(url: url, gateway: gateway)
            try await store.upsertAgent(.new("amy"))
            let first = try await store.createHandoff(tenant: .default, conversationID: "conv-1", customerName: nil, summary: nil, at: Date()).handoff
            func insert(_ conversation: String) async throws -> HTTPResponse {
                let row: [String: Any] = [
                    "tenant_id": "default", "conversation_id": conversation, "status": "pending", "created_at": "2026-11-24T00:00:00Z",
                ]
                let key = gateway.serviceRoleKey
                return try await TestGateway.transport.send(
                    HTTPRequest(
                        method: .post,
                        url: "\(url)/rest/v1/chat_handoffs",
                        headers: [
                            HTTPHeader("apikey", key), HTTPHeader("Authorization", "Bearer \(key)"), HTTPHeader("Content-Type", "application/json"),
                        ],
                        body: Array(try JSONSerialization.data(withJSONObject: row))
                    )
                )
            }
            let second = try await insert("conv-1")
            #expect(second.status == 409, "\(second.text)")
            #expect(second.text.contains("already has an open handoff"))
            #expect(try await insert("conv-2").status == 201)

            #expect(try await store.pickUpHandoff(id: first.id, tenant: .default, agentIdentity: "amy", at: Date()).isPickedUp)
            #expect(try await insert("conv-1").status == 409, "an active handoff is open too")
            try await store.releaseHandoff(id: first.id, tenant: .default, agentIdentity: "amy", at: Date())
            #expect(try await insert("conv-1").status == 201, "once released, the conversation can be handed over again")
            // Both inserted with one created_at: their order is their ids'.
            #expect(try await store.handoffs(in: .default, status: .pending).map(\.conversationID).sorted() == ["conv-1", "conv-2"])
        }
    }

    @Test func theDashboardsFunctionsAnswerTheDocumentedJSON() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let store = Self.store(url: url, gateway: gateway)
            var amy = Agent(id: "", identity: "amy", name: "Amy", email: "amy@example.com")
            amy.chatCapacity = 0
            try await store.upsertAgent(amy)
            let handoff = try await store.createHandoff(tenant: .default, conversationID: "conv-1", customerName: nil, summary: nil, at: Date())
                .handoff
            let arguments: [String: Any] = ["p_id": handoff.id, "p_tenant_id": "default", "p_agent_identity": "amy", "p_at": "2026-11-23T00:00:00Z"]

            let atCapacity = try await rpc("pick_up_handoff", arguments, url: url, key: gateway.serviceRoleKey)
            #expect(atCapacity.status == 200)
            let object = try JSONSerialization.jsonObject(with: Data(atCapacity.body)) as? [String: Any]
            #expect(object?["outcome"] as? String == "at_capacity")
            #expect(object?["active"] as? Int == 0)
            #expect(object?["capacity"] as? Int == 0)

            let notActive = try await rpc("release_handoff", arguments, url: url, key: gateway.serviceRoleKey)
            #expect(notActive.status == 409)
            #expect(notActive.text.contains("PT409"))
            var unknown = arguments
            unknown["p_id"] = UUID().uuidString
            #expect(try await rpc("pick_up_handoff", unknown, url: url, key: gateway.serviceRoleKey).status == 404)

            // Amy is on a call, so retrieving a parked call names it and changes nothing.
            #expect(try await store.claimCall("CA-amy", tenant: .default, agentIdentity: "amy", at: Date()) == .won)
            let parked = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Date())
            var retrieval = arguments
            retrieval["p_id"] = parked.id
            let busy = try await rpc("retrieve_parked_call", retrieval, url: url, key: gateway.serviceRoleKey)
            #expect(busy.status == 200)
            let busyObject = try JSONSerialization.jsonObject(with: Data(busy.body)) as? [String: Any]
            #expect(busyObject?["outcome"] as? String == "agent_busy")
            #expect(busyObject?["current_call_sid"] as? String == "CA-amy")
            #expect(busyObject?.count == 2)
            #expect(try await store.parkedCalls(in: .default) == [parked])
        }
    }

    @Test func theAnonKeyReachesNoParkedCallHandoffOrDashboardFunction() async throws {
        let gateway = try TestGateway.fromEnvironment()
        let anonKey = try #require(ProcessInfo.processInfo.environment["SWITCHBOARD_TEST_SUPABASE_ANON_KEY"], "the anon key is not set")
        try await gateway.withDatabase { (url, _) async throws in
            let store = Self.store(url: url, gateway: gateway)
            try await store.upsertAgent(Agent(id: "", identity: "amy", name: "Amy", email: "amy@example.com"))
            let handoff = try await store.createHandoff(tenant: .default, conversationID: "conv-1", customerName: nil, summary: nil, at: Date())
                .handoff
            let parked = try await store.parkCall("CA-1", tenant: .default, slot: "park", parkedBy: "amy", at: Date())
            #expect(try await store.claimCall("CA-9", tenant: .default, agentIdentity: "amy", at: Date()) == .won)
            let amy = try await store.agent(identity: "amy", in: .default)

            for table in ["parked_calls", "chat_handoffs", "calls"] {
                let response = try await read(table, url: url, key: anonKey)
                #expect(response.status != 200 || response.text == "[]", "\(table): \(response.status) \(response.text)")
            }
            let calls: [(String, [String: Any])] = [
                ("pick_up_handoff", ["p_id": handoff.id, "p_tenant_id": "default", "p_agent_identity": "amy", "p_at": "2026-11-23T00:00:00Z"]),
                ("release_handoff", ["p_id": handoff.id, "p_tenant_id": "default", "p_agent_identity": "amy", "p_at": "2026-11-23T00:00:00Z"]),
                ("retrieve_parked_call", ["p_id": parked.id, "p_tenant_id": "default", "p_agent_identity": "amy", "p_at": "2026-11-23T00:00:00Z"]),
                ("end_unbridged_park", ["p_id": parked.id, "p_tenant_id": "default", "p_call_sid": "CA-1", "p_at": "2026-11-23T00:00:00Z"]),
                (
                    "end_parkers_part",
                    ["p_id": parked.id, "p_tenant_id": "default", "p_at": "2026-11-23T00:00:00Z", "p_wrap_up_ends_at": "2026-11-23T00:00:00Z"]
                ),
                (
                    "release_stranded_retrieval",
                    [
                        "p_id": parked.id, "p_tenant_id": "default", "p_agent_identity": "amy", "p_retrieved_at": "2026-11-23T00:00:00Z",
                        "p_arrived_before": "2026-11-23T00:00:00Z",
                    ]
                ),
                ("release_agent", ["p_tenant_id": "default", "p_identity": "amy", "p_call_sid": "CA-9", "p_now": "2026-11-23T00:00:00Z"]),
                (
                    "end_answered_dial",
                    ["p_call_sid": "CA-9", "p_at": "2026-11-23T00:00:00Z", "p_wrap_up_ends_at": "2026-11-23T00:00:00Z", "p_joined_by": NSNull()]
                ),
                (
                    "joined_by_retrieval",
                    ["p_call_sid": "CA-9", "p_tenant_id": "default", "p_identity": "amy", "p_since": "2026-11-23T00:00:00Z"]
                ),
                (
                    "end_agent_leg",
                    [
                        "p_call_sid": "CA-9", "p_tenant_id": "default", "p_identity": "amy", "p_at": "2026-11-23T00:00:00Z",
                        "p_wrap_up_ends_at": "2026-11-23T00:00:00Z", "p_joined_by": NSNull(),
                    ]
                ),
                (
                    "park_call",
                    ["p_call_sid": "CA-2", "p_tenant_id": "default", "p_slot": "park", "p_parked_by": "amy", "p_parked_at": "2026-11-23T00:00:00Z"]
                ),
            ]
            for (name, arguments) in calls {
                let response = try await rpc(name, arguments, url: url, key: anonKey)
                #expect([401, 403].contains(response.status), "\(name): \(response.status) \(response.text)")
            }
            #expect(try await store.handoffs(in: .default, status: nil) == [handoff])
            #expect(try await store.parkedCalls(in: .default) == [parked])
            #expect(try await store.agent(identity: "amy", in: .default) == amy)
        }
    }
}
