import Foundation
import SwitchboardCore
import Testing

extension DeskStoreContractTests {
    /// More rows than a Supabase project answers in one response (1,000 unless changed; the test
    /// gateway caps reads as such a project does), created `concurrency` at a time.
    static let longList = 1_004

    static func createMany(_ count: Int, concurrency: Int = 16, _ make: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                if index >= concurrency { try await group.next() }
                group.addTask { try await make(index) }
            }
            try await group.waitForAll()
        }
    }

    /// Lists that can grow past one response (agents, handoffs, parked calls, voicemails; numbers and
    /// ringing calls in PostgRESTMaxRowsGatewayTests) come back whole and in order, with no row twice:
    /// the Supabase store reads them in pages.
    @Test(arguments: StoreKind.allCases)
    func listsLongerThanOneResponseHoldsComeBackWhole(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let count = Self.longList
            let identities = (0..<count).map { String(format: "agent%04d", $0) }
            try await Self.createMany(count) { index in
                try await store.upsertAgent(.new(identities[index], tenant: "acme"))
            }
            try await Self.createMany(count) { index in
                _ = try await store.createHandoff(
                    tenant: "acme",
                    conversationID: "conv-\(index)",
                    customerName: nil,
                    summary: nil,
                    at: Clock.at(index)
                )
            }
            try await Self.createMany(count) { index in
                _ = try await store.parkCall(
                    String(format: "CA%04d", index),
                    tenant: "acme",
                    slot: "park",
                    parkedBy: "agent0000",
                    at: Clock.at(index)
                )
            }
            try await Self.createMany(count) { index in
                _ = try await store.saveVoicemail(
                    Voicemail(
                        recordingSid: String(format: "RE%04d", index),
                        callSid: String(format: "CA%04d", index),
                        tenant: "acme",
                        caller: nil,
                        recordingURL: "https://api.twilio.com/RE\(index)",
                        durationSeconds: 5,
                        receivedAt: Clock.at(index)
                    )
                )
            }

            #expect(try await store.agents(in: "acme").map(\.identity) == identities)
            let handoffs = try await store.handoffs(in: "acme", status: nil)
            #expect(handoffs.map(\.conversationID) == (0..<count).map { "conv-\($0)" })
            #expect(try await store.handoffs(in: "acme", status: .pending).count == count)
            #expect(try await store.parkedCalls(in: "acme").map(\.callSid) == (0..<count).map { String(format: "CA%04d", $0) })
            let voicemails = try await store.voicemails(in: "acme")
            #expect(voicemails.map(\.recordingSid) == (0..<count).reversed().map { String(format: "RE%04d", $0) }, "newest first")
            // A limit past one response's rows, and one within it.
            #expect(
                try await store.voicemails(in: "acme", limit: count - 1).map(\.recordingSid)
                    == Array(voicemails.prefix(count - 1).map(\.recordingSid))
            )
            #expect(try await store.voicemails(in: "acme", limit: 3).map(\.recordingSid) == Array(voicemails.prefix(3).map(\.recordingSid)))
        }
    }
}
