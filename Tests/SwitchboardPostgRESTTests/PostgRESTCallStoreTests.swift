import Foundation
import SwitchboardCore
import SwitchboardHTTP
import SwitchboardPostgREST
import Testing

/// The store's requests and its handling of answers, over a scripted transport. The same store runs
/// the contract suite against a real PostgreSQL behind the test gateway (SwitchboardStoreTests).
@Suite struct PostgRESTCallStoreTests {
    static let key = "service-role-key"

    func store(
        _ transport: ScriptedTransport,
        schema: String = "public",
        pauses: PauseRecorder = PauseRecorder(),
        retry: RetryPolicy = RetryPolicy()
    )
        -> PostgRESTCallStore
    {
        PostgRESTCallStore(
            configuration: PostgRESTConfiguration(url: "https://abcd.supabase.co/", serviceRoleKey: Self.key, schema: schema, retry: retry),
            transport: transport,
            pause: { await pauses.pause($0) },
            random: { 0.5 }
        )
    }

    @Test func sendsWhatSupabaseExpects() async throws {
        let transport = ScriptedTransport(status: 200, json: #"{"outcome":"won"}"#)
        let outcome = try await store(transport).claimCall(
            "CA1",
            tenant: "acme",
            agentIdentity: "amy",
            at: Date(timeIntervalSince1970: 1_750_000_000)
        )
        #expect(outcome == .won)
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "https://abcd.supabase.co/rest/v1/rpc/claim_call_as")
        #expect(request.header("apikey") == Self.key)
        #expect(request.header("Authorization") == "Bearer \(Self.key)")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Accept") == "application/json")
        #expect(request.header("Content-Profile") == nil)
        let arguments = try JSONSerialization.jsonObject(with: Data(try #require(request.body))) as? [String: String]
        #expect(
            arguments == [
                "p_call_sid": "CA1", "p_tenant_id": "acme", "p_agent_identity": "amy", "p_claimed_at": "2025-06-15T15:06:40.000000Z",
            ]
        )
    }

    @Test func namesItsSchemaInProfileHeaders() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
            .success(HTTPResponse(status: 204)),
        ])
        let store = store(transport, schema: "switchboard")
        _ = try await store.agents(in: nil)
        try await store.endCall("CA1", at: Date(timeIntervalSince1970: 0), wrapUpSeconds: 5, joinedBy: Date(timeIntervalSince1970: 0))
        #expect(transport.requests.map { $0.header("Accept-Profile") } == ["switchboard", nil])
        #expect(transport.requests.map { $0.header("Content-Profile") } == [nil, "switchboard"])
        let patch = transport.requests[1]
        #expect(patch.method == .patch)
        // A late end: only agents who got on the call by the end's time (or when is unknown).
        #expect(
            patch.url
                == "https://abcd.supabase.co/rest/v1/agents?current_call_sid=eq.CA1"
                + "&or=(current_call_since.is.null,current_call_since.lte.%221970-01-01T00:00:00.000000Z%22)"
        )
        let changes = try JSONSerialization.jsonObject(with: Data(try #require(patch.body))) as? [String: Any]
        #expect(changes?["current_call_sid"] is NSNull)
        #expect(changes?["wrap_up_ends_at"] as? String == "1970-01-01T00:00:05.000000Z")
    }

    @Test func claimOutcomesDecode() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"already_answered","answered_by":"bob"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"agent_busy","current_call_sid":"CA9"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array(#"{"outcome":"maybe"}"#.utf8))),
            .success(
                HTTPResponse(status: 404, body: Array(#"{"code":"PT404","details":null,"hint":null,"message":"No agent zed in tenant acme"}"#.utf8))
            ),
        ])
        let store = store(transport)
        let now = Date()
        #expect(try await store.claimCall("CA1", tenant: "acme", agentIdentity: "amy", at: now) == .alreadyAnswered(by: "bob"))
        #expect(try await store.claimCall("CA1", tenant: "acme", agentIdentity: "amy", at: now) == .agentBusy(currentCallSid: "CA9"))
        await #expect(throws: StoreError.corrupt) { try await store.claimCall("CA1", tenant: "acme", agentIdentity: "amy", at: now) }
        let error = await #expect(throws: StoreError.notFound) { try await store.claimCall("CA1", tenant: "acme", agentIdentity: "zed", at: now) }
        #expect(error?.message == "No agent zed in tenant acme")
    }

    @Test(arguments: [
        (
            409,
            #"{"code":"23505","details":"Key (id)=(x) already exists.","hint":null,"message":"duplicate key value violates unique constraint \"agents_pkey\""}"#,
            StoreError.conflict
        ),
        (400, #"{"code":"23514","details":null,"hint":null,"message":"new row violates check constraint"}"#, StoreError.invalid),
        (401, #"{"message":"Invalid authentication credentials"}"#, StoreError.unauthorized),
        (403, #"{"code":"42501","details":null,"hint":null,"message":"permission denied for table agents"}"#, StoreError.unauthorized),
        (
            404, #"{"code":"PGRST205","details":null,"hint":null,"message":"Could not find the table 'public.agents' in the schema cache"}"#,
            StoreError.unavailable
        ),
        (404, #"{"code":"PGRST202","details":null,"hint":null,"message":"Could not find the function"}"#, StoreError.unavailable),
        (503, #"{"code":"PGRST001","details":null,"hint":null,"message":"Database client error"}"#, StoreError.unavailable),
        (500, "<html>oops</html>", StoreError.unavailable),
    ])
    func failuresBecomeTypedStoreErrors(status: Int, body: String, expected: StoreError) async throws {
        let transport = ScriptedTransport(status: status, json: body)
        let agent = Agent(id: "", identity: "amy", name: "Amy", email: "amy@example.com")
        let error = await #expect(throws: expected) { try await store(transport).upsertAgent(agent) }
        #expect(transport.requests.count == 1, "writes are never retried")
        if status == 404 { #expect(error?.message.contains("apply supabase/migrations") == true) }
    }

    @Test func garbageIsUnavailableNotACrash() async throws {
        let transport = ScriptedTransport(status: 200, json: "this is not json", repeating: 1)
        await #expect(throws: StoreError.unavailable) { try await store(transport).agents(in: "acme") }
    }

    @Test func transportFailuresBecomeStoreErrors() async throws {
        let timedOut = ScriptedTransport([.failure(.timeout("5000 ms"))])
        await #expect(throws: StoreError.timeout) { try await store(timedOut).checkReady() }
        #expect(timedOut.requests.count == 1, "a timeout is not retried: the caller's budget is spent")
        let tls = ScriptedTransport([.failure(.tls("certificate verify failed"))])
        await #expect(throws: StoreError.unavailable) { try await store(tls).checkReady() }
        #expect(tls.requests.count == 1)
    }

    @Test func readsAreRetriedWithJitteredBackoff() async throws {
        let transport = ScriptedTransport([
            .failure(.connectionRefused("nothing listening")),
            .success(HTTPResponse(status: 503, body: Array(#"{"code":"PGRST001","message":"down"}"#.utf8))),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
        ])
        let pauses = PauseRecorder()
        let agents = try await store(transport, pauses: pauses).agents(in: "acme")
        #expect(agents.isEmpty)
        #expect(transport.requests.count == 3)
        // random() is 0.5: half of 25 ms, then half of 50 ms.
        #expect(pauses.pauses == [.microseconds(12_500), .milliseconds(25)])
    }

    @Test func retriesAreBounded() async throws {
        let transport = ScriptedTransport(Array(repeating: .failure(.connectionLost("reset")), count: 10))
        let pauses = PauseRecorder()
        await #expect(throws: StoreError.unavailable) {
            try await store(transport, pauses: pauses, retry: RetryPolicy(maxAttempts: 4)).routingSnapshot(
                forCalledNumber: "+1",
                at: Date(),
                limit: 10
            )
        }
        #expect(transport.requests.count == 4)
        #expect(pauses.pauses.count == 3)
    }

    @Test func writesAreNeverRetried() async throws {
        let transport = ScriptedTransport(Array(repeating: .failure(.connectionRefused("down")), count: 3))
        let call = RingingCall(callSid: "CA1", tenant: "acme", caller: "+1", called: "+2", agentsRung: ["amy"], startedAt: Date())
        await #expect(throws: StoreError.unavailable) { try await store(transport).recordRinging(call) }
        #expect(transport.requests.count == 1)
    }

    @Test func upsertsAndInsertsUseTheirPreferences() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 201)),
            .success(HTTPResponse(status: 201)),
            .success(HTTPResponse(status: 201, body: Array("[]".utf8))),
        ])
        let store = store(transport)
        try await store.mapNumber("+15550100", to: "acme")
        try await store.recordRinging(RingingCall(callSid: "CA1", tenant: "acme", caller: "+1", called: "+2", agentsRung: ["amy"], startedAt: Date()))
        let saved = try await store.saveVoicemail(
            Voicemail(
                recordingSid: "RE1",
                callSid: "CA1",
                tenant: "acme",
                caller: nil,
                recordingURL: "https://x",
                durationSeconds: 3,
                receivedAt: Date()
            )
        )
        #expect(!saved, "an empty representation means the recording was already stored")
        #expect(
            transport.requests.map { $0.header("Prefer") } == [
                "resolution=merge-duplicates, return=minimal", "resolution=ignore-duplicates, return=minimal",
                "resolution=ignore-duplicates, return=representation",
            ]
        )
        #expect(transport.requests.map(\.url).last == "https://abcd.supabase.co/rest/v1/voicemails?select=recording_sid")
    }

    @Test func availableAgentsQueryOrdersLongestIdleFirst() async throws {
        let transport = ScriptedTransport(status: 200, json: "[]")
        _ = try await store(transport).availableAgents(in: "acme", at: Date(timeIntervalSince1970: 1_750_000_000), limit: 10)
        #expect(
            transport.requests.first?.url
                == "https://abcd.supabase.co/rest/v1/agents?select=id,tenant_id,identity,name,email,presence,current_call_sid,wrap_up_ends_at,last_call_ended_at,chat_capacity,retired_at"
                + "&tenant_id=eq.acme&presence=eq.available&current_call_sid=is.null"
                + "&or=(wrap_up_ends_at.is.null,wrap_up_ends_at.lte.%222025-06-15T15:06:40.000000Z%22)"
                + "&order=last_call_ended_at.asc.nullsfirst,identity.asc&limit=10"
        )
    }

    @Test func agentRowsDecodeFromPostgRESTJSON() async throws {
        let json = #"""
            [{"id":"5f0c0b6e-1111-4222-8333-444455556666","tenant_id":"acme","identity":"amy","name":"Amy","email":"amy@example.com",
              "presence":"available","current_call_sid":null,"wrap_up_ends_at":"2025-06-15T15:06:40+00:00",
              "last_call_ended_at":"2025-06-15T15:06:30.5+00:00","chat_capacity":5}]
            """#
        let agents = try await store(ScriptedTransport(status: 200, json: json)).agents(in: "acme")
        #expect(
            agents == [
                Agent(
                    id: "5f0c0b6e-1111-4222-8333-444455556666",
                    tenant: "acme",
                    identity: "amy",
                    name: "Amy",
                    email: "amy@example.com",
                    wrapUpEndsAt: Date(timeIntervalSince1970: 1_750_000_000),
                    lastCallEndedAt: Date(timeIntervalSince1970: 1_749_999_990.5)
                )
            ]
        )
        let unknown = json.replacingOccurrences(of: #""presence":"available""#, with: #""presence":"napping""#)
        await #expect(throws: StoreError.corrupt) { try await store(ScriptedTransport(status: 200, json: unknown)).agents(in: "acme") }
    }

    @Test func agentRulesAreCheckedBeforeAnyRequest() async throws {
        let transport = ScriptedTransport([])
        let store = store(transport)
        await #expect(throws: StoreError.invalid) { try await store.upsertAgent(Agent(id: "", identity: "a-b", name: "", email: "")) }
        await #expect(throws: StoreError.invalid) {
            try await store.upsertAgent(Agent(id: "", identity: "ab", name: "", email: "", chatCapacity: -1))
        }
        #expect(transport.requests.isEmpty)
    }
}
