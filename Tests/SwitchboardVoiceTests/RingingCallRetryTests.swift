import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTestSupport
import SwitchboardVoice
import SwitchboardWebhooks
import Testing

/// A ringing record the store could not make waits and is made once the store is back, so the call
/// reaches the dashboards; and a call whose record never reached the store is recorded at its end, so
/// that records and claims the store gets later find it over, and its voicemail finds the caller.
@Suite struct RingingCallRetryTests {
    let base = VoiceServiceTests()
    let caller = "+14155551234"
    let called = "+15005550006"

    func service(_ store: SwitchableStore, spool: String? = nil, logger: Logger = Logger(label: "test")) -> VoiceService<SwitchableStore> {
        VoiceService(
            store: store,
            configuration: base.configuration,
            spool: spool.map { VoicemailSpool(directory: $0) },
            logger: logger
        )
    }

    func dialStatus(_ callSid: String, _ status: String) -> FormParameters {
        ["CallSid": callSid, "AccountSid": "AC1", "From": caller, "To": called, "DialCallStatus": status]
    }

    /// A store that is down, with two available agents in memory, and a service that rang them for
    /// `callSid` from that memory: the call's ringing record failed.
    func ringWhileTheStoreIsDown(_ callSid: String) async throws -> (SwitchableStore, VoiceService<SwitchableStore>) {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2)))
        store.setRecent(RoutingSnapshot(tenant: .default, agents: base.agents(2)))
        store.setDown(true)
        let service = service(store)
        #expect(await service.handle(.voice, form: base.voiceForm(callSid: callSid), at: base.now).outcome == "ring")
        return (store, service)
    }

    /// As ``ringWhileTheStoreIsDown(_:)``, then agent_0 answers 3 s later while the store is still down:
    /// its leg is let through and its claim waits, as does the call's ringing record. Answers when the
    /// leg answered.
    func answerWhileTheStoreIsDown(_ callSid: String) async throws -> (SwitchableStore, VoiceService<SwitchableStore>, answered: Date) {
        let (store, service) = try await ringWhileTheStoreIsDown(callSid)
        let leg: FormParameters = [
            "CallSid": "CAleg", "ParentCallSid": callSid, "AccountSid": "AC1", "From": caller, "To": "client:agent_0",
            "CallStatus": "in-progress",
        ]
        let answered = base.now.addingTimeInterval(3)
        #expect(await service.handle(.screen, form: leg, at: answered).outcome == "claim-unchecked")
        #expect(await eventually { await service.ringingCalls.count == 1 }, "the failed record does not wait")
        return (store, service, answered)
    }

    /// Waits up to 10 s for `condition`.
    func eventually(_ condition: () async throws -> Bool) async rethrows -> Bool {
        for _ in 0..<1000 {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func aRecordTheStoreMissedOnTheFastPathIsMadeOnceItIsBack() async throws {
        let (store, service) = try await ringWhileTheStoreIsDown("CAfast")
        #expect(await eventually { await service.ringingCalls.count == 1 }, "the failed record does not wait")
        #expect(try await store.inner.ringingCall("CAfast") == nil)
        store.setDown(false)
        #expect(try await eventually { try await store.inner.ringingCall("CAfast") != nil })
        let call = try await store.inner.ringingCall("CAfast")
        #expect(call?.agentsRung == ["agent_0", "agent_1"])
        #expect(call?.caller == caller)
        #expect(try await store.inner.ringingCalls(in: .default).map(\.callSid) == ["CAfast"])
        #expect(await eventually { await service.ringingCalls.count == 0 })
        await service.ringingCalls.stop()
    }

    /// The routing read works and the record does not: the call rings all the same, and its record waits.
    @Test func aRecordTheStoreRefusedAfterItsRoutingReadIsMadeOnceItIsBack() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2)))
        store.setRefusingRingingRecords(true)
        let service = service(store)
        let reply = await service.handle(.voice, form: base.voiceForm(callSid: "CAread"), at: base.now)
        #expect(reply.outcome == "ring")
        #expect(base.clients(reply) == ["agent_0", "agent_1"])
        #expect(await service.ringingCalls.count == 1)
        store.setRefusingRingingRecords(false)
        #expect(try await eventually { try await store.inner.ringingCall("CAread") != nil })
        #expect(try await store.inner.ringingCall("CAread")?.agentsRung == ["agent_0", "agent_1"])
        await service.ringingCalls.stop()
    }

    @Test func aWaitingRecordSurvivesARestart() async throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-spool-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(1)))
        store.setRefusingRingingRecords(true)
        let first = service(store, spool: spool)
        #expect(await first.handle(.voice, form: base.voiceForm(callSid: "CAkept"), at: base.now).outcome == "ring")
        #expect(await first.ringingCalls.count == 1)
        await first.ringingCalls.stop()

        store.setRefusingRingingRecords(false)
        let second = service(store, spool: spool)
        #expect(try await eventually { try await store.inner.ringingCall("CAkept") != nil })
        #expect(try await store.inner.ringingCall("CAkept")?.startedAt == base.now)
        await second.ringingCalls.stop()
    }

    /// The store missed the call's ringing record, and is back when the dial ends unanswered: the end
    /// records the call, finished, with what the callback says of it. The record retried later changes
    /// nothing, nor does a claim; the voicemail gets the caller.
    @Test func anUnansweredCallTheStoreNeverHeardOfIsRecordedAtItsEnd() async throws {
        let (store, service) = try await ringWhileTheStoreIsDown("CAend")
        #expect(await eventually { await service.ringingCalls.count == 1 })
        // Dropped here, and made by hand below once the end is recorded: what a retry that comes late does.
        await service.ringingCalls.stop()
        store.setDown(false)

        let ended = base.now.addingTimeInterval(25)
        #expect(await service.handle(.dialStatus, form: dialStatus("CAend", "no-answer"), at: ended).outcome == "voicemail")
        let atItsEnd = RingingCall(callSid: "CAend", tenant: .default, caller: caller, called: called, agentsRung: [], startedAt: ended)
        #expect(try await store.inner.ringingCall("CAend") == atItsEnd)
        #expect(try await store.inner.finishCall("CAend", at: ended) == .finishedBefore)

        try await store.recordRinging(
            RingingCall(callSid: "CAend", tenant: .default, caller: caller, called: called, agentsRung: ["agent_0", "agent_1"], startedAt: base.now)
        )
        #expect(try await store.inner.ringingCalls(in: .default).isEmpty, "the late record made the call ring again")
        #expect(try await store.claimCall("CAend", tenant: .default, agentIdentity: "agent_0", at: base.now.addingTimeInterval(5)) == .callEnded)

        let recording: FormParameters = [
            "AccountSid": "AC1", "CallSid": "CAend", "RecordingSid": "REend", "RecordingUrl": "https://api.twilio.com/REend",
            "RecordingStatus": "completed", "RecordingDuration": "7",
        ]
        #expect(await service.handle(.recordingStatus, form: recording, at: ended.addingTimeInterval(30)).outcome == "recorded")
        #expect(try await store.inner.voicemails(in: .default).map(\.caller) == [caller])
    }

    /// The store was down for the whole call: its ringing record and its end both wait. The record,
    /// which waited longer, is tried first once the store is back; the end waiting beside it records the
    /// call, so the record is left to it, and no dashboard lists the call as ringing meanwhile.
    @Test func aCallWhoseRecordAndEndBothWaitNeverRingsAgain() async throws {
        let (store, service) = try await ringWhileTheStoreIsDown("CAboth")
        #expect(await eventually { await service.ringingCalls.count == 1 })
        // Each waits 1 s before its first try: the record's comes well before the end's.
        try await Task.sleep(for: .milliseconds(600))
        let ended = base.now.addingTimeInterval(20)
        #expect(await service.handle(.dialStatus, form: dialStatus("CAboth", "no-answer"), at: ended).outcome == "voicemail")
        #expect(await service.callEnds.count == 1)
        store.setDown(false)
        var listed: Set<String> = []
        for _ in 0..<1000 {
            listed.formUnion(try await store.inner.ringingCalls(in: .default).map(\.callSid))
            if await service.ringingCalls.count == 0, await service.callEnds.count == 0 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(listed.isEmpty, "the call rang again on the dashboards")
        #expect(await service.ringingCalls.count == 0)
        #expect(await service.callEnds.count == 0)
        let call = try await store.inner.ringingCall("CAboth")
        #expect(call?.caller == caller)
        #expect(try await store.inner.finishCall("CAboth", at: ended) == .finishedBefore)
        await service.ringingCalls.stop()
        await service.callEnds.stop()
    }

    /// The store was down as the call rang and as an agent answered (the leg was let through, its claim
    /// waiting), and is back when the conversation ends: the end records the call over, so the claim
    /// that reaches the store after it cannot put the agent on a call that is over, never rung again.
    @Test func anAnsweredCallTheStoreNeverHeardOfLeavesNoAgentOnIt() async throws {
        let (store, service, answered) = try await answerWhileTheStoreIsDown("CAtalk")
        await service.ringingCalls.stop()
        await service.claims.stop()
        store.setDown(false)

        let ended = base.now.addingTimeInterval(120)
        #expect(await service.handle(.dialStatus, form: dialStatus("CAtalk", "completed"), at: ended).outcome == "answered")
        #expect(try await store.inner.ringingCall("CAtalk")?.caller == caller)
        // The claim as the claims' retry makes it, after the end.
        #expect(try await store.claimCall("CAtalk", tenant: .default, agentIdentity: "agent_0", at: answered) == .callEnded)
        #expect(try await store.inner.agent(identity: "agent_0", in: .default).currentCallSid == nil)
    }

    /// The answering agent's claim reaches the store before the call's waiting ringing record (the two
    /// retries are unordered): the claim makes the call's record, which knows no caller. The ringing
    /// record, made later, gives it the caller, the number called and the agents rung, so the call's
    /// history, and a voicemail left after a ring-back, name the caller; the winner stays.
    @Test func aClaimRecordedBeforeItsCallsRingingRecordGetsTheCallerFromIt() async throws {
        let (store, service, answered) = try await answerWhileTheStoreIsDown("CAorder")
        await service.claims.stop()
        // The claim as the claims' retry makes it, before the ringing record's retry.
        #expect(try await store.inner.claimCall("CAorder", tenant: .default, agentIdentity: "agent_0", at: answered) == .won)
        #expect(try await store.inner.ringingCall("CAorder")?.caller == "")
        store.setDown(false)

        #expect(try await eventually { try await store.inner.ringingCall("CAorder")?.caller == caller })
        let call = try await store.inner.ringingCall("CAorder")
        #expect(call?.called == called)
        #expect(call?.agentsRung == ["agent_0", "agent_1"])
        #expect(call?.startedAt == base.now)
        #expect(try await store.inner.callWinner("CAorder") == "agent_0")
        await service.ringingCalls.stop()
    }

    /// The same, with the waiting claim reaching the store just after the end's `endCall` write: where
    /// that write came first (before the call was finished) the claim landed between the two and put
    /// its agent on a call that was over. The call is now finished first, so the claim finds it over.
    @Test func aClaimThatLandsWhileTheEndIsRecordedLeavesNoAgentOnTheCall() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2)))
        let answered = base.now.addingTimeInterval(3)
        store.setAfterEndCall {
            _ = try? await store.inner.claimCall("CAmid", tenant: .default, agentIdentity: "agent_0", at: answered)
        }
        let service = service(store)
        let ended = base.now.addingTimeInterval(120)
        #expect(await service.handle(.dialStatus, form: dialStatus("CAmid", "completed"), at: ended).outcome == "answered")
        #expect(try await store.inner.finishCall("CAmid", at: ended) == .finishedBefore)
        #expect(try await store.inner.callWinner("CAmid") == nil)
        #expect(try await store.inner.agent(identity: "agent_0", in: .default).currentCallSid == nil, "the agent is on a call that is over")
    }

    /// What waits is logged when it is kept, and the caller's number (now in the ringing record and in
    /// the call's end) is not: no log line of the service carries one.
    @Test func theLogsOfWaitingRecordsAndEndsCarryNoPhoneNumber() async throws {
        let recorder = LogRecorder()
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2)))
        store.setRefusingRingingRecords(true)
        let service = service(store, logger: recorder.logger())
        #expect(await service.handle(.voice, form: base.voiceForm(callSid: "CAlog"), at: base.now).outcome == "ring")
        store.setDown(true)
        #expect(await service.handle(.dialStatus, form: dialStatus("CAlog", "no-answer"), at: base.now).outcome == "voicemail")
        #expect(await service.ringingCalls.count == 1)
        #expect(await service.callEnds.count == 1)
        await service.ringingCalls.stop()
        await service.callEnds.stop()
        let kept = recorder.entries.filter { $0.message.contains("will be tried again") }
        #expect(kept.count == 2, "\(recorder.messages)")
        #expect(kept.allSatisfy { $0.metadata["item"]?.description.contains("CAlog") == true })
        for entry in recorder.entries {
            let text = entry.message + entry.metadata.values.map(\.description).joined(separator: " ")
            #expect(!text.contains(caller) && !text.contains(called), "a log line carries a phone number: \(text)")
        }
    }

    /// The voicemail's retry and the call's record's are not ordered: when the voicemail's comes first,
    /// it is stored with no caller, and the record, made next, gives it the caller. The record is the
    /// ringing record's retry, or, when the dial's end waits too, the end's record of the call.
    @Test(arguments: [false, true])
    func aVoicemailSavedBeforeItsCallsWaitingRecordGetsTheCallerWhenTheRecordIsMade(endWaits: Bool) async throws {
        let (store, service) = try await ringWhileTheStoreIsDown("CAvm")
        #expect(await eventually { await service.ringingCalls.count == 1 }, "the failed record does not wait")
        if endWaits {
            #expect(
                await service.handle(.dialStatus, form: dialStatus("CAvm", "no-answer"), at: base.now.addingTimeInterval(20)).outcome == "voicemail"
            )
            #expect(await service.callEnds.count == 1)
        }
        let status: FormParameters = [
            "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "RECAvm", "RecordingUrl": "https://api.twilio.com/RECAvm",
            "RecordingStatus": "completed", "RecordingDuration": "7",
        ]
        #expect(await service.handle(.recordingStatus, form: status, at: base.now.addingTimeInterval(30)).outcome == "voicemail-queued")
        store.setRefusingRingingRecords(true)
        store.setDown(false)
        #expect(try await eventually { try await !store.inner.voicemails(in: .default).isEmpty }, "the voicemail is not saved")
        #expect(try await store.inner.voicemails(in: .default).map(\.caller) == [nil])
        store.setRefusingRingingRecords(false)
        #expect(try await eventually { try await store.inner.voicemails(in: .default).map(\.caller) == [caller] })
        #expect(await eventually { await service.ringingCalls.count == 0 })
        #expect(await eventually { await service.callEnds.count == 0 })
        #expect(try await store.inner.ringingCall("CAvm")?.agentsRung == (endWaits ? [] : ["agent_0", "agent_1"]))
        await service.ringingCalls.stop()
        await service.callEnds.stop()
        await service.outbox.stop()
    }

    /// The end's record of a call the store never heard of is made, and the store fails before the
    /// call's voicemail, stored earlier with no caller, gets it. The end's retry then finds the call
    /// finished, and still gives the voicemail the caller. (Driven step by step: the retry's own timing is
    /// in the tests above.)
    @Test func anEndRetriedAfterItsRecordStillGivesTheVoicemailTheCaller() async throws {
        let store = SwitchableStore(InMemoryCallStore(agents: base.agents(2)))
        let service = service(store)
        let status: FormParameters = [
            "AccountSid": "AC1", "CallSid": "CAhalf", "RecordingSid": "RECAhalf", "RecordingUrl": "https://api.twilio.com/RECAhalf",
            "RecordingStatus": "completed", "RecordingDuration": "7",
        ]
        #expect(await service.handle(.recordingStatus, form: status, at: base.now.addingTimeInterval(30)).outcome == "recorded")
        #expect(try await store.inner.voicemails(in: .default).map(\.caller) == [nil], "no record to take the caller from")
        let end = PendingCallEnd(
            callSid: "CAhalf",
            part: .unanswered,
            occurredAt: base.now.addingTimeInterval(20),
            unknownCall: PendingCallEnd.UnknownCall(tenant: .default, caller: caller, called: called)
        )
        store.setRefusingAttaching(true)
        await #expect(throws: StoreError.self) { try await VoiceService.recordCallEnd(end, in: store, late: false) }
        #expect(try await store.inner.ringingCall("CAhalf") != nil, "the end did not record the call")
        #expect(try await store.inner.voicemails(in: .default).map(\.caller) == [nil])
        store.setRefusingAttaching(false)
        _ = try await VoiceService.recordCallEnd(end, in: store, late: true)
        #expect(try await store.inner.voicemails(in: .default).map(\.caller) == [caller])
        await service.outbox.stop()
    }
}
