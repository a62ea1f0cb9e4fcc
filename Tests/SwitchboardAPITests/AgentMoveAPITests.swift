import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import Testing

/// A user moved to another tenant (their token's `app_metadata.tenant_id` changed): one identity, one
/// current tenant, since a Twilio client name rings in every tenant that holds it.
@Suite("Agents' API: a user moved between tenants")
struct AgentMoveAPITests {
    /// Ann, moved from acme to globex.
    static var annInGlobexToken: String {
        TokenMinter.user(DeskHarness.annID, tenant: "globex", email: "ann.lee@example.com", firstName: "Ann", lastName: "Lee")
    }

    @Test(arguments: StoreUnderTest.all)
    func withAutoProvisioningTheNewTenantsTokenMovesTheRecordAndTheOldTenantNoLongerRingsIt(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                #expect(try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken).status == .ok)
                #expect(try await store.availableAgents(in: "acme", at: Date(), limit: 10).map(\.identity) == [DeskHarness.ann])

                let me = try await client.api(.get, "/api/agents/me", token: Self.annInGlobexToken)
                #expect(me.status == .ok)
                let body = try DeskHarness.object(me)
                #expect(body["tenant"] as? String == "globex")
                #expect(body["presence"] as? String == "available")
                #expect(body["retiredAt"] == nil)

                let old = try await store.agent(identity: DeskHarness.ann, in: "acme")
                #expect(old.isRetired && old.presence == .offline)
                #expect(try await store.availableAgents(in: "acme", at: Date(), limit: 10).map(\.identity) == [], "acme's calls no longer ring Ann")
                #expect(try await store.availableAgents(in: "globex", at: Date(), limit: 10).map(\.identity) == [DeskHarness.ann])

                // Acme's supervisor no longer lists her, and cannot put her back to work there.
                let list = try DeskHarness.object(try await client.api(.get, "/api/agents", token: DeskHarness.supToken))
                let identities = try #require(list["agents"] as? [[String: Any]]).compactMap { $0["identity"] as? String }
                #expect(identities == [DeskHarness.sup])
                let release = try await client.api(.post, "/api/agents/\(DeskHarness.ann)/release", token: DeskHarness.supToken)
                #expect(release.status == .conflict)
                #expect(try DeskHarness.errorCode(release) == "agent_retired")
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme") == old)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func withoutAutoProvisioningTheOldTenantsRecordIs409UntilSyncMovesItBack(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, desk: DeskHarness.desk(autoProvisioning: false)).test(.router) { client in
                let first = try DeskHarness.object(try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken))
                let moved = try await client.api(.post, "/api/agents/sync", token: Self.annInGlobexToken)
                #expect(moved.status == .ok)
                #expect(try DeskHarness.object(moved)["tenant"] as? String == "globex")
                let retired = try await store.agent(identity: DeskHarness.ann, in: "acme")
                #expect(retired.isRetired && retired.presence == .offline)

                // A token still naming acme (issued before the move) reaches only the retired record: it
                // can neither change it nor answer acme's calls with it.
                try await store.recordRinging(DeskHarness.ringing("CAacme", agents: [DeskHarness.ann]))
                for (method, path, json) in [
                    (HTTPRequest.Method.get, "/api/agents/me", nil), (.patch, "/api/agents/me", #"{"presence":"available"}"#),
                    (.post, "/api/calls/CAacme/claim", nil),
                ] {
                    let response = try await client.api(method, path, token: DeskHarness.annToken, json: json)
                    #expect(response.status == .conflict, "\(path)")
                    let body = try DeskHarness.object(response)
                    #expect(body["error"] as? String == "agent_retired", "\(path)")
                    #expect((body["hint"] as? String)?.contains("POST /api/agents/sync") == true, "\(path)")
                }
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme") == retired)
                #expect(try await store.callWinner("CAacme") == nil)

                // Syncing with that token moves her back: the same acme record, current again.
                let back = try DeskHarness.object(try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken))
                #expect(back["id"] as? String == first["id"] as? String)
                #expect(back["tenant"] as? String == "acme" && back["presence"] as? String == "available")
                #expect(try await store.agent(identity: DeskHarness.ann, in: "globex").isRetired)
            }
        }
    }
}
