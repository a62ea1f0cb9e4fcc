import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import Testing

/// Agent records: sync, auto-provisioning on and off, me, presence, the supervisors' list and release.
@Suite struct AgentsAPITests {
    @Test(arguments: StoreUnderTest.all)
    func syncCreatesTheRecordFromTheTokenAndIsIdempotent(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, desk: DeskHarness.desk(autoProvisioning: false)).test(.router) { client in
                let first = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                #expect(first.status == .ok)
                let agent = try DeskHarness.object(first)
                #expect(agent["identity"] as? String == DeskHarness.ann)
                #expect(agent["name"] as? String == "Ann Lee")
                #expect(agent["email"] as? String == "ann.lee@example.com")
                #expect(agent["presence"] as? String == "available")
                #expect(agent["chatCapacity"] as? Int == 5)
                #expect(agent["tenant"] as? String == "acme")
                let id = try #require(agent["id"] as? String)
                #expect(!id.isEmpty)
                let second = try DeskHarness.object(try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken))
                #expect(second["id"] as? String == id)
            }
            #expect(try await store.agents(in: "acme").map(\.identity) == [DeskHarness.ann])
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func withoutNamesTheEmailsLocalPartNamesTheAgent(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                let agent = try DeskHarness.object(try await client.api(.post, "/api/agents/sync", token: DeskHarness.bobToken))
                #expect(agent["name"] as? String == "bob")
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func withAutoProvisioningTheFirstRequestCreatesTheRecord(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                let response = try await client.api(.get, "/api/handoffs?status=pending", token: DeskHarness.bobToken)
                #expect(response.status == .ok)
            }
            let agent = try await store.agent(identity: DeskHarness.bob, in: "acme")
            #expect(agent.email == "bob@example.com")
            #expect(agent.presence == .available)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func withoutAutoProvisioningAMissingRecordIs404NamingTheSyncRoute(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            _ = try await store.createHandoff(tenant: "acme", conversationID: "c1", customerName: nil, summary: nil, at: Date()).handoff
            let handoffID = try #require(try await store.handoffs(in: "acme", status: nil).first?.id)
            try await DeskHarness.app(store: store, desk: DeskHarness.desk(autoProvisioning: false)).test(.router) { client in
                for (method, path) in [
                    (HTTPRequest.Method.get, "/api/agents/me"), (.post, "/api/handoffs/\(handoffID)/pickup"), (.post, "/api/calls/CA1/claim"),
                ] {
                    let response = try await client.api(method, path, token: DeskHarness.annToken)
                    #expect(response.status == .notFound, "\(path)")
                    let body = try DeskHarness.object(response)
                    #expect(body["error"] as? String == "agent_record_missing", "\(path)")
                    #expect((body["hint"] as? String)?.contains("POST /api/agents/sync") == true, "\(path)")
                }
                #expect(try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken).status == .ok)
                #expect(try await client.api(.post, "/api/handoffs/\(handoffID)/pickup", token: DeskHarness.annToken).status == .ok)
            }
            #expect(try await store.agents(in: "acme").map(\.identity) == [DeskHarness.ann])
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func anAgentSetsItsPresence(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                let me = try DeskHarness.object(try await client.api(.get, "/api/agents/me", token: DeskHarness.annToken))
                #expect(me["presence"] as? String == "available")
                for presence in ["away", "offline", "available"] {
                    let response = try await client.api(.patch, "/api/agents/me", token: DeskHarness.annToken, json: #"{"presence":"\#(presence)"}"#)
                    #expect(response.status == .ok)
                    #expect(try DeskHarness.object(response)["presence"] as? String == presence)
                    #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").presence.rawValue == presence)
                }
            }
        }
    }

    @Test func badPresenceBodiesAre400() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.router) { client in
            for body in [#"{"presence":"busy"}"#, "{}", "not json", #"{"presence":3}"#, "[]"] {
                let response = try await client.api(.patch, "/api/agents/me", token: DeskHarness.annToken, json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try DeskHarness.errorCode(response) == "invalid_request", "\(body)")
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func supervisorsListTheirTenantsAgentsOnly(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                for token in [DeskHarness.annToken, DeskHarness.bobToken, DeskHarness.eveToken] {
                    _ = try await client.api(.post, "/api/agents/sync", token: token)
                }
                let response = try await client.api(.get, "/api/agents", token: DeskHarness.supToken)
                #expect(response.status == .ok)
                let agents = try #require(try DeskHarness.object(response)["agents"] as? [[String: Any]])
                #expect(agents.compactMap { $0["identity"] as? String } == [DeskHarness.ann, DeskHarness.bob, DeskHarness.sup])
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aSupervisorForcesAStuckAgentBackToAvailable(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAstuck", agents: [DeskHarness.ann]))
            try await DeskHarness.app(store: store).test(.router) { client in
                #expect(try await client.api(.post, "/api/calls/CAstuck/claim", token: DeskHarness.annToken).status == .ok)
                _ = try await client.api(.patch, "/api/agents/me", token: DeskHarness.annToken, json: #"{"presence":"away"}"#)
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAstuck")
                let response = try await client.api(.post, "/api/agents/\(DeskHarness.ann)/release", token: DeskHarness.supToken)
                #expect(response.status == .ok)
                let body = try DeskHarness.object(response)
                #expect(body["presence"] as? String == "available")
                #expect(body["currentCallSid"] == nil)
                let agent = try await store.agent(identity: DeskHarness.ann, in: "acme")
                #expect(agent.currentCallSid == nil)
                #expect(agent.isAvailable(at: Date()))
                // Bob, free and away, or signed off while stuck on a call: released, but not made
                // available, so not rung while gone.
                _ = try await client.api(.patch, "/api/agents/me", token: DeskHarness.bobToken, json: #"{"presence":"away"}"#)
                let free = try await client.api(.post, "/api/agents/\(DeskHarness.bob)/release", token: DeskHarness.supToken)
                #expect(free.status == .ok)
                #expect(try DeskHarness.object(free)["presence"] as? String == "away")
                try await store.recordRinging(DeskHarness.ringing("CAgone", agents: [DeskHarness.bob]))
                _ = try await client.api(.patch, "/api/agents/me", token: DeskHarness.bobToken, json: #"{"presence":"available"}"#)
                #expect(try await client.api(.post, "/api/calls/CAgone/claim", token: DeskHarness.bobToken).status == .ok)
                _ = try await client.api(.patch, "/api/agents/me", token: DeskHarness.bobToken, json: #"{"presence":"offline"}"#)
                let gone = try await client.api(.post, "/api/agents/\(DeskHarness.bob)/release", token: DeskHarness.supToken)
                #expect(gone.status == .ok)
                let goneAgent = try await store.agent(identity: DeskHarness.bob, in: "acme")
                #expect(goneAgent.currentCallSid == nil && goneAgent.presence == .offline)
                // Another tenant's agent, or nobody: 404.
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.eveToken)
                for identity in [DeskHarness.eve, "agent_nobody"] {
                    let missing = try await client.api(.post, "/api/agents/\(identity)/release", token: DeskHarness.supToken)
                    #expect(missing.status == .notFound)
                    #expect(try DeskHarness.errorCode(missing) == "agent_not_found")
                }
            }
        }
    }

    /// A release names the call the supervisor saw; the store checks it in the release's own step, so
    /// an agent who answered another call since is not freed from it.
    @Test(arguments: StoreUnderTest.all)
    func aReleaseNamingACallTheAgentLeftIsRefusedAndChangesNothing(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAold", agents: [DeskHarness.ann]))
            try await store.recordRinging(DeskHarness.ringing("CAnew", agents: [DeskHarness.ann]))
            try await DeskHarness.app(store: store).test(.router) { client in
                let release = "/api/agents/\(DeskHarness.ann)/release"
                #expect(try await client.api(.post, "/api/calls/CAold/claim", token: DeskHarness.annToken).status == .ok)
                // The supervisor's list shows Ann stuck on CAold; she ends it and answers CAnew meanwhile.
                try await store.endCall("CAold", at: Date(), wrapUpSeconds: 0)
                #expect(try await client.api(.post, "/api/calls/CAnew/claim", token: DeskHarness.annToken).status == .ok)
                for body in [#"{"callSid":"CAold"}"#, #"{"callSid":null}"#] {
                    let refused = try await client.api(.post, release, token: DeskHarness.supToken, json: body)
                    #expect(refused.status == .conflict, "\(body)")
                    let error = try DeskHarness.object(refused)
                    #expect(error["error"] as? String == "agent_call_changed", "\(body)")
                    #expect(error["currentCallSid"] as? String == "CAnew", "\(body)")
                    #expect((error["message"] as? String)?.contains("on call CAnew now") == true, "\(body)")
                }
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAnew")
                // Malformed bodies are the client's mistake.
                for body in [#"{"callSid":""}"#, #"{"callSid":5}"#, "[", #"{"callSid":["CAnew"]}"#] {
                    let malformed = try await client.api(.post, release, token: DeskHarness.supToken, json: body)
                    #expect(malformed.status == .badRequest, "\(body)")
                    #expect(try DeskHarness.errorCode(malformed) == "invalid_request", "\(body)")
                }
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == "CAnew")
                // Naming the call she is on releases her.
                let released = try await client.api(.post, release, token: DeskHarness.supToken, json: #"{"callSid":"CAnew"}"#)
                #expect(released.status == .ok)
                #expect(try DeskHarness.object(released)["presence"] as? String == "available")
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").currentCallSid == nil)
                // Now on no call: a release that saw her on CAnew is told so, with no currentCallSid.
                let stale = try await client.api(.post, release, token: DeskHarness.supToken, json: #"{"callSid":"CAnew"}"#)
                #expect(stale.status == .conflict)
                let error = try DeskHarness.object(stale)
                #expect(error["currentCallSid"] == nil)
                #expect((error["message"] as? String)?.contains("on no call now") == true)
            }
        }
    }

    @Test func pathParametersArePercentDecoded() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.live) { client in
            _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
            // A client may escape any byte of a path: `%5F` is Ann's `_`, so this is Ann.
            let escaped = DeskHarness.ann.replacingOccurrences(of: "_", with: "%5F")
            let released = try await client.api(.post, "/api/agents/\(escaped)/release", token: DeskHarness.supToken)
            #expect(released.status == .ok)
            #expect(try DeskHarness.object(released)["identity"] as? String == DeskHarness.ann)
            // A malformed escape, or a control character, is the client's mistake, said as such, not an
            // agent nobody has.
            for path in ["agent%zz", "agent%C3", "agent%", "agent%00", "agent%0A"] {
                let malformed = try await client.api(.post, "/api/agents/\(path)/release", token: DeskHarness.supToken)
                #expect(malformed.status == .badRequest, "\(path)")
                #expect(try DeskHarness.errorCode(malformed) == "invalid_request", "\(path)")
            }
            // On every route with a path parameter, who asks is checked first: without a token the answer
            // is 401 whatever the path holds, and with one a malformed parameter is 400.
            let routes = [
                "/api/agents/%zz/release", "/api/calls/%zz/claim", "/api/calls/%zz/decline", "/api/calls/%zz/park",
                "/api/parked/%zz/retrieve", "/api/handoffs/%zz/pickup", "/api/handoffs/%zz/release",
            ]
            for route in routes {
                #expect(try await client.api(.post, route, token: nil).status == .unauthorized, "\(route)")
                let malformed = try await client.api(.post, route, token: DeskHarness.annToken)
                #expect(malformed.status == .badRequest, "\(route)")
                #expect(try DeskHarness.errorCode(malformed) == "invalid_request", "\(route)")
            }
        }
    }

    @Test func theApiWorksOverRealLoopback() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.live) { client in
            #expect(try await client.api(.get, "/api/agents/me", token: nil).status == .unauthorized)
            let sync = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
            #expect(sync.status == .ok)
            #expect(try DeskHarness.object(sync)["identity"] as? String == DeskHarness.ann)
            let patch = try await client.api(.patch, "/api/agents/me", token: DeskHarness.annToken, json: #"{"presence":"away"}"#)
            #expect(try DeskHarness.object(patch)["presence"] as? String == "away")
            #expect(try await client.api(.get, "/api/agents/me", token: DeskHarness.annToken).status == .ok)
            #expect(try await client.api(.get, "/api/agents", token: DeskHarness.supToken).status == .ok)
            #expect(try await client.api(.get, "/api/agents", token: DeskHarness.annToken).status == .forbidden)
            #expect(try await client.api(.post, "/api/agents/\(DeskHarness.ann)/release", token: DeskHarness.supToken).status == .ok)
        }
    }
}
