import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import Testing

/// `GET /api/events`: Server-Sent Events with ids, heartbeats and resumption.
@Suite struct EventsAPITests {
    struct Frame: Equatable {
        var id: Int64
        var event: String
        var callSid: String
        var agent: String
        var occurrence = ""
    }

    /// The events of an SSE body, parsed by hand (`id:`, `event:`, `data:` lines, blank-line ends).
    static func frames(_ body: String) throws -> [Frame] {
        var frames: [Frame] = []
        for block in body.components(separatedBy: "\n\n") {
            var id: Int64?
            var event: String?
            var data: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = Int64(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let id, let event, let data else { continue }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
            #expect(object["sequence"] as? Int == Int(id))
            #expect(object["kind"] as? String == event)
            let occurrence = try #require(object["occurrence"] as? String, "every event names its occurrence, empty or not")
            frames.append(
                Frame(
                    id: id,
                    event: event,
                    callSid: object["callSid"] as? String ?? "",
                    agent: object["agentIdentity"] as? String ?? "",
                    occurrence: occurrence
                )
            )
        }
        return frames
    }

    static func record(_ store: some DeskStore, _ callSid: String, _ agent: String, _ kind: RingEvent.Kind, tenant: TenantID = "acme") async throws {
        try await store.recordRingEvent(RingEvent(callSid: callSid, tenant: tenant, agentIdentity: agent, kind: kind, occurredAt: Date()))
    }

    @Test(arguments: StoreUnderTest.all)
    func aClientThatReconnectsWithLastEventIDMissesNothing(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await Self.record(store, "CA1", "agent_a", .ringing)
            try await Self.record(store, "CA1", "agent_b", .ringing)
            try await Self.record(store, "CAx", "agent_x", .ringing, tenant: "globex")
            try await DeskHarness.app(store: store, desk: DeskHarness.desk(streamLifetime: .milliseconds(1500))).test(.live) { client in
                // While the first stream is open, another event arrives.
                let writer = Task {
                    try await Task.sleep(for: .milliseconds(100))
                    try await Self.record(store, "CA1", "agent_a", .answered)
                }
                let first = try await client.api(.get, "/api/events", token: DeskHarness.annToken)
                try await writer.value
                #expect(first.status == .ok)
                #expect(first.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                let seen = try Self.frames(String(buffer: first.body))
                // However slow the machine, the stream had the two earlier events; on any sane one it
                // also had the one recorded while it was open.
                #expect(seen.count >= 2)
                #expect(Array(seen.prefix(2).map(\.event)) == ["ringing", "ringing"])
                let lastID = try #require(seen.last?.id)

                // Disconnected: more events, one for another tenant.
                try await Self.record(store, "CA1", "agent_b", .missed)
                try await Self.record(store, "CAx", "agent_x", .answered, tenant: "globex")
                try await Self.record(store, "CA2", "agent_b", .ringing)

                let resumed = try await client.api(
                    .get,
                    "/api/events",
                    token: DeskHarness.annToken,
                    headers: [HTTPField.Name("Last-Event-ID")!: "\(lastID)"]
                )
                let rest = try Self.frames(String(buffer: resumed.body))
                #expect(rest.allSatisfy { $0.id > lastID })
                // Together the two streams are exactly the tenant's events, in order, none twice.
                let all = seen + rest
                #expect(all.map(\.event) == ["ringing", "ringing", "answered", "missed", "ringing"])
                #expect(all.map(\.agent) == ["agent_a", "agent_b", "agent_a", "agent_b", "agent_b"])
                #expect(all.map(\.callSid) == ["CA1", "CA1", "CA1", "CA1", "CA2"])
                #expect(all.map(\.id) == all.map(\.id).sorted())

                let byQuery = try await client.api(.get, "/api/events?after=\(lastID)", token: DeskHarness.annToken)
                #expect(try Self.frames(String(buffer: byQuery.body)) == rest)
            }
        }
    }

    @Test func aLongBacklogArrivesWholeAndInOrder() async throws {
        let store = InMemoryCallStore()
        for index in 0..<450 { try await Self.record(store, "CA\(index)", "agent_a", .ringing) }
        try await DeskHarness.app(store: store, desk: DeskHarness.desk(streamLifetime: .seconds(2))).test(.live) { client in
            let frames = try Self.frames(String(buffer: try await client.api(.get, "/api/events?after=0", token: DeskHarness.annToken).body))
            #expect(frames.count == 450)
            #expect(frames.map(\.id) == Array(1...450).map(Int64.init))
            #expect(frames.last?.callSid == "CA449")
        }
    }

    @Test func aFreshStreamSkipsOldEventsAndAResumedOneDoesNot() async throws {
        let store = InMemoryCallStore()
        try await store.recordRingEvent(
            RingEvent(callSid: "CAold", tenant: "acme", agentIdentity: "agent_a", kind: .missed, occurredAt: Date().addingTimeInterval(-3600))
        )
        try await Self.record(store, "CAnew", "agent_a", .ringing)
        try await DeskHarness.app(store: store).test(.router) { client in
            let fresh = try Self.frames(String(buffer: try await client.api(.get, "/api/events", token: DeskHarness.annToken).body))
            #expect(fresh.map(\.callSid) == ["CAnew"])
            let resumed = try Self.frames(String(buffer: try await client.api(.get, "/api/events?after=0", token: DeskHarness.annToken).body))
            #expect(resumed.map(\.callSid) == ["CAold", "CAnew"])
        }
    }

    @Test func anIdleStreamSendsHeartbeats() async throws {
        try await DeskHarness.app(store: InMemoryCallStore(), desk: DeskHarness.desk(streamLifetime: .seconds(1))).test(.router) { client in
            let response = try await client.api(.get, "/api/events", token: DeskHarness.annToken)
            let body = String(buffer: response.body)
            #expect(body.hasPrefix("retry: "))
            #expect(body.contains(": heartbeat\n\n"))
            #expect(try Self.frames(body).isEmpty)
        }
    }

    @Test func aBadLastEventIDIs400AndNoTokenIs401() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.router) { client in
            let bad = try await client.api(.get, "/api/events", token: DeskHarness.annToken, headers: [HTTPField.Name("Last-Event-ID")!: "x"])
            #expect(bad.status == .badRequest)
            #expect(try DeskHarness.errorCode(bad) == "invalid_request")
            let anonymous = try await client.api(.get, "/api/events", token: nil)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func apiClaimsAndDeclinesAppearInTheStream() async throws {
        let store = InMemoryCallStore()
        try await store.recordRinging(DeskHarness.ringing("CAs", agents: [DeskHarness.ann, DeskHarness.bob]))
        try await DeskHarness.app(store: store, redirector: RecordingRedirector()).test(.router) { client in
            _ = try await client.api(.post, "/api/calls/CAs/decline", token: DeskHarness.bobToken)
            _ = try await client.api(.post, "/api/calls/CAs/claim", token: DeskHarness.annToken)
            let frames = try Self.frames(String(buffer: try await client.api(.get, "/api/events", token: DeskHarness.bobToken).body))
            #expect(frames.map(\.event) == ["declined", "answered"])
            #expect(frames.map(\.agent) == [DeskHarness.bob, DeskHarness.ann])
        }
    }
}
