import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// The end of a call that the store could not record when its `<Dial>` ended waits, and is recorded
/// once the store is back: the agent who talked goes into wrap-up and is rung again, and a call that
/// went to voicemail stops ringing on the dashboards.
@Suite struct CallEndRetryTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let wrapUpSeconds = 30

    func store() -> SwitchableStore {
        let agents = (0..<2).map { Agent(id: "id\($0)", tenant: .default, identity: "agent_\($0)", name: "A\($0)", email: "a\($0)@x.com") }
        return SwitchableStore(InMemoryCallStore(agents: agents))
    }

    func service(_ store: SwitchableStore) -> VoiceService<SwitchableStore> {
        var configuration = RoutingConfiguration(publicURL: "https://sb.example.com")
        configuration.wrapUpSeconds = wrapUpSeconds
        return VoiceService(store: store, configuration: configuration, logger: Logger(label: "test"))
    }

    func voice(_ callSid: String) -> FormParameters {
        ["CallSid": callSid, "AccountSid": "AC1", "From": "+14155551234", "To": "+15005550006", "CallStatus": "ringing"]
    }

    func dialStatus(_ callSid: String, _ status: String) -> FormParameters {
        ["CallSid": callSid, "AccountSid": "AC1", "From": "+14155551234", "To": "+15005550006", "DialCallStatus": status]
    }

    /// Waits until the service's call ends are all recorded, or 10 s.
    func drained(_ service: VoiceService<SwitchableStore>) async -> Bool {
        for _ in 0..<1000 {
            if await service.callEnds.count == 0 { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func anAnsweredCallsEndTheStoreMissedIsRecordedOnceItIsBack() async throws {
        let store = store()
        let service = service(store)
        #expect(await service.handle(.voice, form: voice("CAp"), at: now).outcome == "ring")
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        store.setDown(true)
        let ended = now.addingTimeInterval(90)
        let reply = await service.handle(.dialStatus, form: dialStatus("CAp", "completed"), at: ended)
        #expect(reply.outcome == "answered")
        #expect(await service.callEnds.count == 1)
        // While the store is down the agent stays on the call, so the routing leaves them out.
        #expect(try await store.inner.agent(identity: "agent_0", in: .default).currentCallSid == "CAp")
        store.setDown(false)
        #expect(await drained(service))
        let agent = try await store.agent(identity: "agent_0", in: .default)
        #expect(agent.currentCallSid == nil)
        // The end keeps the dial's time: wrap-up runs from then, not from the retry.
        #expect(agent.lastCallEndedAt == ended)
        #expect(agent.wrapUpEndsAt == ended.addingTimeInterval(TimeInterval(wrapUpSeconds)))
        // The call stays answered by the agent who won it.
        #expect(try await store.callWinner("CAp") == "agent_0")
        await service.callEnds.stop()
    }

    @Test func anUnansweredCallTheStoreCouldNotFinishStopsRingingOnceItIsBack() async throws {
        let store = store()
        let service = service(store)
        #expect(await service.handle(.voice, form: voice("CAp"), at: now).outcome == "ring")
        store.setDown(true)
        let reply = await service.handle(.dialStatus, form: dialStatus("CAp", "no-answer"), at: now.addingTimeInterval(20))
        #expect(reply.outcome == "voicemail")
        #expect(await service.callEnds.count == 1)
        store.setDown(false)
        // Before the retry comes round, the call is still listed, and a late Answer click wins it; the
        // retry then finds it answered, so it takes that agent off the call, with no wrap-up.
        #expect(try await store.inner.ringingCalls(in: .default).map(\.callSid) == ["CAp"])
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_1", at: now.addingTimeInterval(21)) == .won)
        #expect(await drained(service))
        let agent = try await store.agent(identity: "agent_1", in: .default)
        #expect(agent.currentCallSid == nil)
        #expect(agent.wrapUpEndsAt == nil || agent.wrapUpEndsAt! <= now.addingTimeInterval(20))
        #expect(try await store.inner.ringingCalls(in: .default).isEmpty)
        await service.callEnds.stop()
    }

    @Test func anUnansweredCallTheStoreCouldNotFinishIsFinishedOnceItIsBack() async throws {
        let store = store()
        let service = service(store)
        _ = await service.handle(.voice, form: voice("CAp"), at: now)
        store.setDown(true)
        _ = await service.handle(.dialStatus, form: dialStatus("CAp", "busy"), at: now)
        #expect(try await store.inner.ringingCalls(in: .default).map(\.callSid) == ["CAp"])
        store.setDown(false)
        #expect(await drained(service))
        #expect(try await store.inner.ringingCalls(in: .default).isEmpty)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .callEnded)
        await service.callEnds.stop()
    }

    /// A late end takes off the call only the agent who won it, and only while the call is still
    /// theirs: recorded minutes after the fact, it must not end what the agent does now.
    @Test func aLateEndLeavesAWinnerWhoMovedOnAlone() async throws {
        let store = InMemoryCallStore(agents: [Agent(id: "id0", tenant: .default, identity: "agent_0", name: "A", email: "a@x.com")])
        let call = { (sid: String) in RingingCall(callSid: sid, tenant: .default, caller: "+1", called: "+2", agentsRung: ["agent_0"], startedAt: now)
        }
        try await store.recordRinging(call("CAp"))
        try await store.recordRinging(call("CAq"))
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        // Their leg's end freed them (client-status `completed`), and they answered the next call.
        #expect(try await store.endCall("CAp", of: "agent_0", in: .default, at: now, wrapUpSeconds: 0))
        #expect(try await store.claimCall("CAq", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        let late = PendingCallEnd(callSid: "CAp", outcome: .answered, occurredAt: now, wrapUpSeconds: wrapUpSeconds)
        #expect(try await VoiceService<InMemoryCallStore>.recordCallEnd(late, in: store) == false)
        #expect(try await store.agent(identity: "agent_0", in: .default).currentCallSid == "CAq")
        // The end of the call they are on does end it, once: recorded again, it changes nothing.
        let end = PendingCallEnd(callSid: "CAq", outcome: .answered, occurredAt: now, wrapUpSeconds: wrapUpSeconds)
        #expect(try await VoiceService<InMemoryCallStore>.recordCallEnd(end, in: store))
        #expect(try await store.agent(identity: "agent_0", in: .default).currentCallSid == nil)
        #expect(try await VoiceService<InMemoryCallStore>.recordCallEnd(end, in: store) == false)
    }

    /// The dial's end comes late, after the winner parked the call and another agent retrieved it: the
    /// retriever stays on the call.
    @Test func aLateEndLeavesAnAgentWhoRetrievedTheCallOnIt() async throws {
        let agents = (0..<2).map { Agent(id: "id\($0)", tenant: .default, identity: "agent_\($0)", name: "A\($0)", email: "a\($0)@x.com") }
        let store = InMemoryCallStore(agents: agents)
        let call = RingingCall(callSid: "CAp", tenant: .default, caller: "+1", called: "+2", agentsRung: ["agent_0", "agent_1"], startedAt: now)
        try await store.recordRinging(call)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        let parked = try await store.parkCall("CAp", tenant: .default, slot: "1", parkedBy: "agent_0", at: now)
        // The caller reached the slot: the park route ends the parker's part, as its contract asks.
        _ = try await store.confirmParkArrival(id: parked.id, tenant: .default, callSid: "CAp", at: now)
        try await store.endCall("CAp", of: "agent_0", in: .default, at: now, wrapUpSeconds: wrapUpSeconds)
        let retrieval = try await store.retrieveParkedCall(id: parked.id, tenant: .default, agentIdentity: "agent_1", at: now)
        guard case .retrieved = retrieval else {
            Issue.record("agent_1 could not retrieve the call: \(retrieval)")
            return
        }
        let late = PendingCallEnd(callSid: "CAp", outcome: .answered, occurredAt: now, wrapUpSeconds: wrapUpSeconds)
        _ = try await VoiceService<InMemoryCallStore>.recordCallEnd(late, in: store)
        #expect(try await store.agent(identity: "agent_1", in: .default).currentCallSid == "CAp")
    }

    @Test func anEndTheStoreRefusesForGoodDoesNotWait() async {
        let service = VoiceService(
            store: UnavailableCallStore(error: .invalid("refused")),
            configuration: RoutingConfiguration(publicURL: "https://sb.example.com"),
            logger: Logger(label: "test")
        )
        #expect(await service.handle(.dialStatus, form: dialStatus("CAp", "completed"), at: now).outcome == "answered")
        #expect(await service.handle(.dialStatus, form: dialStatus("CAp", "no-answer"), at: now).outcome == "voicemail")
        #expect(await service.callEnds.count == 0)
    }
}
