import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTwiML
import SwitchboardTwiMLReader
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

@Suite struct VoiceServiceTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let configuration = RoutingConfiguration(publicURL: "https://sb.example.com")

    func agents(_ count: Int, tenant: TenantID = .default) -> [Agent] {
        (0..<count).map { Agent(id: "id\($0)", tenant: tenant, identity: "agent_\($0)", name: "A\($0)", email: "a\($0)@x.com") }
    }

    func service(_ store: some CallStore, budget: Duration = .seconds(2)) -> VoiceService<some CallStore> {
        VoiceService(store: store, configuration: configuration, storeBudget: budget, logger: Logger(label: "test"))
    }

    func voiceForm(callSid: String = "CA1", to: String = "+15005550006") -> FormParameters {
        ["CallSid": callSid, "AccountSid": "AC1", "From": "+14155551234", "To": to, "CallStatus": "ringing"]
    }

    /// The reply's bytes read back as a document.
    func document(_ reply: VoiceReply) -> VoiceResponse? {
        try? VoiceResponse(element: TwiMLReader.parse(reply.body))
    }

    func clients(_ reply: VoiceReply) -> [String] {
        guard case .dial(let dial)? = document(reply)?.verbs.first else { return [] }
        return dial.nouns.compactMap { noun in
            if case .client(let client) = noun { return client.identity }
            return nil
        }
    }

    @Test func anInboundCallRingsEveryAvailableAgent() async {
        let reply = await service(InMemoryCallStore(agents: agents(3))).handle(.voice, form: voiceForm(), at: now)
        #expect(reply.outcome == "ring")
        #expect(clients(reply) == ["agent_0", "agent_1", "agent_2"])
    }

    @Test func fourteenAvailableAgentsRingTenAndTheRestAreNamed() async {
        let reply = await service(InMemoryCallStore(agents: agents(14))).handle(.voice, form: voiceForm(), at: now)
        #expect(clients(reply).count == 10)
        #expect(reply.reason?.hasPrefix("left out: ") == true)
    }

    @Test func noAgentsMeansVoicemail() async throws {
        let reply = await service(InMemoryCallStore()).handle(.voice, form: voiceForm(), at: now)
        #expect(reply.outcome == "voicemail")
        #expect(reply.body == (try CallResponses(configuration: configuration).voicemail().renderBytes()))
    }

    @Test func aNumberNoTenantOwnsGoesToVoicemail() async {
        let store = InMemoryCallStore(agents: agents(2), numbers: ["+15550001111": .default])
        let reply = await service(store).handle(.voice, form: voiceForm(to: "+15005550006"), at: now)
        #expect(reply.outcome == "voicemail")
        #expect(reply.reason == "no tenant owns +15005550006")
    }

    @Test func mappedNumbersRingOnlyTheirTenantsAgents() async {
        let store = InMemoryCallStore(agents: agents(2, tenant: "acme") + agents(3, tenant: "globex"), numbers: ["+1555": "globex", "+1666": "acme"])
        let reply = await service(store).handle(.voice, form: voiceForm(to: "+1555"), at: now)
        #expect(clients(reply).count == 3)
    }

    @Test func aMissingParameterStillAnswersVoicemail() async {
        let reply = await service(InMemoryCallStore(agents: agents(2))).handle(.voice, form: ["CallSid": "CA1"], at: now)
        #expect(reply.outcome == "voicemail")
        #expect(reply.reason?.contains("AccountSid") == true)
    }

    @Test func aFailingStoreAnswersVoicemail() async {
        let reply = await service(UnavailableCallStore()).handle(.voice, form: voiceForm(), at: now)
        #expect(reply.outcome == "voicemail")
        #expect(reply.reason?.hasPrefix("store unavailable") == true)
    }

    @Test func aSlowStoreAnswersVoicemailWithinTheBudget() async {
        let clock = ContinuousClock()
        let start = clock.now
        let reply = await service(UnavailableCallStore(delay: .seconds(60)), budget: .milliseconds(100)).handle(.voice, form: voiceForm(), at: now)
        #expect(reply.outcome == "voicemail")
        #expect(reply.reason?.contains("did not answer") == true)
        // Far below the store's 60 s, whatever else the machine (or the test run's other suites, which
        // block cooperative threads while they wait for processes) is doing.
        #expect(start.duration(to: clock.now) < .seconds(30))
    }

    @Test func theFirstAgentLegToClaimWinsAndOthersAreToldAndHangUp() async {
        let store = InMemoryCallStore(agents: agents(3))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAparent"), at: now)
        let leg = { (agent: String, sid: String) -> FormParameters in
            ["CallSid": sid, "ParentCallSid": "CAparent", "AccountSid": "AC1", "From": "+14155551234", "To": "client:\(agent)"]
        }
        let first = await service.handle(.screen, form: leg("agent_1", "CAleg1"), at: now)
        let second = await service.handle(.screen, form: leg("agent_2", "CAleg2"), at: now)
        #expect(first.outcome == "claim-won")
        #expect(document(first) == VoiceResponse())
        #expect(second.outcome == "claim-lost")
        #expect(document(second) == VoiceResponse([.say(Say("This call was answered by another agent.", voice: "Polly.Joanna")), .hangup(Hangup())]))
        #expect(try! await store.callWinner("CAparent") == "agent_1")
    }

    @Test func clientStatusCallbacksRecordRingEventsOnce() async throws {
        let store = InMemoryCallStore(agents: agents(1))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAp"), at: now)
        let form: FormParameters = [
            "CallSid": "CAleg", "ParentCallSid": "CAp", "CallStatus": "no-answer", "To": "client:agent_0", "AccountSid": "AC1", "From": "+1",
        ]
        let first = await service.handle(.clientStatus, form: form, at: now)
        let retry = await service.handle(.clientStatus, form: form, at: now)
        #expect(first.outcome == "event-missed")
        #expect(retry.outcome == "event-duplicate")
        let events = try await store.ringEvents(in: .default, after: 0, limit: 10)
        #expect(events.map(\.kind) == [.missed])
        #expect(events.first?.agentIdentity == "agent_0")
    }

    @Test func aRingEventTheStoreCouldNotRecordIsQueuedAndOneItRefusesIsLost() async {
        let form: FormParameters = [
            "CallSid": "CAleg", "ParentCallSid": "CAp", "CallStatus": "no-answer", "To": "client:agent_0", "AccountSid": "AC1", "From": "+1",
        ]
        let down = service(UnavailableCallStore())
        #expect(await down.handle(.clientStatus, form: form, at: now).outcome == "event-queued")
        #expect(await down.ringEvents.count == 1)
        // A ringing event is not retried: late, it could make the card ring after the ring's end.
        var ringing = form
        ringing.pairs[2].value = "ringing"
        #expect(await down.handle(.clientStatus, form: ringing, at: now).outcome == "event-lost")
        #expect(await down.ringEvents.count == 1)
        await down.ringEvents.stop()
        let refusing = service(UnavailableCallStore(error: .invalid("kind breaks a check")))
        #expect(await refusing.handle(.clientStatus, form: form, at: now).outcome == "event-lost")
        #expect(await refusing.ringEvents.count == 0)
    }

    @Test func anAgentLegAnsweringACallThatHasEndedIsToldAndHangsUp() async throws {
        let store = InMemoryCallStore(agents: agents(2))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAparent"), at: now)
        try await store.finishCall("CAparent", at: now)
        let leg: FormParameters = ["CallSid": "CAleg", "ParentCallSid": "CAparent", "AccountSid": "AC1", "From": "+1", "To": "client:agent_1"]
        let reply = await service.handle(.screen, form: leg, at: now)
        #expect(reply.outcome == "claim-ended")
        #expect(document(reply) == VoiceResponse([.say(Say("This call has ended.", voice: "Polly.Joanna")), .hangup(Hangup())]))
        #expect(try await store.agent(identity: "agent_1", in: .default).currentCallSid == nil)
    }

    @Test func repliesThatReadTheCallsTenantCarryIt() async throws {
        let store = InMemoryCallStore(agents: agents(1, tenant: "acme"), numbers: ["+15005550006": "acme"])
        let service = service(store)
        let ring = await service.handle(.voice, form: voiceForm(callSid: "CAp"), at: now)
        #expect(ring.tenant == "acme")
        let form: FormParameters = [
            "CallSid": "CAleg", "ParentCallSid": "CAp", "CallStatus": "no-answer", "To": "client:agent_0", "AccountSid": "AC1", "From": "+1",
        ]
        let missed = await service.handle(.clientStatus, form: form, at: now)
        #expect(missed.outcome == "event-missed")
        #expect(missed.tenant == "acme")
        // A call the store never saw belongs to the default tenant, as its ring event does.
        var unknown = form
        unknown.pairs[1].value = "CAother"
        #expect(await service.handle(.clientStatus, form: unknown, at: now).tenant == .default)
        // A claim names the tenant it claimed in.
        let leg: FormParameters = ["CallSid": "CAleg2", "ParentCallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "client:agent_0"]
        let claim = await service.handle(.screen, form: leg, at: now)
        #expect(claim.outcome == "claim-won")
        #expect(claim.tenant == "acme")
        // Voicemail for a number no tenant owns names none.
        #expect(await service.handle(.voice, form: voiceForm(to: "+19999999999"), at: now).tenant == nil)
    }

    @Test(arguments: ["busy", "no-answer", "failed", "canceled"])
    func anUnansweredDialGoesToVoicemail(status: String) async {
        let form: FormParameters = ["CallSid": "CA1", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": status]
        let reply = await service(InMemoryCallStore()).handle(.dialStatus, form: form, at: now)
        #expect(reply.outcome == "voicemail")
        #expect(reply.reason == "not answered (\(status))")
    }

    /// A call that reaches nobody is recorded (its voicemail finds the caller there) but does not ring:
    /// no dashboard lists it, and an Answer click cannot put an agent on a call that is in voicemail.
    @Test func aCallThatRingsNobodyIsRecordedButNotLeftRinging() async throws {
        let store = InMemoryCallStore(agents: agents(1))
        _ = try await store.setPresence(.away, identity: "agent_0", in: .default)
        let reply = await service(store).handle(.voice, form: voiceForm(callSid: "CAnobody"), at: now)
        #expect(reply.outcome == "voicemail")
        #expect(try await store.ringingCall("CAnobody")?.caller == "+14155551234")
        #expect(try await store.ringingCalls(in: .default).isEmpty)
        _ = try await store.setPresence(.available, identity: "agent_0", in: .default)
        #expect(try await store.claimCall("CAnobody", tenant: .default, agentIdentity: "agent_0", at: now) == .callEnded)
        #expect(try await store.agent(identity: "agent_0", in: .default).currentCallSid == nil)
    }

    /// Twilio retries a voice callback whose answer it never got: when the first attempt rang agents
    /// and the retry rings nobody (they went away meanwhile), the caller goes to voicemail and the call
    /// must stop ringing, although the store keeps the first attempt's record.
    @Test func aRetryThatRingsNobodyFinishesTheCallTheFirstAttemptRecorded() async throws {
        let store = InMemoryCallStore(agents: agents(1))
        let service = service(store)
        #expect(await service.handle(.voice, form: voiceForm(callSid: "CAretry"), at: now).outcome == "ring")
        _ = try await store.setPresence(.away, identity: "agent_0", in: .default)
        #expect(await service.handle(.voice, form: voiceForm(callSid: "CAretry"), at: now).outcome == "voicemail")
        #expect(try await store.ringingCalls(in: .default).isEmpty)
        #expect(try await store.ringingCall("CAretry")?.agentsRung == ["agent_0"])
    }

    /// After a dial nobody answered the call stops ringing, whatever the status, so a late Answer
    /// click is told the call ended instead of winning a caller who is leaving a voicemail.
    @Test(arguments: ["busy", "no-answer", "failed", "canceled", "something-new"])
    func anUnansweredDialStopsTheCallRinging(status: String) async throws {
        let store = InMemoryCallStore(agents: agents(2))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAp"), at: now)
        #expect(try await store.ringingCalls(in: .default).map(\.callSid) == ["CAp"])
        let form: FormParameters = ["CallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": status]
        #expect(await service.handle(.dialStatus, form: form, at: now).outcome == "voicemail")
        #expect(try await store.ringingCalls(in: .default).isEmpty)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_1", at: now) == .callEnded)
    }

    /// An agent who claimed the call (the dashboard's Answer button) but whose phone never connected
    /// does not stay "on the call" for good once the dial ends unanswered: they are rung again.
    @Test func anAgentWhoClaimedButNeverConnectedIsFreedWhenTheDialEndsUnanswered() async throws {
        let store = InMemoryCallStore(agents: agents(2))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAp"), at: now)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        let form: FormParameters = ["CallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "no-answer"]
        #expect(await service.handle(.dialStatus, form: form, at: now).outcome == "voicemail")
        let agent = try await store.agent(identity: "agent_0", in: .default)
        #expect(agent.currentCallSid == nil)
        #expect(agent.isAvailable(at: now))
        let next = await service.handle(.voice, form: voiceForm(callSid: "CAnext"), at: now.addingTimeInterval(1))
        #expect(clients(next).contains("agent_0"))
    }

    /// An agent let through because the store failed during the claim leaves no winner recorded: when
    /// the answered dial ends, the call is finished so it does not stay claimable on the dashboard.
    @Test func anAnsweredDialWithNoRecordedWinnerStopsRinging() async throws {
        let store = InMemoryCallStore(agents: agents(2))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAp"), at: now)
        let form: FormParameters = ["CallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "completed"]
        #expect(await service.handle(.dialStatus, form: form, at: now).outcome == "answered")
        #expect(try await store.ringingCalls(in: .default).isEmpty)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_1", at: now) == .callEnded)
    }

    /// Twilio reports a dial completed whose caller was never bridged (the only leg's screening hung up,
    /// as when a parker answers a park's ring-back while on another call): the caller leaves a message
    /// instead of being hung up on, and an agent who claimed the call without reaching the caller is
    /// freed with no wrap-up. A malformed request says the same through its raw field.
    @Test func anAnsweredDialThatNeverBridgedTheCallerGoesToVoicemail() async throws {
        let store = InMemoryCallStore(agents: agents(1))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAp"), at: now)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        var form: FormParameters = [
            "CallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "completed", "DialBridged": "false",
        ]
        let later = now.addingTimeInterval(30)
        let reply = await service.handle(.dialStatus, form: form, at: later)
        #expect(reply.outcome == "voicemail")
        #expect(reply.reason == "not answered (completed, not bridged)")
        #expect(String(decoding: reply.body, as: UTF8.self).contains("<Record "))
        let agent = try await store.agent(identity: "agent_0", in: .default)
        #expect(agent.currentCallSid == nil)
        #expect(agent.isAvailable(at: later))
        #expect(agent.lastCallEndedAt == later)
        // Bridged, or not said: hang up as before.
        form.pairs.removeAll { $0.name == "DialBridged" }
        #expect(await service.handle(.dialStatus, form: form, at: later).outcome == "answered")
        form.pairs.append(FormParameters.Pair(name: "DialBridged", value: "true"))
        #expect(await service.handle(.dialStatus, form: form, at: later).outcome == "answered")
        let malformed: FormParameters = [
            "CallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "answered", "DialBridged": "False",
            "DialCallDuration": "twelve",
        ]
        #expect(await service.handle(.dialStatus, form: malformed, at: later).outcome == "voicemail")
    }

    /// A store that is down when the dial ends still gives the caller the voicemail prompt.
    @Test func anUnansweredDialWithTheStoreDownStillGoesToVoicemail() async {
        let form: FormParameters = ["CallSid": "CA1", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "no-answer"]
        let service = service(UnavailableCallStore(delay: .seconds(60)), budget: .milliseconds(100))
        let reply = await service.handle(.dialStatus, form: form, at: now)
        #expect(reply.outcome == "voicemail")
        #expect(reply.reason == "not answered (no-answer)")
        // The call's end waits for the store (CallEndRetryTests).
        #expect(await service.callEnds.count == 1)
        await service.callEnds.stop()
    }

    /// The `<Dial action>` could not end an answered call (the store failed); the winner's leg ending
    /// (client-status `completed`) ends their part then, so they are rung again. A losing leg's end
    /// changes nothing, and neither does a repeat.
    @Test func anAgentsLegEndingEndsTheirPartWhenTheDialCouldNot() async throws {
        let store = InMemoryCallStore(agents: agents(2))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAp"), at: now)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        // (Here the dial-status request's endCall failed: the agent is still on the call.)
        func completed(_ agent: String) -> FormParameters {
            [
                "CallSid": "CAleg-\(agent)", "ParentCallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "client:\(agent)",
                "CallStatus": "completed",
            ]
        }
        #expect(await service.handle(.clientStatus, form: completed("agent_1"), at: now).outcome == "leg-ended")
        #expect(try await store.agent(identity: "agent_0", in: .default).currentCallSid == "CAp")
        let later = now.addingTimeInterval(60)
        #expect(await service.handle(.clientStatus, form: completed("agent_0"), at: later).outcome == "leg-ended-call")
        let agent = try await store.agent(identity: "agent_0", in: .default)
        #expect(agent.currentCallSid == nil)
        #expect(agent.lastCallEndedAt == later)
        #expect(await service.handle(.clientStatus, form: completed("agent_0"), at: later).outcome == "leg-ended")
        // No ring event is recorded for a leg's end.
        #expect(try await store.ringEvents(in: .default, after: 0, limit: 10).isEmpty)
    }

    /// An answered dial whose request has a malformed optional field still ends as answered: the
    /// caller hangs up rather than hearing the voicemail prompt, and the agent is freed.
    @Test func anAnsweredDialWithAMalformedFieldStillEndsTheCall() async throws {
        let store = InMemoryCallStore(agents: agents(1))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAp"), at: now)
        #expect(try await store.claimCall("CAp", tenant: .default, agentIdentity: "agent_0", at: now) == .won)
        let form: FormParameters = [
            "CallSid": "CAp", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "completed", "DialCallDuration": "twelve",
        ]
        let reply = await service.handle(.dialStatus, form: form, at: now)
        #expect(reply.outcome == "answered")
        #expect(document(reply) == VoiceResponse([.hangup(Hangup())]))
        #expect(try await store.agent(identity: "agent_0", in: .default).currentCallSid == nil)
        // An unanswered one with a malformed field still stops ringing before its voicemail.
        #expect(await service.handle(.voice, form: voiceForm(callSid: "CAq"), at: now.addingTimeInterval(3600)).outcome == "ring")
        #expect(try await store.ringingCalls(in: .default).map(\.callSid) == ["CAq"])
        let unanswered: FormParameters = [
            "CallSid": "CAq", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "no-answer", "DialBridged": "maybe",
        ]
        #expect(await service.handle(.dialStatus, form: unanswered, at: now).outcome == "voicemail")
        #expect(try await store.ringingCalls(in: .default).isEmpty)
        // Without a status to go by, the caller still gets voicemail.
        var unknown = form
        unknown.pairs.removeAll { $0.name == "DialCallStatus" }
        #expect(await service.handle(.dialStatus, form: unknown, at: now).outcome == "voicemail")
    }

    @Test func aRetriedRecordingCallbackStoresOneVoicemail() async throws {
        let store = InMemoryCallStore(agents: agents(0))
        let service = service(store)
        _ = await service.handle(.voice, form: voiceForm(callSid: "CAvm"), at: now)
        let form: FormParameters = [
            "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/RE1",
            "RecordingStatus": "completed", "RecordingDuration": "12",
        ]
        #expect(await service.handle(.recordingStatus, form: form, at: now).outcome == "recorded")
        #expect(await service.handle(.recordingStatus, form: form, at: now).outcome == "duplicate")
        let voicemails = try await store.voicemails(in: .default)
        #expect(voicemails.count == 1)
        #expect(voicemails.first?.caller == "+14155551234")
        #expect(voicemails.first?.durationSeconds == 12)
    }

    @Test func aVoicemailTheStoreRefusesWaitsInTheOutbox() async throws {
        let service = service(UnavailableCallStore())
        let form: FormParameters = [
            "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/RE1",
            "RecordingStatus": "completed", "RecordingDuration": "12",
        ]
        let reply = await service.handle(.recordingStatus, form: form, at: now)
        #expect(reply.outcome == "voicemail-queued")
        #expect(String(decoding: reply.body, as: UTF8.self) == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response />")
        #expect(service.outbox.count == 1)
    }

    @Test func aVoicemailTheStoreRejectsForGoodIsLoggedAndNotQueued() async throws {
        let service = service(UnavailableCallStore(error: .invalid("duration_seconds breaks a check")))
        let form: FormParameters = [
            "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "RE1", "RecordingUrl": "https://api.twilio.com/RE1",
            "RecordingStatus": "completed", "RecordingDuration": "12",
        ]
        let reply = await service.handle(.recordingStatus, form: form, at: now)
        #expect(reply.outcome == "voicemail-rejected")
        #expect(service.outbox.count == 0)
    }
}
