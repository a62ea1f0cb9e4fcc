import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// The end of a call that went to voicemail, which the store could not record when its `<Dial>` ended,
/// waits and is recorded once the store is back: the call stops ringing on the dashboards, and an agent
/// who claimed it meanwhile is freed. An answered end does not wait (see ``PendingCallEnd``).
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

    /// Recorded late, an answered end could take the agent off the call they are on again (after a
    /// park), so it does not wait: the agent's leg ending ends their part instead.
    @Test func anAnsweredCallsEndTheStoreMissedDoesNotWait() async throws {
        let store = store()
        let service = service(store)
        #expect(await service.handle(.voice, form: voice("CAp"), at: now).outcome == "ring")
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        store.setDown(true)
        let reply = await service.handle(.dialStatus, form: dialStatus("CAp", "completed"), at: now.addingTimeInterval(90))
        #expect(reply.outcome == "answered")
        #expect(await service.callEnds.count == 0)
        #expect(try await store.inner.agent(identity: "agent_0", in: .default).currentCallSid == "CAp")
        store.setDown(false)
        let leg: FormParameters = [
            "CallSid": "CAleg", "ParentCallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "client:agent_0", "CallStatus": "completed",
        ]
        #expect(await service.handle(.clientStatus, form: leg, at: now.addingTimeInterval(91)).outcome == "leg-ended-call")
        #expect(try await store.agent(identity: "agent_0", in: .default).currentCallSid == nil)
    }

    /// Between the store's return and the retry, the call is still listed, and a late Answer click
    /// wins it; the retry then finds it answered, so it takes that agent off the call, with no wrap-up.
    @Test func aLateUnansweredEndFreesAnAgentWhoClaimedTheCallMeanwhile() async throws {
        let store = InMemoryCallStore(agents: [Agent(id: "id0", tenant: .default, identity: "agent_0", name: "A", email: "a@x.com")])
        let call = RingingCall(callSid: "CAp", tenant: .default, caller: "+1", called: "+2", agentsRung: ["agent_0"], startedAt: now)
        try await store.recordRinging(call)
        let dialEnded = now.addingTimeInterval(20)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: dialEnded.addingTimeInterval(1)) == .won)
        let late = PendingCallEnd(callSid: "CAp", occurredAt: dialEnded)
        #expect(try await VoiceService<InMemoryCallStore>.recordCallEnd(late, in: store) == false)
        let agent = try await store.agent(identity: "agent_0", in: .default)
        #expect(agent.currentCallSid == nil)
        #expect(agent.lastCallEndedAt == dialEnded)
        #expect(agent.wrapUpEndsAt.map { $0 <= dialEnded } ?? true)
    }

    @Test func anUnansweredCallTheStoreCouldNotFinishIsFinishedOnceItIsBack() async throws {
        let store = store()
        let service = service(store)
        _ = await service.handle(.voice, form: voice("CAp"), at: now)
        store.setDown(true)
        _ = await service.handle(.dialStatus, form: dialStatus("CAp", "busy"), at: now)
        #expect(await service.callEnds.count == 1)
        #expect(try await store.inner.ringingCalls(in: .default).map(\.callSid) == ["CAp"])
        store.setDown(false)
        #expect(await drained(service))
        #expect(try await store.inner.ringingCalls(in: .default).isEmpty)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .callEnded)
        await service.callEnds.stop()
    }

    @Test func anEndTheStoreRefusesForGoodDoesNotWait() async {
        let service = VoiceService(
            store: UnavailableCallStore(error: .invalid("refused")),
            configuration: RoutingConfiguration(publicURL: "https://sb.example.com"),
            logger: Logger(label: "test")
        )
        #expect(await service.handle(.dialStatus, form: dialStatus("CAp", "no-answer"), at: now).outcome == "voicemail")
        #expect(await service.callEnds.count == 0)
    }
}
