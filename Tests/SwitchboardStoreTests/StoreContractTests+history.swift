import Foundation
import SwitchboardCore
import Testing

extension StoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func everyRingEventKindIsStoredAndReadBack(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for (index, eventKind) in RingEvent.Kind.allCases.enumerated() {
                let event = RingEvent(callSid: "CA-kinds", tenant: "acme", agentIdentity: "amy", kind: eventKind, occurredAt: Clock.at(index))
                #expect(try await store.recordRingEvent(event), "\(eventKind)")
            }
            let stored = try await store.ringEvents(in: "acme", after: 0, limit: 100)
            #expect(stored.map(\.kind.rawValue) == ["ringing", "answered", "declined", "missed", "parked", "retrieved", "away"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ringEventsAreIdempotentAndGetIncreasingSequences(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let ringing = RingEvent(callSid: "CA-1", tenant: "acme", agentIdentity: "amy", kind: .ringing, occurredAt: Clock.at(1))
            let answered = RingEvent(
                callSid: "CA-1",
                tenant: "acme",
                agentIdentity: "amy",
                kind: .answered,
                occurredAt: Clock.at(3),
                detail: "in-progress"
            )
            let missed = RingEvent(
                callSid: "CA-1",
                tenant: "acme",
                agentIdentity: "bob",
                kind: .missed,
                occurredAt: Clock.at(2),
                detail: "no-answer"
            )
            #expect(try await store.recordRingEvent(ringing))
            #expect(try await store.recordRingEvent(missed))
            var retry = ringing
            retry.occurredAt = Clock.at(9)
            retry.detail = "retried"
            #expect(try await store.recordRingEvent(retry) == false)
            #expect(try await store.recordRingEvent(answered))

            let events = try await store.ringEvents(in: "acme", after: 0, limit: 10)
            // In the order recorded, with the stored fields as given.
            #expect(events.map(\.kind) == [.ringing, .missed, .answered])
            #expect(events[0].sequence > 0)
            #expect(events[0].sequence < events[1].sequence && events[1].sequence < events[2].sequence)
            for (event, original) in zip(events, [ringing, missed, answered]) {
                var withSequence = original
                withSequence.sequence = event.sequence
                #expect(event == withSequence)
            }
        }
    }

    /// Twilio does not promise its callbacks' order: a `ringing` that comes after the agent's ring of
    /// the call ended is not stored (it would make the card ring again), whichever end it was, while
    /// another agent's ringing, or the same agent's on another call, still is.
    @Test(arguments: StoreKind.allCases)
    func aRingingEventAfterTheRingEndedIsNotStored(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for (index, end) in [RingEvent.Kind.answered, .declined, .missed].enumerated() {
                let callSid = "CA-late-\(end.rawValue)"
                #expect(
                    try await store.recordRingEvent(
                        RingEvent(callSid: callSid, tenant: "acme", agentIdentity: "amy", kind: end, occurredAt: Clock.at(index))
                    )
                )
                let late = RingEvent(callSid: callSid, tenant: "acme", agentIdentity: "amy", kind: .ringing, occurredAt: Clock.at(index + 10))
                #expect(try await store.recordRingEvent(late) == false, "\(end)")
                var other = late
                other.agentIdentity = "bob"
                #expect(try await store.recordRingEvent(other), "\(end)")
            }
            // Events that do not end a ring leave a later ringing alone.
            #expect(
                try await store.recordRingEvent(
                    RingEvent(callSid: "CA-parked", tenant: "acme", agentIdentity: "amy", kind: .parked, occurredAt: Clock.at(20))
                )
            )
            #expect(
                try await store.recordRingEvent(
                    RingEvent(callSid: "CA-parked", tenant: "acme", agentIdentity: "amy", kind: .ringing, occurredAt: Clock.at(21))
                )
            )
            let stored = try await store.ringEvents(in: "acme", after: 0, limit: 100)
            #expect(stored.filter { $0.kind == .ringing }.map(\.agentIdentity) == ["bob", "bob", "bob", "amy"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ringEventsPageAfterASequence(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for index in 0..<5 {
                let tenant: TenantID = index == 2 ? "globex" : "acme"
                try await store.recordRingEvent(
                    RingEvent(callSid: "CA-\(index)", tenant: tenant, agentIdentity: "amy", kind: .ringing, occurredAt: Clock.at(index))
                )
            }
            let firstPage = try await store.ringEvents(in: "acme", after: 0, limit: 2)
            #expect(firstPage.map(\.callSid) == ["CA-0", "CA-1"])
            let secondPage = try await store.ringEvents(in: "acme", after: firstPage[1].sequence, limit: 2)
            #expect(secondPage.map(\.callSid) == ["CA-3", "CA-4"])
            #expect(try await store.ringEvents(in: "acme", after: secondPage[1].sequence, limit: 2) == [])
            #expect(try await store.ringEvents(in: "acme", after: 0, limit: 0) == [])

            // A later event gets a sequence above every earlier one, so a poller after the last page sees it.
            try await store.recordRingEvent(RingEvent(callSid: "CA-5", tenant: "acme", agentIdentity: "amy", kind: .ringing, occurredAt: Clock.at(5)))
            #expect(try await store.ringEvents(in: "acme", after: secondPage[1].sequence, limit: 2).map(\.callSid) == ["CA-5"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func voicemailsAreIdempotentByRecordingSidAndNewestFirst(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let older = Voicemail(
                recordingSid: "RE-b",
                callSid: "CA-1",
                tenant: "acme",
                caller: "+15550001",
                recordingURL: "https://api.twilio.com/RE-b",
                durationSeconds: 12,
                receivedAt: Clock.at(10)
            )
            let newer = Voicemail(
                recordingSid: "RE-a",
                callSid: "CA-2",
                tenant: "acme",
                caller: nil,
                recordingURL: "https://api.twilio.com/RE-a",
                durationSeconds: nil,
                receivedAt: Clock.at(20)
            )
            let sameTimeAsNewer = Voicemail(
                recordingSid: "RE-c",
                callSid: "CA-3",
                tenant: "acme",
                caller: "+15550003",
                recordingURL: "https://api.twilio.com/RE-c",
                durationSeconds: 3,
                receivedAt: Clock.at(20)
            )
            #expect(try await store.saveVoicemail(older))
            #expect(try await store.saveVoicemail(sameTimeAsNewer))
            #expect(try await store.saveVoicemail(newer))
            var retry = older
            retry.durationSeconds = 99
            #expect(try await store.saveVoicemail(retry) == false)

            #expect(try await store.voicemails(in: "acme") == [newer, sameTimeAsNewer, older])
            #expect(try await store.voicemails(in: "acme", limit: 2) == [newer, sameTimeAsNewer])
            #expect(try await store.voicemails(in: "acme", limit: 5) == [newer, sameTimeAsNewer, older])
            #expect(try await store.voicemails(in: "acme", limit: 0).isEmpty)
            #expect(try await store.voicemails(in: "other", limit: 2).isEmpty)
        }
    }

    /// A voicemail stored before any record of its call names no caller (the recording's status
    /// callback carries none) and, when its tenant was never known, sits in the default tenant. The
    /// record, made later, gives it both; a voicemail whose URL named its tenant keeps that tenant, one
    /// with a caller is left alone, and so are other calls' voicemails.
    @Test(arguments: StoreKind.allCases)
    func aCallsRecordMadeAfterItsVoicemailGivesItTheCallerAndTenant(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            func voicemail(_ recordingSid: String, call: String, tenant: TenantID, caller: String? = nil, at seconds: Int) -> Voicemail {
                Voicemail(
                    recordingSid: recordingSid,
                    callSid: call,
                    tenant: tenant,
                    caller: caller,
                    recordingURL: "https://api.twilio.com/\(recordingSid)",
                    durationSeconds: 5,
                    receivedAt: Clock.at(seconds)
                )
            }
            let unfiled = voicemail("RE-unfiled", call: "CA-late", tenant: .default, at: 10)
            let named = voicemail("RE-named", call: "CA-late", tenant: "beta", at: 11)
            let withCaller = voicemail("RE-caller", call: "CA-late", tenant: .default, caller: "+15550009", at: 12)
            let otherCall = voicemail("RE-other", call: "CA-other", tenant: .default, at: 13)
            for stored in [unfiled, named, withCaller, otherCall] { #expect(try await store.saveVoicemail(stored)) }
            #expect(try await store.attachVoicemails(toCall: "CA-late") == 0, "no record of the call yet")

            try await store.recordRinging(
                RingingCall(callSid: "CA-late", tenant: "acme", caller: "+15550001", called: "+15005550006", agentsRung: [], startedAt: Clock.at(9))
            )
            #expect(try await store.attachVoicemails(toCall: "CA-late") == 2)
            var attached = unfiled
            attached.caller = "+15550001"
            attached.tenant = "acme"
            #expect(try await store.voicemails(in: "acme") == [attached])
            var namedAttached = named
            namedAttached.caller = "+15550001"
            #expect(try await store.voicemails(in: "beta") == [namedAttached])
            #expect(try await store.voicemails(in: .default) == [otherCall, withCaller])
            #expect(try await store.attachVoicemails(toCall: "CA-late") == 0, "a repeat changes nothing")
        }
    }

    /// A record a claim created names no caller: it gives a voicemail nothing (the call keeps that
    /// record, so its voicemail keeps no caller). In the call's own tenant, the default one, a voicemail
    /// gets the caller and stays there.
    @Test(arguments: StoreKind.allCases)
    func aRecordWithNoCallerGivesAVoicemailNothing(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            let early = Voicemail(
                recordingSid: "RE-claimed",
                callSid: "CA-claimed",
                tenant: .default,
                caller: nil,
                recordingURL: "https://api.twilio.com/RE-claimed",
                durationSeconds: nil,
                receivedAt: Clock.at(20)
            )
            #expect(try await store.saveVoicemail(early))
            #expect(try await store.claimCall("CA-claimed", tenant: .default, agentIdentity: "amy", at: Clock.at(5)) == .won)
            #expect(try await store.attachVoicemails(toCall: "CA-claimed") == 0)
            #expect(try await store.voicemails(in: .default) == [early])

            try await store.recordRinging(.ringing("CA-default", tenant: .default, at: 1))
            var other = early
            other.recordingSid = "RE-default"
            other.callSid = "CA-default"
            #expect(try await store.saveVoicemail(other))
            #expect(try await store.attachVoicemails(toCall: "CA-default") == 1)
            let caller = try #require(try await store.ringingCall("CA-default")).caller
            #expect(!caller.isEmpty)
            other.caller = caller
            #expect(try await store.voicemails(in: .default) == [early, other])
        }
    }

    /// A claim made the call's record before its ringing record came (both retried once the store was
    /// back, the claim first): the late ringing record gives it the caller, the number called, the agents
    /// rung and the earlier start, keeps its winner, and then gives its voicemail the caller.
    @Test(arguments: StoreKind.allCases)
    func aRecordAClaimMadeFirstIsCompletedByTheRingingRecord(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            #expect(try await store.claimCall("CA-first", tenant: "acme", agentIdentity: "amy", at: Clock.at(8)) == .won)
            let ringing = RingingCall(
                callSid: "CA-first",
                tenant: "acme",
                caller: "+15550001",
                called: "+15005550006",
                agentsRung: ["amy", "bob"],
                startedAt: Clock.at(5)
            )
            try await store.recordRinging(ringing)
            #expect(try await store.ringingCall("CA-first")?.caller == "", "the record stays as first made")
            #expect(try await store.completeCall(ringing))
            #expect(try await store.ringingCall("CA-first") == ringing)
            #expect(try await store.callWinner("CA-first") == "amy")
            #expect(try await store.ringingCalls(in: "acme").isEmpty, "still answered")
            #expect(!(try await store.completeCall(ringing)), "a repeat changes nothing")

            let voicemail = Voicemail(
                recordingSid: "RE-first",
                callSid: "CA-first",
                tenant: "acme",
                caller: nil,
                recordingURL: "https://api.twilio.com/RE-first",
                durationSeconds: 3,
                receivedAt: Clock.at(30)
            )
            #expect(try await store.saveVoicemail(voicemail))
            #expect(try await store.attachVoicemails(toCall: "CA-first") == 1)
            #expect(try await store.voicemails(in: "acme").map(\.caller) == ["+15550001"])
        }
    }

    /// The call's end recorded the call first, when the store had no record of it (no agents rung, started
    /// at the end): the late ringing record gives it the agents rung and the start, and it stays over.
    /// What a record holds is never replaced, and a call with no record gets none.
    @Test(arguments: StoreKind.allCases)
    func aRecordAnEndMadeFirstGetsOnlyWhatItLacks(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            let ended = RingingCall.rangNobody(callSid: "CA-end", tenant: "acme", caller: "+15550001", called: "+15005550006", at: Clock.at(40))
            try await store.recordRinging(ended)
            #expect(try await store.finishCall("CA-end", at: Clock.at(40)) == .finishedBefore)
            var ringing = ended
            ringing.caller = "+15550999"
            ringing.called = "+15005550999"
            ringing.tenant = .default
            ringing.agentsRung = ["amy"]
            ringing.startedAt = Clock.at(20)
            #expect(try await store.completeCall(ringing))
            var completed = ended
            completed.agentsRung = ["amy"]
            completed.startedAt = Clock.at(20)
            #expect(try await store.ringingCall("CA-end") == completed)
            #expect(try await store.ringingCalls(in: "acme").isEmpty, "still over")

            ringing.startedAt = Clock.at(30)
            ringing.agentsRung = ["bob"]
            #expect(!(try await store.completeCall(ringing)), "a later start, and agents already listed, change nothing")
            #expect(try await store.ringingCall("CA-end") == completed)

            #expect(!(try await store.completeCall(.ringing("CA-none", tenant: "acme", at: 1))))
            #expect(try await store.ringingCall("CA-none") == nil)
        }
    }
}
