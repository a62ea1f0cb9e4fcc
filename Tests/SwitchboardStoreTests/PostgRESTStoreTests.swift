import Foundation
import SwitchboardCore
import SwitchboardCurl
import SwitchboardHTTP
import SwitchboardPostgREST
import SwitchboardTestSupport
import Testing

/// What only the Supabase store has, against a real PostgreSQL behind the test gateway: the SQL
/// functions a Supabase user calls directly, the schema's constraints, and how the store reports a
/// refused key or a missing schema. The shared behaviour is in the contract suite.
@Suite struct PostgRESTStoreTests {
    func withStore(_ body: (PostgRESTCallStore, TestGateway, _ url: String) async throws -> Void) async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let store = PostgRESTCallStore(
                configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey),
                transport: TestGateway.transport
            )
            try await body(store, gateway, url)
        }
    }

    /// POSTs `/rest/v1/rpc/<name>` with the service-role key and returns the response.
    func rpc(_ name: String, _ arguments: [String: String], url: String, key: String) async throws -> HTTPResponse {
        try await TestGateway.transport.send(
            HTTPRequest(
                method: .post,
                url: "\(url)/rest/v1/rpc/\(name)",
                headers: [HTTPHeader("apikey", key), HTTPHeader("Authorization", "Bearer \(key)"), HTTPHeader("Content-Type", "application/json")],
                body: Array(try JSONSerialization.data(withJSONObject: arguments))
            )
        )
    }

    @Test func claimCallTakesTheCallSidAndAgentIdAndSaysWhetherThisAgentWon() async throws {
        try await withStore { (store, gateway, url) async throws in
            let amy = try await store.upsertAgent(Agent(id: "", identity: "amy", name: "Amy", email: "amy@example.com"))
            let bob = try await store.upsertAgent(Agent(id: "", identity: "bob", name: "Bob", email: "bob@example.com"))
            let first = try await rpc("claim_call", ["p_call_sid": "CA-sql", "p_agent_id": amy.id], url: url, key: gateway.serviceRoleKey)
            #expect(first.status == 200)
            #expect(first.text == "true")
            let second = try await rpc("claim_call", ["p_call_sid": "CA-sql", "p_agent_id": bob.id], url: url, key: gateway.serviceRoleKey)
            #expect(second.text == "false")
            #expect(try await store.callWinner("CA-sql") == "amy")
            #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == "CA-sql")
            // The winner claiming again still wins; the claim through the store agrees.
            #expect(
                try await rpc("claim_call", ["p_call_sid": "CA-sql", "p_agent_id": amy.id], url: url, key: gateway.serviceRoleKey).text == "true"
            )
            #expect(try await store.claimCall("CA-sql", tenant: .default, agentIdentity: "bob", at: Date()) == .alreadyAnswered(by: "amy"))
            let unknown = try await rpc(
                "claim_call",
                ["p_call_sid": "CA-sql", "p_agent_id": UUID().uuidString],
                url: url,
                key: gateway.serviceRoleKey
            )
            #expect(unknown.status == 404)
        }
    }

    @Test func aNewAgentsIdMustBeAUUID() async throws {
        try await withStore { (store, _, _) async throws in
            await #expect(throws: StoreError.invalid) {
                try await store.upsertAgent(Agent(id: "agent-1", identity: "amy", name: "Amy", email: "amy@example.com"))
            }
            let id = UUID().uuidString.lowercased()
            #expect(try await store.upsertAgent(Agent(id: id, identity: "amy", name: "Amy", email: "amy@example.com")).id == id)
        }
    }

    @Test func identitiesOrderByteWiseAsInTheOtherStores() async throws {
        try await withStore { (store, _, _) async throws in
            for identity in ["bob", "Zed", "amy", "_x", "Bob"] {
                try await store.upsertAgent(Agent(id: "", identity: identity, name: identity, email: "\(identity)@example.com"))
            }
            #expect(try await store.agents(in: .default).map(\.identity) == ["Bob", "Zed", "_x", "amy", "bob"])
            #expect(try await store.availableIdentities(at: Date()) == ["Bob", "Zed", "_x", "amy", "bob"])
        }
    }

    @Test func valuesCannotChangeTheQuery() async throws {
        try await withStore { (store, _, _) async throws in
            // Characters PostgREST's grammar or URLs give meaning to, in values the store filters on.
            let hostile: [TenantID] = [#"a,b)"c\d"#, "x&tenant_id=eq.acme", "or=(tenant_id.eq.acme)", "+ %2B%", "in.(acme)", "acme*", "é"]
            try await store.upsertAgent(Agent(id: "", tenant: "acme", identity: "victim", name: "V", email: "v@example.com"))
            for (index, tenant) in hostile.enumerated() {
                try await store.upsertAgent(Agent(id: "", tenant: tenant, identity: "agent_\(index)", name: tenant.rawValue, email: "a@example.com"))
            }
            for (index, tenant) in hostile.enumerated() {
                let agents = try await store.agents(in: tenant)
                #expect(agents.map(\.identity) == ["agent_\(index)"], "\(tenant)")
                #expect(agents.first?.tenant == tenant)
                #expect(try await store.availableIdentities(in: tenant, at: Date()) == ["agent_\(index)"], "\(tenant)")
                try await store.mapNumber("+1555000\(index)", to: tenant)
                #expect(try await store.tenant(forCalledNumber: "+1555000\(index)") == tenant)
            }
            #expect(try await store.agents(in: "acme").map(\.identity) == ["victim"])
        }
    }

    @Test func twoAgentsOnOneCallIsImpossible() async throws {
        try await withStore { (store, _, _) async throws in
            try await store.upsertAgent(Agent(id: "", identity: "amy", name: "Amy", email: "amy@example.com", currentCallSid: "CA-1"))
            await #expect(throws: StoreError.conflict) {
                try await store.upsertAgent(Agent(id: "", identity: "bob", name: "Bob", email: "bob@example.com", currentCallSid: "CA-1"))
            }
        }
    }

    @Test func aRefusedKeyIsUnauthorized() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let store = PostgRESTCallStore(
                configuration: PostgRESTConfiguration(url: url, serviceRoleKey: "not-the-key"),
                transport: TestGateway.transport
            )
            await #expect(throws: StoreError.unauthorized) { try await store.checkReady() }
            await #expect(throws: StoreError.unauthorized) { try await store.agents(in: nil) }
        }
    }

    @Test func aSchemaWithoutTheMigrationsSaysToApplyThem() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let store = PostgRESTCallStore(
                configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey, schema: "switchboard"),
                transport: TestGateway.transport
            )
            let error = await #expect(throws: StoreError.unavailable) { try await store.checkReady() }
            #expect(error?.message.contains("apply supabase/migrations") == true, "\(String(describing: error))")
        }
    }

    @Test func ringEventSequencesFollowCommitOrderUnderConcurrency() async throws {
        try await withStore { (store, _, _) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await store.recordRingEvent(
                            RingEvent(callSid: "CA-\(index)", tenant: "acme", agentIdentity: "amy", kind: .ringing, occurredAt: Date())
                        )
                    }
                }
                try await group.waitForAll()
            }
            let events = try await store.ringEvents(in: "acme", after: 0, limit: 100)
            #expect(events.count == 40)
            #expect(events.map(\.sequence) == events.map(\.sequence).sorted())
            #expect(Set(events.map(\.callSid)).count == 40)
        }
    }
}
