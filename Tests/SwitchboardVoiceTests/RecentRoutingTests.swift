import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// An inbound call routed from the store's memory (`recentRoutingSnapshot`): it rings whom that
/// snapshot names without reading the store, and its ringing record is still written; a snapshot with
/// nobody to ring sends the call to the store's own read.
@Suite struct RecentRoutingTests {
    let base = VoiceServiceTests()

    /// Waits up to 5 s for `callSid`'s ringing record.
    func record(_ callSid: String, in store: some CallStore) async throws -> RingingCall? {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let call = try await store.ringingCall(callSid) { return call }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    @Test func aCallRingsWhomTheSnapshotInMemoryNamesAndIsRecorded() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(3)))
        // Two of the three: what the store would read says otherwise, so the answer shows which was used.
        store.setRecent(RoutingSnapshot(tenant: .default, agents: Array(base.agents(3).suffix(2))))
        let reply = await base.service(store).handle(.voice, form: base.voiceForm(callSid: "CAmem"), at: base.now)
        #expect(reply.outcome == "ring")
        #expect(base.clients(reply) == ["agent_1", "agent_2"])
        let recorded = try await record("CAmem", in: store)
        #expect(recorded?.agentsRung == ["agent_1", "agent_2"])
        #expect(recorded?.caller == "+14155551234")
        #expect(try await store.inner.ringingCalls(in: .default).map(\.callSid) == ["CAmem"])
    }

    @Test func aCallStillRingsFromMemoryWhileTheStoreIsDown() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2)))
        store.setRecent(RoutingSnapshot(tenant: "acme", agents: base.agents(2, tenant: "acme")))
        store.setDown(true)
        let reply = await base.service(store).handle(.voice, form: base.voiceForm(callSid: "CAdown"), at: base.now)
        #expect(reply.outcome == "ring")
        #expect(reply.tenant == "acme")
        #expect(base.clients(reply) == ["agent_0", "agent_1"])
    }

    @Test func aSnapshotWithNobodyToRingLeavesTheDecisionToTheStoresRead() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2)))
        store.setRecent(RoutingSnapshot(tenant: .default, agents: []))
        let reply = await base.service(store).handle(.voice, form: base.voiceForm(callSid: "CAread"), at: base.now)
        #expect(reply.outcome == "ring")
        #expect(base.clients(reply) == ["agent_0", "agent_1"])

        // And when the read agrees, voicemail, with the call recorded finished as on the read's own path.
        for identity in ["agent_0", "agent_1"] { _ = try await store.setPresence(.away, identity: identity, in: .default) }
        let nobody = await base.service(store).handle(.voice, form: base.voiceForm(callSid: "CAnobody"), at: base.now)
        #expect(nobody.outcome == "voicemail")
        #expect(try await store.ringingCall("CAnobody") != nil)
        #expect(try await store.inner.ringingCalls(in: .default).map(\.callSid) == ["CAread"])
    }
}
