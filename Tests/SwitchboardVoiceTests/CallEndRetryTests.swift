import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// The end of a call, or of an agent's part in it, which the store could not record when Twilio reported
/// it, waits and is recorded once the store is back: a call that went to voicemail stops ringing on the
/// dashboards, and agents are freed, except one who got back on the call since (see ``PendingCallEnd``).
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

    func legCompleted(_ callSid: String, agent: String) -> FormParameters {
        [
            "CallSid": "CAleg-\(agent)", "ParentCallSid": callSid, "AccountSid": "AC1", "From": "+1", "To": "client:\(agent)",
            "CallStatus": "completed",
        ]
    }

    /// A store outage as a conversation ends fails both the dial's end and the agent's leg's end; both
    /// wait, and once the store is back the agent is freed, with wrap-up from the end's own time.
    @Test func anAnsweredCallsEndTheStoreMissedWaitsAndFreesTheAgentOnceItIsBack() async throws {
        let store = store()
        let service = service(store)
        #expect(await service.handle(.voice, form: voice("CAp"), at: now).outcome == "ring")
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        store.setDown(true)
        let ended = now.addingTimeInterval(90)
        #expect(await service.handle(.dialStatus, form: dialStatus("CAp", "completed"), at: ended).outcome == "answered")
        let leg = await service.handle(.clientStatus, form: legCompleted("CAp", agent: "agent_0"), at: ended.addingTimeInterval(1))
        #expect(leg.outcome == "leg-ended-unrecorded")
        #expect(await service.callEnds.count == 2)
        #expect(try await store.inner.agent(identity: "agent_0", in: .default).currentCallSid == "CAp")
        store.setDown(false)
        #expect(await drained(service))
        let agent = try await store.inner.agent(identity: "agent_0", in: .default)
        #expect(agent.currentCallSid == nil)
        #expect(agent.lastCallEndedAt == ended)
        #expect(agent.wrapUpEndsAt == ended.addingTimeInterval(TimeInterval(wrapUpSeconds)))
        await service.callEnds.stop()
    }

    /// The store is down as agents answer: every leg is let through (Twilio bridges one), and each claim
    /// waits. Once the store is back the first is recorded as the winner, so the agent is not rung for
    /// new calls while talking; the second finds the call answered and leaves its agent free.
    @Test func claimsTheStoreMissedAreRecordedOnceItIsBack() async throws {
        let store = store()
        let service = service(store)
        #expect(await service.handle(.voice, form: voice("CAc"), at: now).outcome == "ring")
        store.setDown(true)
        for (index, agent) in ["agent_0", "agent_1"].enumerated() {
            let leg: FormParameters = [
                "CallSid": "CAleg-\(agent)", "ParentCallSid": "CAc", "AccountSid": "AC1", "From": "+14155551234", "To": "client:\(agent)",
                "CallStatus": "in-progress",
            ]
            #expect(await service.handle(.screen, form: leg, at: now.addingTimeInterval(Double(index + 1))).outcome == "claim-unchecked")
        }
        #expect(await service.claims.count == 2)
        #expect(try await store.inner.availableAgents(in: .default, at: now, limit: 10).count == 2, "the store knows of no claim yet")
        store.setDown(false)
        for _ in 0..<1000 where await service.claims.count > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await service.claims.count == 0)
        #expect(try await store.inner.callWinner("CAc") == "agent_0")
        #expect(try await store.inner.agent(identity: "agent_0", in: .default).currentCallSid == "CAc")
        #expect(try await store.inner.agent(identity: "agent_1", in: .default).currentCallSid == nil)
        await service.claims.stop()
    }

    /// The chaos run's case: the store is down as a conversation ends, and the service restarts before
    /// it is back. The ends wait in the spool's journal, and the next run, its store back, frees the
    /// agent; before the journal they were lost at shutdown, and the agent stayed "on a call" for good,
    /// never rung again.
    @Test func callEndsTheStoreMissedSurviveARestart() async throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-spool-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let store = store()
        var configuration = RoutingConfiguration(publicURL: "https://sb.example.com")
        configuration.wrapUpSeconds = wrapUpSeconds
        let first = VoiceService(store: store, configuration: configuration, spool: VoicemailSpool(directory: spool), logger: Logger(label: "test"))
        #expect(await first.handle(.voice, form: voice("CAr"), at: now).outcome == "ring")
        #expect(try await store.claimCall("CAr", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        store.setDown(true)
        let ended = now.addingTimeInterval(60)
        #expect(await first.handle(.dialStatus, form: dialStatus("CAr", "completed"), at: ended).outcome == "answered")
        #expect(await first.handle(.clientStatus, form: legCompleted("CAr", agent: "agent_0"), at: ended).outcome == "leg-ended-unrecorded")
        await first.callEnds.stop()
        await first.ringEvents.stop()
        await first.claims.stop()
        #expect(try await store.inner.agent(identity: "agent_0", in: .default).currentCallSid == "CAr")

        store.setDown(false)
        let second = VoiceService(store: store, configuration: configuration, spool: VoicemailSpool(directory: spool), logger: Logger(label: "test"))
        #expect(await drained(second))
        // The adopted ends are recorded by the worker the journal started, not by any new request.
        for _ in 0..<1000 where try await store.inner.agent(identity: "agent_0", in: .default).currentCallSid != nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        let agent = try await store.inner.agent(identity: "agent_0", in: .default)
        #expect(agent.currentCallSid == nil)
        #expect(agent.lastCallEndedAt == ended)
        await second.callEnds.stop()
        await second.ringEvents.stop()
        await second.claims.stop()
    }

    /// A park moves the caller out of the `<Dial>`, which Twilio reports as an answered end, and the
    /// parker's leg ends. Recorded late, after the parker took the call back from the park (or answered
    /// its ring-back), neither takes them off it; the end of the call itself does.
    @Test func aLateEndLeavesAnAgentWhoGotBackOnTheCallSince() async throws {
        let store = InMemoryCallStore(agents: [Agent(id: "id0", tenant: .default, identity: "agent_0", name: "A", email: "a@x.com")])
        try await store.recordRinging(
            RingingCall(callSid: "CAp", tenant: .default, caller: "+1", called: "+2", agentsRung: ["agent_0"], startedAt: now)
        )
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        let parkedAt = now.addingTimeInterval(60)
        let parked = try await store.parkCall("CAp", tenant: .default, slot: "park_CAp", parkedBy: "agent_0", at: parkedAt)
        #expect(try await store.endCall("CAp", of: "agent_0", in: .default, at: parkedAt, wrapUpSeconds: wrapUpSeconds))
        let retrieval = try await store.retrieveParkedCall(
            id: parked.id,
            tenant: .default,
            agentIdentity: "agent_0",
            at: parkedAt.addingTimeInterval(5)
        )
        guard case .retrieved = retrieval else {
            Issue.record("not retrieved: \(retrieval)")
            return
        }
        let answered = PendingCallEnd(callSid: "CAp", part: .answered(wrapUpSeconds: wrapUpSeconds), occurredAt: parkedAt)
        let leg = PendingCallEnd(
            callSid: "CAp",
            part: .agentLeg(identity: "agent_0", tenant: nil, wrapUpSeconds: wrapUpSeconds),
            occurredAt: parkedAt
        )
        _ = try await VoiceService<InMemoryCallStore>.recordCallEnd(answered, in: store, late: true)
        #expect(try await VoiceService<InMemoryCallStore>.recordCallEnd(leg, in: store, late: true) == false)
        #expect(try await store.agent(identity: "agent_0", in: .default).currentCallSid == "CAp")
        let over = PendingCallEnd(callSid: "CAp", part: .answered(wrapUpSeconds: wrapUpSeconds), occurredAt: parkedAt.addingTimeInterval(60))
        _ = try await VoiceService<InMemoryCallStore>.recordCallEnd(over, in: store, late: true)
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
        let late = PendingCallEnd(callSid: "CAp", part: .unanswered, occurredAt: dialEnded)
        #expect(try await VoiceService<InMemoryCallStore>.recordCallEnd(late, in: store, late: true) == false)
        let agent = try await store.agent(identity: "agent_0", in: .default)
        #expect(agent.currentCallSid == nil)
        #expect(agent.lastCallEndedAt == dialEnded)
        #expect(agent.isAvailable(at: dialEnded.addingTimeInterval(1)), "with no wrap-up")
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
