import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import Testing

@testable import SwitchboardSQLite

/// A store's own words (SQL, the database's messages) go to the service's log, never to API clients;
/// a broken rule of the data is named to them.
@Suite struct StoreErrorMessageTests {
    @Test func aLockedStoresErrorQuotesNoSQL() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-messages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try await SQLiteCallStore(path: path, configuration: .init(busyTimeout: .milliseconds(200)))
        let holder = try await SQLiteCallStore(path: path)
        try await DeskHarness.app(store: store).test(.router) { client in
            #expect(try await client.api(.get, "/api/agents/me", token: DeskHarness.annToken).status == .ok)
            _ = try await holder.diagnosticRows("BEGIN IMMEDIATE")
            let response = try await client.api(.patch, "/api/agents/me", token: DeskHarness.annToken, json: #"{"presence":"away"}"#)
            _ = try await holder.diagnosticRows("ROLLBACK")
            #expect(response.status == .serviceUnavailable)
            #expect(try DeskHarness.errorCode(response) == "store_unavailable")
            let message = try #require(try DeskHarness.object(response)["message"] as? String)
            for word in ["UPDATE", "agents", "SQLite", "lock"] {
                #expect(!message.contains(word), "\(message)")
            }
        }
        try await holder.close()
        try await store.close()
    }

    /// Every store names the rule an agent breaks, in the same words, before its own constraints could.
    @Test(arguments: StoreUnderTest.all)
    func anAgentBreakingARuleIsRefusedNamingIt(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            let cases: [(Agent, String)] = [
                (Agent(id: "", tenant: "", identity: "amy", name: "Amy", email: "amy@example.com"), "has no tenant"),
                (Agent(id: "", tenant: "acme", identity: "a&b <c>", name: "A", email: "a@example.com"), "1 to 256 ASCII letters"),
                (Agent(id: "", tenant: "acme", identity: "amy", name: "Amy", email: "amy@example.com", chatCapacity: -1), "cannot be negative"),
            ]
            for (agent, rule) in cases {
                let error = await #expect(throws: StoreError.self) { try await store.upsertAgent(agent) }
                #expect(error == .invalid, "\(agent.identity)")
                let message = error?.message ?? ""
                #expect(message.contains(rule), "\(message)")
                #expect(!message.contains("SQLite") && !message.contains("INSERT"), "\(message)")
            }
            let stored = try await store.agents(in: nil)
            #expect(stored.isEmpty)
        }
    }
}
