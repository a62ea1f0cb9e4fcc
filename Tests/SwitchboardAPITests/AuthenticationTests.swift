import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import Testing

/// Tokens: missing, malformed, badly signed, expired, for another audience or algorithm, without a
/// tenant; tenancy; supervisor-only routes.
@Suite struct AuthenticationTests {
    @Test(arguments: StoreUnderTest.all)
    func aRequestWithoutTokenIs401MissingToken(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                let response = try await client.api(.get, "/api/agents/me", token: nil)
                #expect(response.status == .unauthorized)
                #expect(try DeskHarness.errorCode(response) == "missing_token")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
    }

    @Test func badTokensAre401InvalidToken() async throws {
        let now = Int(Date().timeIntervalSince1970)
        let tokens = [
            "not-a-token",
            "a.b.c",
            TokenMinter.user(DeskHarness.annID, secret: "another-secret-another-secret-another-secret"),
            TokenMinter.user(DeskHarness.annID, audience: "anon"),
            TokenMinter.user(DeskHarness.annID, audience: ["service", "other"]),
            TokenMinter.user(DeskHarness.annID, algorithm: "none"),
            TokenMinter.user(DeskHarness.annID, algorithm: "HS512"),
            // No exp at all.
            TokenMinter.token(claims: ["sub": DeskHarness.annID, "aud": "authenticated", "app_metadata": ["tenant_id": "acme"]]),
            // No sub.
            TokenMinter.token(claims: ["exp": now + 3600, "aud": "authenticated", "app_metadata": ["tenant_id": "acme"]]),
            TokenMinter.user(DeskHarness.annID, role: "admin"),
            // A role that is not text: not a plain agent's token.
            TokenMinter.token(claims: [
                "sub": DeskHarness.annID, "exp": now + 3600, "aud": "authenticated", "app_metadata": ["tenant_id": "acme", "role": 1],
            ]),
            // Not valid for another hour.
            TokenMinter.token(claims: [
                "sub": DeskHarness.annID, "exp": now + 7200, "nbf": now + 3600, "aud": "authenticated", "app_metadata": ["tenant_id": "acme"],
            ]),
            // A tenant no call center can be named: blank, or with a line break.
            TokenMinter.user(DeskHarness.annID, tenant: " "),
            TokenMinter.user(DeskHarness.annID, tenant: "acme\n"),
        ]
        try await DeskHarness.app(store: InMemoryCallStore()).test(.router) { client in
            for token in tokens {
                let response = try await client.api(.get, "/api/agents/me", token: token)
                #expect(response.status == .unauthorized, "\(token)")
                #expect(try DeskHarness.errorCode(response) == "invalid_token", "\(token)")
            }
            let basic = try await client.api(.get, "/api/agents/me", token: nil, headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized)
            #expect(try DeskHarness.errorCode(basic) == "invalid_token")
        }
    }

    @Test func aTokenForSeveralAudiencesIncludingOursIsAccepted() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.router) { client in
            let token = TokenMinter.user(DeskHarness.annID, audience: ["other", "authenticated"])
            let response = try await client.api(.get, "/api/agents/me", token: token)
            #expect(response.status == .ok)
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func anExpiredTokenIs401TokenExpired(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                let response = try await client.api(.get, "/api/calls/ringing", token: TokenMinter.user(DeskHarness.annID, expiresIn: -5))
                #expect(response.status == .unauthorized)
                #expect(try DeskHarness.errorCode(response) == "token_expired")
            }
        }
    }

    @Test func aTokenWithoutTenantIs403() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.router) { client in
            let response = try await client.api(.get, "/api/calls/ringing", token: TokenMinter.user(DeskHarness.annID, tenant: nil))
            #expect(response.status == .forbidden)
            #expect(try DeskHarness.errorCode(response) == "tenant_missing")
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func anotherTenantsRecordsAre404(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await store.recordRinging(DeskHarness.ringing("CAacme", agents: [DeskHarness.ann]))
            try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
                let handoff = try DeskHarness.object(
                    try await client.api(.post, "/api/handoffs", token: DeskHarness.annToken, json: #"{"conversationID":"conv-1"}"#)
                )
                let handoffID = try #require(handoff["id"] as? String)
                let eve = DeskHarness.eveToken
                for (path, code) in [
                    ("/api/calls/CAacme/claim", "call_not_found"), ("/api/calls/CAacme/decline", "call_not_found"),
                    ("/api/calls/CAacme/park", "call_not_found"), ("/api/handoffs/\(handoffID)/pickup", "handoff_not_found"),
                    ("/api/handoffs/\(handoffID)/release", "handoff_not_found"),
                ] {
                    let response = try await client.api(.post, path, token: eve)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(try DeskHarness.errorCode(response) == code, "\(path)")
                }
                // Lists never show another tenant's records.
                let ringing = try DeskHarness.object(try await client.api(.get, "/api/calls/ringing", token: eve))
                #expect((ringing["calls"] as? [Any])?.isEmpty == true)
                let handoffs = try DeskHarness.object(try await client.api(.get, "/api/handoffs", token: eve))
                #expect((handoffs["handoffs"] as? [Any])?.isEmpty == true)
                // The call is still there for its own tenant.
                #expect(try await client.api(.post, "/api/calls/CAacme/claim", token: DeskHarness.annToken).status == .ok)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func supervisorOnlyRoutesAre403ForAgents(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                for (method, path) in [(HTTPRequest.Method.get, "/api/agents"), (.post, "/api/agents/\(DeskHarness.bob)/release")] {
                    let response = try await client.api(method, path, token: DeskHarness.annToken)
                    #expect(response.status == .forbidden, "\(path)")
                    #expect(try DeskHarness.errorCode(response) == "supervisor_only", "\(path)")
                }
            }
        }
    }
}
