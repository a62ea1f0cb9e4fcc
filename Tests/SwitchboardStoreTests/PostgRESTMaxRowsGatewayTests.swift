import Foundation
import SwitchboardCore
import SwitchboardPostgREST
import SwitchboardTestSupport
import Testing

/// `SUPABASE_MAX_ROWS` set above the project's Max Rows, against a real PostgreSQL behind the test
/// gateway, which caps every read at 1,000 rows as a Supabase project does by default: lists still
/// come back whole, and the store reports the project's real setting.
@Suite struct PostgRESTMaxRowsGatewayTests {
    @Test func listsComeBackWholeWhenTheConfiguredMaxRowsIsAboveTheProjects() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let store = PostgRESTCallStore(
                configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey, maxRows: 5_000),
                transport: TestGateway.transport
            )
            let count = DeskStoreContractTests.longList
            let identities = (0..<count).map { String(format: "agent%04d", $0) }
            let numbers = (0..<count).map { String(format: "+1500555%04d", $0) }
            let calls = (0..<count).map { String(format: "CA%04d", $0) }
            try await DeskStoreContractTests.createMany(count) { index in
                try await store.upsertAgent(.new(identities[index], tenant: "acme"))
                try await store.mapNumber(numbers[index], to: "acme")
                try await store.recordRinging(
                    RingingCall(
                        callSid: calls[index],
                        tenant: "acme",
                        caller: "+15005550006",
                        called: numbers[index],
                        agentsRung: [identities[index]],
                        startedAt: Clock.at(index)
                    )
                )
                _ = try await store.saveVoicemail(
                    Voicemail(
                        recordingSid: String(format: "RE%04d", index),
                        callSid: calls[index],
                        tenant: "acme",
                        caller: nil,
                        recordingURL: "https://api.twilio.com/RE\(index)",
                        durationSeconds: 5,
                        receivedAt: Clock.at(index)
                    )
                )
            }
            #expect(store.observedMaxRows == nil, "nothing read yet")

            #expect(try await store.agents(in: "acme").map(\.identity) == identities)
            #expect(store.observedMaxRows == 1_000, "the gateway's cap, as a project's Max Rows")
            #expect(try await store.numberMappings().map(\.number) == numbers)
            #expect(try await store.ringingCalls(in: "acme").map(\.callSid) == calls)
            let newestFirst = (0..<count).reversed().map { String(format: "RE%04d", $0) }
            #expect(try await store.voicemails(in: "acme").map(\.recordingSid) == newestFirst)
            #expect(try await store.voicemails(in: "acme", limit: count - 2).map(\.recordingSid) == Array(newestFirst.prefix(count - 2)))
            #expect(try await store.voicemails(in: "acme", limit: 3).map(\.recordingSid) == Array(newestFirst.prefix(3)))
            #expect(try await store.voicemails(in: "acme", limit: 2_000).map(\.recordingSid) == newestFirst)

            // Configured as the project is, nothing is observed and the lists are the same.
            let matching = PostgRESTCallStore(
                configuration: PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey, maxRows: 1_000),
                transport: TestGateway.transport
            )
            #expect(try await matching.agents(in: "acme").map(\.identity) == identities)
            #expect(try await matching.voicemails(in: "acme").map(\.recordingSid) == newestFirst)
            #expect(matching.observedMaxRows == nil)
        }
    }
}
