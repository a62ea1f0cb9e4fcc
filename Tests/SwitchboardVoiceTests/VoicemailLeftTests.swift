import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// A call that came in while the store failed went straight to voicemail with no record of it. The
/// caller's `<Record action>` callback, which names the caller (the recording's status callback does
/// not), records the call, so the voicemail gets the caller and its tenant.
@Suite struct VoicemailLeftTests {
    let base = VoiceServiceTests()
    let caller = "+14155551234"

    func service(_ store: SwitchableStore) -> VoiceService<SwitchableStore> {
        VoiceService(store: store, configuration: base.configuration, logger: Logger(label: "test"))
    }

    func recordAction(_ callSid: String, to: String = "+15005550006") -> FormParameters {
        [
            "CallSid": callSid, "AccountSid": "AC1", "From": caller, "To": to, "RecordingUrl": "https://api.twilio.com/RE\(callSid)",
            "RecordingDuration": "7",
        ]
    }

    func recordingStatus(_ callSid: String) -> FormParameters {
        [
            "AccountSid": "AC1", "CallSid": callSid, "RecordingSid": "RE\(callSid)", "RecordingUrl": "https://api.twilio.com/RE\(callSid)",
            "RecordingStatus": "completed", "RecordingDuration": "7",
        ]
    }

    /// The number is another tenant's: the callback's URL names no tenant (the voice route could not
    /// tell), so the number called decides, as the store, back by then, says.
    @Test func aVoicemailLeftWhileTheStoreFailedAtTheCallsStartGetsTheCallerAndTheTenant() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2, tenant: "acme")))
        try await store.mapNumber("+15005550006", to: "acme")
        let service = service(store)
        store.setDown(true)
        let voice = await service.handle(.voice, form: base.voiceForm(callSid: "CAout"), at: base.now)
        #expect(voice.outcome == "voicemail")
        #expect(voice.reason?.hasPrefix("store unavailable") == true, "\(voice.reason ?? "-")")
        store.setDown(false)

        let left = base.now.addingTimeInterval(40)
        #expect(await service.handle(.voicemail, form: recordAction("CAout"), at: left).outcome == "voicemail-thanks")
        let call = try await store.inner.ringingCall("CAout")
        #expect(call == RingingCall(callSid: "CAout", tenant: "acme", caller: caller, called: "+15005550006", agentsRung: [], startedAt: left))
        #expect(try await store.inner.ringingCalls(in: "acme").isEmpty, "recorded ringing")
        #expect(await service.handle(.recordingStatus, form: recordingStatus("CAout"), at: left.addingTimeInterval(2)).outcome == "recorded")
        let voicemails = try await store.inner.voicemails(in: "acme")
        #expect(voicemails.map(\.caller) == [caller])
        #expect(try await store.inner.voicemails(in: .default).isEmpty)
    }

    /// A call the store knows keeps its record as it is: the callback changes nothing (a regression
    /// check: a write that replaced the record would lose the agents rung).
    @Test func aKnownCallsRecordIsLeftAsItIs() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2)))
        let service = service(store)
        #expect(await service.handle(.voice, form: base.voiceForm(callSid: "CAknown"), at: base.now).outcome == "ring")
        let before = try await store.inner.ringingCall("CAknown")
        #expect(before?.agentsRung == ["agent_0", "agent_1"])
        let left = base.now.addingTimeInterval(60)
        #expect(await service.handle(.voicemail, form: recordAction("CAknown"), at: left).outcome == "voicemail-thanks")
        #expect(try await store.inner.ringingCall("CAknown") == before)
    }

    /// The store still fails when the message ends: the caller is thanked all the same, and the record
    /// waits until the store is back, when the number called gives its tenant.
    @Test func aRecordTheStoreCannotMakeYetWaitsAndTakesTheNumbersTenantOnceMade() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(1, tenant: "acme")))
        try await store.mapNumber("+15005550006", to: "acme")
        let service = service(store)
        store.setDown(true)
        #expect(await service.handle(.voicemail, form: recordAction("CAwait"), at: base.now).outcome == "voicemail-thanks")
        #expect(await service.ringingCalls.count == 1)
        store.setDown(false)
        var call: RingingCall?
        for _ in 0..<1000 where call == nil {
            try await Task.sleep(for: .milliseconds(10))
            call = try await store.inner.ringingCall("CAwait")
        }
        #expect(call?.caller == caller)
        #expect(call?.agentsRung == [])
        #expect(call?.tenant == "acme")
        await service.ringingCalls.stop()
    }

    /// Twilio does not promise its callbacks' order: the recording's status can come before the
    /// `<Record action>`. The voicemail, stored first with no record to take the caller and tenant from,
    /// gets both when that callback records the call.
    @Test func aVoicemailStoredBeforeTheRecordActionGetsTheCallerAndTheTenantFromIt() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2, tenant: "acme")))
        try await store.mapNumber("+15005550006", to: "acme")
        let service = service(store)
        store.setDown(true)
        #expect(await service.handle(.voice, form: base.voiceForm(callSid: "CAfirst"), at: base.now).outcome == "voicemail")
        store.setDown(false)

        let left = base.now.addingTimeInterval(40)
        #expect(await service.handle(.recordingStatus, form: recordingStatus("CAfirst"), at: left).outcome == "recorded")
        #expect(try await store.inner.voicemails(in: .default).map(\.caller) == [nil], "no record to take the caller from yet")
        #expect(await service.handle(.voicemail, form: recordAction("CAfirst"), at: left.addingTimeInterval(1)).outcome == "voicemail-thanks")
        #expect(try await store.inner.voicemails(in: "acme").map(\.caller) == [caller])
        #expect(try await store.inner.voicemails(in: .default).isEmpty)
        await service.ringingCalls.stop()
        await service.outbox.stop()
    }

    /// The call's record lands between the voicemail's read of it and its save (made by a retry, or
    /// another instance): the record found no voicemail to give the caller to, so the save gives it.
    @Test func aRecordMadeWhileItsVoicemailIsSavedStillGivesItTheCaller() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(1, tenant: "acme")))
        let service = service(store)
        let record = RingingCall.rangNobody(callSid: "CArace", tenant: "acme", caller: caller, called: "+15005550006", at: base.now)
        store.setBeforeSaveVoicemail {
            try? await store.inner.recordRinging(record)
            #expect((try? await store.inner.attachVoicemails(toCall: "CArace")) == 0, "the voicemail is not stored yet")
        }
        #expect(await service.handle(.recordingStatus, form: recordingStatus("CArace"), at: base.now.addingTimeInterval(30)).outcome == "recorded")
        #expect(try await store.inner.voicemails(in: "acme").map(\.caller) == [caller])
        #expect(try await store.inner.voicemails(in: .default).isEmpty)
        await service.ringingCalls.stop()
        await service.outbox.stop()
    }

    /// A claim recorded the call (its answering leg's, retried from a failing store, say): the record
    /// names no caller, and the voicemail gets none rather than an empty one.
    @Test func aVoicemailOfACallAClaimRecordedHasNoCaller() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(1)))
        let service = service(store)
        #expect(try await store.inner.claimCall("CAclaimed", tenant: .default, agentIdentity: "agent_0", at: base.now) == .won)
        #expect(try await store.inner.ringingCall("CAclaimed")?.caller == "")
        #expect(await service.handle(.recordingStatus, form: recordingStatus("CAclaimed"), at: base.now.addingTimeInterval(30)).outcome == "recorded")
        #expect(try await store.inner.voicemails(in: .default).map(\.caller) == [nil])
        await service.outbox.stop()
    }
}
