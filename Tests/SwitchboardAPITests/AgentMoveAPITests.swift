import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardWebhooks
import Testing

/// A user moved to another tenant (their token's `app_metadata.tenant_id` changed): one identity, one
/// current tenant, since a Twilio client name rings in every tenant that holds it.
@Suite("Agents' API: a user moved between tenants")
struct AgentMoveAPITests {
    /// Ann, moved from acme to globex.
    static var annInGlobexToken: String {
        TokenMinter.user(DeskHarness.annID, tenant: "globex", email: "ann.lee@example.com", firstName: "Ann", lastName: "Lee")
    }

    /// Ann's acme token, issued a minute ago: before any move these tests make.
    static var staleAcmeToken: String {
        TokenMinter.user(DeskHarness.annID, email: "ann.lee@example.com", issuedAt: Date().addingTimeInterval(-60))
    }

    /// Ann's acme token, issued after the moves these tests make (whose instants are now, to the
    /// second; `iat` is whole seconds).
    static var laterAcmeToken: String {
        TokenMinter.user(DeskHarness.annID, email: "ann.lee@example.com", issuedAt: Date().addingTimeInterval(2))
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

                // Her acme token from before the move cannot bring her back, on any route.
                for (method, path) in [(HTTPRequest.Method.get, "/api/agents/me"), (.get, "/api/handoffs"), (.post, "/api/agents/sync")] {
                    let stale = try await client.api(method, path, token: Self.staleAcmeToken)
                    #expect(stale.status == .conflict, "\(path)")
                    #expect(try DeskHarness.errorCode(stale) == "agent_retired", "\(path)")
                }
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme") == old)
                #expect(!(try await store.availableAgents(in: "acme", at: Date(), limit: 10).map(\.identity).contains(DeskHarness.ann)))
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

                // A token naming acme issued before the move reaches only the retired record: it can
                // neither change it, nor answer acme's calls with it, nor move her back.
                try await store.recordRinging(DeskHarness.ringing("CAacme", agents: [DeskHarness.ann]))
                for (method, path, json) in [
                    (HTTPRequest.Method.get, "/api/agents/me", nil), (.patch, "/api/agents/me", #"{"presence":"available"}"#),
                    (.post, "/api/calls/CAacme/claim", nil), (.post, "/api/agents/sync", nil),
                    // Nor read acme's lists, nor hand a chat over in acme: the token no longer speaks for
                    // a user of acme (these routes need no agent record, and used to answer 200).
                    (.get, "/api/voicemails", nil), (.get, "/api/calls/ringing", nil), (.get, "/api/parked", nil),
                    (.get, "/api/handoffs", nil), (.post, "/api/handoffs", #"{"conversationID":"c-stale"}"#),
                ] {
                    let response = try await client.api(method, path, token: Self.staleAcmeToken, json: json)
                    #expect(response.status == .conflict, "\(path)")
                    let body = try DeskHarness.object(response)
                    #expect(body["error"] as? String == "agent_retired", "\(path)")
                    #expect((body["hint"] as? String)?.contains("Sign in again") == true, "\(path)")
                }
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme") == retired)
                #expect(try await store.callWinner("CAacme") == nil)
                #expect(try await store.handoffs(in: "acme", status: .pending).isEmpty)

                // A token issued after the move (acme took her back) moves her back: the same acme
                // record, current again, and offline until she says otherwise.
                let back = try DeskHarness.object(try await client.api(.post, "/api/agents/sync", token: Self.laterAcmeToken))
                #expect(try #require(back["id"] as? String) == (try #require(first["id"] as? String)))
                #expect(back["tenant"] as? String == "acme" && back["presence"] as? String == "offline")
                #expect(try await store.agent(identity: DeskHarness.ann, in: "globex").isRetired)
            }
        }
    }

    /// A park that times out after its parker moved to another tenant goes to voicemail: the parker's
    /// client name now rings for the other tenant.
    @Test(arguments: StoreUnderTest.all)
    func aParkWhoseParkerMovedAwayGoesToVoicemailAtItsTimeout(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                try await ParkingAPITests.answered("CAmoved", store: store, client: client)
                let id = try await ParkingAPITests.park("CAmoved", client: client)
                // Parked, the call is no longer hers (the park took her off it), so she can move.
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                #expect(try await client.api(.get, "/api/agents/me", token: Self.annInGlobexToken).status == .ok)
                let status = try await client.twilio(
                    "/twilio/park-status?tenant=acme&parked=\(id)",
                    ["CallSid": "CAmoved", "QueueResult": "leave", "QueueTime": "120"]
                )
                let body = String(buffer: status.body)
                #expect(status.status == .ok)
                #expect(body.contains("<Record") && !body.contains("<Client"), "\(body)")
            }
        }
    }

    /// A user moved while on a call keeps their record, and the call, until it ends: moved at once they
    /// would be free, and rung, in the new tenant while still talking in the old one.
    @Test(arguments: StoreUnderTest.all)
    func aUserOnACallMovesOnlyOnceItEnds(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                try await store.recordRinging(DeskHarness.ringing("CAtalk", agents: [DeskHarness.ann]))
                #expect(try await client.api(.post, "/api/calls/CAtalk/claim", token: DeskHarness.annToken).status == .ok)
                let onCall = try await store.agent(identity: DeskHarness.ann, in: "acme")

                let early = try await client.api(.get, "/api/agents/me", token: Self.annInGlobexToken)
                #expect(early.status == .conflict)
                #expect(try DeskHarness.errorCode(early) == "agent_busy")
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme") == onCall)
                #expect(try await store.agents(in: "globex") == [])

                try await store.endCall("CAtalk", at: Date(), wrapUpSeconds: 0)
                let moved = try await client.api(.get, "/api/agents/me", token: Self.annInGlobexToken)
                #expect(moved.status == .ok)
                #expect(try DeskHarness.object(moved)["tenant"] as? String == "globex")
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").isRetired)
            }
        }
    }
}
