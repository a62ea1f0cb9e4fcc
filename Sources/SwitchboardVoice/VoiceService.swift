import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTwiML
import SwitchboardWebhooks

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The logic of every Twilio voice route, over any ``CallStore``, free of HTTP: the server adapts
/// requests to it, and `switchboard render-call` runs it offline.
///
/// It never throws: a request it cannot understand, a store that fails or is slower than the budget,
/// all end in a TwiML document (voicemail for the caller, where a caller is waiting), logged with the
/// reason. Retried callbacks change nothing twice because every write it makes is idempotent in the
/// store (see ``CallStore``).
public struct VoiceService<Store: CallStore>: Sendable {
    /// The store.
    public let store: Store
    /// Their bytes, rendered once where they never change.
    private let documents: RenderedDocuments
    private let budget: StoreBudget
    private let logger: Logger
    /// Voicemails the store refused, saved again in the background.
    public let outbox: VoicemailOutbox
    /// Ringing calls the store could not record, recorded again in the background.
    public let ringingCalls: RingingCallRetry
    /// Ring events the store could not record, recorded again in the background.
    public let ringEvents: RingEventRetry
    /// Ends of calls, and of agents' parts in them, that the store could not record, recorded again in
    /// the background.
    public let callEnds: CallEndRetry
    /// Claims of answering legs the store could not record (the leg was let through), recorded again in
    /// the background.
    public let claims: ClaimRetry

    /// Creates the service.
    /// - Parameters:
    ///   - storeBudget: the longest the store may take per request before the caller goes to voicemail.
    ///   - spool: where voicemails the store refused are kept on disk until it takes them (see
    ///     ``VoicemailOutbox``), and, in its `pending/`, the ringing calls, ring events, call ends and
    ///     claims waiting to be recorded (see ``StoreRetryJournal``); each starts with what a previous
    ///     run left there.
    public init(
        store: Store,
        configuration: RoutingConfiguration,
        storeBudget: Duration = .seconds(2),
        spool: VoicemailSpool? = nil,
        logger: Logger
    ) {
        self.store = store
        self.documents = RenderedDocuments(responses: CallResponses(configuration: configuration), logger: logger)
        self.budget = StoreBudget(duration: storeBudget)
        self.logger = logger
        self.outbox = VoicemailOutbox(logger: logger, spool: spool) { (callback, receivedAt, tenant) async throws(StoreError) in
            try await Self.saveVoicemail(of: callback, receivedAt: receivedAt, tenant: tenant, in: store)
        }
        let budget = self.budget
        // Beside the voicemails, in the spool's `pending/`: what waits to be recorded survives a restart.
        func journal(_ name: String) -> StoreRetryJournal? {
            spool.map { StoreRetryJournal(directory: $0.directory + "/pending", name: name) }
        }
        self.ringEvents = RingEventRetry(logger: logger, journal: journal("ring-events")) {
            (event) async throws(StoreError) in
            try await budget.run { () async throws(StoreError) -> Bool in try await Self.recordRingEvent(event, in: store).0 }
        }
        // A call end recorded late is safe (it ends no one who got on the call after it), and one dropped
        // leaves an agent "on a call" for good: it may wait a day, not the ring events' ten minutes.
        self.callEnds = CallEndRetry(
            logger: logger,
            lifetime: .seconds(86_400),
            journal: journal("call-ends")
        ) {
            (end) async throws(StoreError) -> Bool in
            try await budget.run { () async throws(StoreError) -> Bool in try await Self.recordCallEnd(end, in: store, late: true) }
        }
        // A call whose dial's end waits here too is recorded by that end, from what its callback said,
        // once the store is back; made first, this record would list the call as ringing until then.
        // A record with no tenant known (a voicemail route's, see `voicemailLeft`) takes the number
        // called's, now that the store answers.
        let callEnds = self.callEnds
        self.ringingCalls = RingingCallRetry(logger: logger, journal: journal("ringing-calls")) { (call) async throws(StoreError) in
            let callSid = call.callSid
            if await callEnds.holds(where: { $0.callSid == callSid && $0.unknownCall != nil }) { return false }
            return try await budget.run { () async throws(StoreError) -> Bool in
                try await Self.recordLate(Self.withTenantOfNumberCalled(call, in: store), in: store)
                return true
            }
        }
        // A claim matters while its call lasts, four hours at most at Twilio.
        self.claims = ClaimRetry(
            logger: logger,
            lifetime: .seconds(14_400),
            journal: journal("claims")
        ) {
            (claim) async throws(StoreError) -> Bool in
            try await budget.run { () async throws(StoreError) -> Bool in
                let tenant = try await Self.tenant(of: claim.callSid, named: claim.tenant, in: store)
                return try await store.claimCall(claim.callSid, tenant: tenant, agentIdentity: claim.agentIdentity, at: claim.occurredAt) == .won
            }
        }
    }

    /// Answers one route for a parsed form body at `now`. `tenant` is the tenant the request's URL names
    /// (`?tenant=…`, see ``RoutingConfiguration/url(_:tenant:)``): the callbacks of a call of any tenant
    /// but the default one name it, so they are filed under the right tenant even when the store never
    /// recorded the call; without it the call's record decides, then the default tenant.
    public func handle(_ route: TwilioRoute, form: FormParameters, tenant: TenantID? = nil, at now: Date) async -> VoiceReply {
        switch route {
        case .voice: return await inboundCall(form, at: now)
        case .dialStatus: return await dialStatus(form, tenant: tenant, at: now)
        case .screen: return await screen(form, tenant: tenant, at: now)
        case .clientStatus: return await clientStatus(form, tenant: tenant, at: now)
        case .voicemail: return await voicemailLeft(form, tenant: tenant, at: now)
        case .recordingStatus: return await recordingStatus(form, tenant: tenant, at: now)
        }
    }

    private func voicemail(_ reason: VoicemailReason, callSid: String?, tenant: TenantID? = nil) -> VoiceReply {
        logger.info(
            "call decision",
            metadata: [
                "callSid": "\(callSid ?? "-")", "tenant": "\(tenant?.rawValue ?? "-")", "outcome": "voicemail",
                "reason": "\(reason)",
            ]
        )
        return VoiceReply(body: documents.voicemail(tenant: tenant), outcome: "voicemail", reason: reason.description, tenant: tenant)
    }

    private func inboundCall(_ form: FormParameters, at now: Date) async -> VoiceReply {
        let request: VoiceRequest
        do {
            request = try VoiceRequest(form)
        } catch {
            return voicemail(.badRequest(error.description), callSid: form["CallSid"])
        }
        let maximum = documents.responses.configuration.maximumAgentsRung
        let store = self.store
        let logger = self.logger
        let ringingCalls = self.ringingCalls
        // The store's answer from memory, when it has one it trusts: no I/O, so no budget. The ringing
        // record is queued before the answer and written after it, as the budgeted path's record may be;
        // one the store could not make waits in `ringingCalls`.
        if let snapshot = store.recentRoutingSnapshot(forCalledNumber: request.to, at: now, limit: 100) {
            let decision = RingDecision(candidates: snapshot.agents, at: now, maximum: maximum)
            if !decision.isEmpty {
                let call = Self.ringingCall(request, tenant: snapshot.tenant, decision: decision, at: now)
                store.recordRinging(call) { error in
                    guard let error else { return }
                    Task { _ = await ringingCalls.keep(call, failing: error) }
                }
                return ring(decision, callSid: request.callSid, tenant: snapshot.tenant)
            }
            // Nobody to ring: the budgeted path records the call finished and answers voicemail.
        }
        // One budget (one timer) covers the whole call's store work: the lookups and the record.
        let found: (TenantID?, RingDecision)
        do {
            found = try await budget.run(answeringEarly: { (early) async throws(StoreError) -> (TenantID?, RingDecision) in
                guard let snapshot = try await store.routingSnapshot(forCalledNumber: request.to, at: now, limit: 100) else {
                    return (nil, RingDecision(candidates: [], at: now, maximum: maximum))
                }
                let tenant = snapshot.tenant
                let decision = RingDecision(candidates: snapshot.agents, at: now, maximum: maximum)
                // The decision stands even if the record below outlasts the budget.
                early.set((tenant, decision))
                // A call that rings nobody is recorded finished (its voicemail finds the tenant and caller
                // there), so no dashboard lists it and no Answer button can claim it. The decision stands
                // if the store fails here: the claim works without this record (the callback URLs name
                // the tenant), and the record waits in `ringingCalls`.
                let call = Self.ringingCall(request, tenant: tenant, decision: decision, at: now)
                do throws(StoreError) {
                    try await store.recordRinging(call)
                } catch {
                    _ = await ringingCalls.keep(call, failing: error)
                    return (tenant, decision)
                }
                // A retry of a callback whose first attempt rang agents finds that record kept as it was,
                // so the finish is made explicitly too (it changes nothing in the common case).
                if decision.isEmpty {
                    do throws(StoreError) {
                        try await store.finishCall(request.callSid, at: now)
                    } catch {
                        logger.warning(
                            "could not finish the call that rings nobody",
                            metadata: ["callSid": "\(request.callSid)", "error": "\(error)"]
                        )
                    }
                }
                return (tenant, decision)
            })
        } catch {
            return voicemail(.storeUnavailable(error.description), callSid: request.callSid)
        }
        guard let tenant = found.0 else { return voicemail(.unknownNumber(request.to), callSid: request.callSid) }
        let decision = found.1
        guard !decision.isEmpty else { return voicemail(.noAgentsAvailable, callSid: request.callSid, tenant: tenant) }
        return ring(decision, callSid: request.callSid, tenant: tenant)
    }

    /// The record of an inbound call that rings `decision`'s agents.
    private static func ringingCall(_ request: VoiceRequest, tenant: TenantID, decision: RingDecision, at now: Date) -> RingingCall {
        RingingCall(
            callSid: request.callSid,
            tenant: tenant,
            caller: request.from,
            called: request.to,
            agentsRung: decision.agentsRung.map(\.identity),
            startedAt: now
        )
    }

    /// The answer that rings `decision`'s agents, logged.
    private func ring(_ decision: RingDecision, callSid: String, tenant: TenantID) -> VoiceReply {
        logger.info(
            "call decision",
            metadata: [
                "callSid": "\(callSid)", "tenant": "\(tenant)", "outcome": "ring",
                "available": "\(decision.agentsRung.count + decision.leftOut.count)",
                "rung": "\(decision.agentsRung.map(\.identity).joined(separator: ","))",
                "leftOut": "\(decision.leftOut.map(\.identity).joined(separator: ","))",
            ]
        )
        let reason = decision.leftOut.isEmpty ? nil : "left out: \(decision.leftOut.map(\.identity).joined(separator: ","))"
        return VoiceReply(body: documents.ring(decision, tenant: tenant), outcome: "ring", reason: reason, tenant: tenant)
    }

    private func dialStatus(_ form: FormParameters, tenant: TenantID?, at now: Date) async -> VoiceReply {
        let request: DialActionRequest
        do {
            request = try DialActionRequest(form)
        } catch {
            // The dial's status still decides when another field is malformed: an answered call ends
            // (the caller talked to an agent and hangs up, and that agent is freed), an unanswered one
            // stops ringing before its voicemail.
            if let status = form["DialCallStatus"], let callSid = form["CallSid"], !callSid.isEmpty {
                logger.warning("dial status with a malformed field", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
                let call = PendingCallEnd.UnknownCall(tenant: tenant ?? .default, caller: form["From"] ?? "", called: form["To"] ?? "")
                if DialCallStatus(rawValue: status).wasAnswered, form["DialBridged"]?.lowercased() != "false" {
                    return await endAnswered(callSid, call, at: now)
                }
                await finishUnanswered(callSid, call, at: now)
            }
            return voicemail(.badRequest(error.description), callSid: form["CallSid"], tenant: tenant)
        }
        let callSid = request.call.callSid
        let call = PendingCallEnd.UnknownCall(tenant: tenant ?? .default, caller: request.call.from, called: request.call.to)
        guard request.dialCallStatus.wasAnswered else {
            await finishUnanswered(callSid, call, at: now)
            return voicemail(.notAnswered(request.dialCallStatus.rawValue), callSid: callSid, tenant: tenant)
        }
        // Answered, yet the caller never reached anyone: the only leg's screening hung up (the parker
        // answered a park's ring-back while on another call, say). The caller leaves a message rather
        // than being hung up on; an agent who claimed the call and never reached the caller is freed.
        guard request.dialBridged != false else {
            await finishUnanswered(callSid, call, at: now)
            return voicemail(.notAnswered("\(request.dialCallStatus.rawValue), not bridged"), callSid: callSid, tenant: tenant)
        }
        return await endAnswered(callSid, call, at: now)
    }

    /// The answered dial is over: the agent on it goes into wrap-up, unless they got on the call through
    /// a retrieval since a park moved the caller out of the dial, and the caller's leg hangs up (see
    /// ``PendingCallEnd/Part/answeredDial(wrapUpSeconds:)``). `call` is what the callback told of the call.
    private func endAnswered(_ callSid: String, _ call: PendingCallEnd.UnknownCall, at now: Date) async -> VoiceReply {
        let wrapUp = documents.responses.configuration.wrapUpSeconds
        await end(PendingCallEnd(callSid: callSid, part: .answeredDial(wrapUpSeconds: wrapUp), occurredAt: now, unknownCall: call))
        return VoiceReply(body: documents.hangup, outcome: "answered")
    }

    /// The dial ended without a bridged answer, and the caller goes to voicemail: the call stops ringing,
    /// and an agent who had claimed it is freed (see ``PendingCallEnd/Part/unanswered``). The caller's
    /// voicemail comes first, though a slow store holds it back by up to the budget. `call` is what the
    /// callback told of the call.
    private func finishUnanswered(_ callSid: String, _ call: PendingCallEnd.UnknownCall, at now: Date) async {
        await end(PendingCallEnd(callSid: callSid, part: .unanswered, occurredAt: now, unknownCall: call))
    }

    /// Records an end within the budget; one the store could not record is kept in ``callEnds``.
    private func end(_ end: PendingCallEnd) async {
        let store = self.store
        do {
            _ = try await budget.run { () async throws(StoreError) -> Bool in try await Self.recordCallEnd(end, in: store, late: false) }
        } catch {
            _ = await callEnds.keep(end, failing: error)
        }
    }

    /// Records an end at the time Twilio reported it, as it happens (by the route) or `late` (by
    /// ``callEnds``, once a failing store is back); recording it again changes nothing. Answers whether
    /// it changed the store.
    ///
    /// - ``PendingCallEnd/Part/unanswered``: the call is finished, so no dashboard lists it and no claim
    ///   wins it later. When an agent had claimed it (the dashboard's Answer button, or a leg that won
    ///   its claim and then dropped before the bridge) the finish is refused; that agent never reached
    ///   the caller, and is taken off the call so they are rung again, with no wrap-up since they never
    ///   talked (their last call end is the dial's end). Nobody gets on a call that went to voicemail,
    ///   so that holds for a claim that won after the dial's end too, while the store missed it.
    /// - ``PendingCallEnd/Part/answered(wrapUpSeconds:)``: every agent on the call goes into wrap-up.
    ///   The call is finished first, which changes nothing when a claim recorded its winner (a finish
    ///   never takes an answered call) and stops it ringing when none did (the store failed during the
    ///   claim and the agent was let through): that claim, recorded later, finds the call over.
    /// - ``PendingCallEnd/Part/answeredDial(wrapUpSeconds:)``: the same, except for an agent whose time
    ///   on the call began with a retrieval of one of its parks, who stays on it
    ///   (``CallStore/endAnsweredDial(_:at:wrapUpSeconds:joinedBy:)``).
    /// - ``PendingCallEnd/Part/agentLeg(identity:tenant:wrapUpSeconds:)``: that agent alone goes into
    ///   wrap-up, if still on the call and their time on it did not begin with a retrieval; another agent
    ///   on it (who retrieved it from a park) stays.
    ///
    /// A call the store has no record of (its ringing record never reached the store) is recorded from
    /// what the dial's callback told of it (``PendingCallEnd/unknownCall``), finished at the end: a
    /// ringing record or a claim of the call that reaches the store later, retried from a failing store,
    /// then finds it over, rather than listing it as ringing or putting an agent on it for good; and its
    /// voicemail finds the caller.
    ///
    /// A late answered or leg end spares an agent who got on the call after it happened
    /// (``CallStore/endCall(_:at:wrapUpSeconds:joinedBy:)``): a parker who took the call back, or the
    /// agent who retrieved it. Recorded as it happens, the dial's end and a leg's end spare an agent
    /// whose time on the call began with a retrieval, and any other end ends whoever is on the call
    /// (a claim saved a moment before the end cannot be told apart from one before it).
    @discardableResult
    public static func recordCallEnd(_ end: PendingCallEnd, in store: Store, late: Bool) async throws(StoreError) -> Bool {
        let joinedBy = late ? end.occurredAt : nil
        switch end.part {
        case .unanswered:
            if try await finish(end, in: store, late: late).isFinished { return true }
            try await store.endCall(end.callSid, at: end.occurredAt, wrapUpSeconds: 0, joinedBy: nil)
            return false
        case .answered(let wrapUp):
            // Finished first: a claim that reaches the store between the two (retried from a failing
            // store) then finds the call over, rather than putting its agent on it after the end.
            let finished = try await finish(end, in: store, late: late).isFinished
            try await store.endCall(end.callSid, at: end.occurredAt, wrapUpSeconds: wrapUp, joinedBy: joinedBy)
            return finished
        case .answeredDial(let wrapUp):
            let finished = try await finish(end, in: store, late: late).isFinished
            try await store.endAnsweredDial(end.callSid, at: end.occurredAt, wrapUpSeconds: wrapUp, joinedBy: joinedBy)
            return finished
        case .agentLeg(let identity, let named, let wrapUp):
            let tenant = try await tenant(of: end.callSid, named: named, in: store)
            return try await store.endCall(end.callSid, of: identity, in: tenant, at: end.occurredAt, wrapUpSeconds: wrapUp, joinedBy: joinedBy)
        }
    }

    /// Finishes `end`'s call. One the store has no record of is recorded from ``PendingCallEnd/unknownCall``
    /// (as a call that rang nobody: finished at its start, the end), then finished again: a ringing
    /// record or a claim that reached the store in between keeps its row, which the second finish
    /// finishes or leaves answered.
    ///
    /// A `late` end (retried) with such a record gives the call's voicemails the caller whatever the
    /// finish answers: the try that failed may have recorded the call and then failed to give them
    /// the caller, and this one, finding the call finished, would otherwise never do it.
    private static func finish(_ end: PendingCallEnd, in store: Store, late: Bool) async throws(StoreError) -> CallFinish {
        let finish = try await store.finishCall(end.callSid, at: end.occurredAt)
        guard let record = end.unknownCallRecord else { return finish }
        guard finish == .unknown else {
            if late { try await store.attachVoicemails(toCall: end.callSid) }
            return finish
        }
        try await recordLate(record, in: store)
        return try await store.finishCall(end.callSid, at: end.occurredAt)
    }

    /// Records a call once it is under way or over (from a later callback, or retried once a failing
    /// store is back), then gives its voicemails stored meanwhile, which found no record to take the
    /// caller and tenant from, what the store's record now holds
    /// (``CallStore/attachVoicemails(toCall:)``). A record already there is kept, given what it lacks
    /// that this one holds (``CallStore/completeCall(_:)``: a claim's record has no caller, an end's no
    /// agents rung), and gives the voicemails its own.
    static func recordLate(_ call: RingingCall, in store: Store) async throws(StoreError) {
        try await store.recordRinging(call)
        try await store.completeCall(call)
        try await store.attachVoicemails(toCall: call.callSid)
    }

    /// The caller left a message (`<Record action>`): thanks, and hang up. A call the store has no record
    /// of (it came in while the store failed, and went straight to voicemail) is recorded from this
    /// callback, finished: the recording's status callback names no caller, and the voicemail takes it,
    /// and its tenant, from the call's record, whichever of the two callbacks Twilio sends first. The
    /// tenant is the number called's, looked up when the record is made (now, or by ``ringingCalls``
    /// where it waits while the store fails), else the default one, where the voicemail of a number no
    /// tenant owns goes too. The record starts and finishes now, and takes the place of a ringing record
    /// of the call still waiting in ``ringingCalls`` (that one, made later, only adds what this record
    /// lacks: the agents rung and the earlier start): the ring is over once the caller records. The
    /// answer is the same either way.
    private func voicemailLeft(_ form: FormParameters, tenant named: TenantID?, at now: Date) async -> VoiceReply {
        let reply = VoiceReply(body: documents.voicemailRecorded, outcome: "voicemail-thanks")
        guard let callSid = form["CallSid"], !callSid.isEmpty else { return reply }
        let call = RingingCall.rangNobody(callSid: callSid, tenant: named ?? .default, caller: form["From"] ?? "", called: form["To"] ?? "", at: now)
        let store = self.store
        do {
            try await budget.run { [call] () async throws(StoreError) in
                guard try await store.ringingCall(callSid) == nil else { return }
                try await Self.recordLate(Self.withTenantOfNumberCalled(call, in: store), in: store)
            }
        } catch {
            _ = await ringingCalls.keep(call, failing: error)
        }
        return reply
    }

    /// `call` in the tenant of the number it called, when it is a record with no tenant known: one that
    /// rang nobody, filed under the default tenant (the voicemail route's, made when the URL named
    /// none). Any other is returned as it is. A number no tenant owns leaves it in the default tenant,
    /// where its voicemail goes too.
    static func withTenantOfNumberCalled(_ call: RingingCall, in store: Store) async throws(StoreError) -> RingingCall {
        guard call.agentsRung.isEmpty, call.tenant == .default, !call.called.isEmpty else { return call }
        var found = call
        found.tenant = try await store.tenant(forCalledNumber: call.called) ?? .default
        return found
    }

    /// The answering agent's leg claims the parent call. A store failure lets the agent through: the
    /// caller is waiting, and Twilio itself bridges only one leg of a simultaneous dial.
    private func screen(_ form: FormParameters, tenant named: TenantID?, at now: Date) async -> VoiceReply {
        let request: VoiceRequest
        do {
            request = try VoiceRequest(form)
        } catch {
            logger.warning("screen request not understood", metadata: ["error": "\(error)"])
            return VoiceReply(body: documents.hangup, outcome: "claim-refused", reason: error.description)
        }
        let callSid = request.parentCallSid ?? request.callSid
        let identity = Self.clientIdentity(request.to)
        let store = self.store
        do {
            let (outcome, tenant) = try await budget.run { () async throws(StoreError) -> (ClaimOutcome, TenantID) in
                let tenant = try await Self.tenant(of: callSid, named: named, in: store)
                return (try await store.claimCall(callSid, tenant: tenant, agentIdentity: identity, at: now), tenant)
            }
            let word = Self.word(for: outcome, prefix: "claim")
            logger.info("claim", metadata: ["callSid": "\(callSid)", "agent": "\(identity)", "outcome": "\(word)"])
            return VoiceReply(body: documents.screen(outcome), outcome: word, tenant: tenant)
        } catch let error where error == .notFound {
            logger.warning("claim by an unknown agent", metadata: ["callSid": "\(callSid)", "agent": "\(identity)"])
            return VoiceReply(body: documents.hangup, outcome: "claim-refused", reason: error.description)
        } catch {
            logger.error("claim failed; letting the agent through", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
            // Recorded once the store is back, so the agent is not rung for new calls while talking.
            _ = await claims.keep(PendingClaim(callSid: callSid, agentIdentity: identity, tenant: named, occurredAt: now), failing: error)
            return VoiceReply(body: documents.screenWon, outcome: "claim-unchecked", reason: error.description)
        }
    }

    private func clientStatus(_ form: FormParameters, tenant: TenantID?, at now: Date) async -> VoiceReply {
        let callback: ClientStatusCallback
        do {
            callback = try ClientStatusCallback(form)
        } catch {
            // A field the event can do without is left out, rather than losing the event (a lost leg's end
            // would leave its agent on the call).
            do {
                callback = try ClientStatusCallback(essentialsOf: form)
                logger.warning(
                    "client status with a malformed field; read without it",
                    metadata: ["callSid": "\(callback.callSid)", "error": "\(error)"]
                )
            } catch {
                logger.warning("client status not understood", metadata: ["error": "\(error)"])
                return VoiceReply(body: documents.acknowledged, outcome: "ignored", reason: error.description)
            }
        }
        let kind: RingEvent.Kind?
        switch callback.callStatus {
        case .ringing: kind = .ringing
        case .inProgress: kind = .answered
        case .busy, .noAnswer, .canceled, .failed: kind = .missed
        case .completed: return await legCompleted(callback, tenant: tenant, at: now)
        default: kind = nil
        }
        guard let kind else { return VoiceReply(body: documents.acknowledged, outcome: "ignored") }
        let callSid = callback.parentCallSid
        let identity = Self.clientIdentity(callback.to)
        let store = self.store
        let event = PendingRingEvent(
            callSid: callSid,
            agentIdentity: identity,
            kind: kind,
            occurredAt: now,
            detail: callback.callStatus.rawValue,
            tenant: tenant,
            legSid: callback.callSid
        )
        do {
            let (recorded, tenant) = try await budget.run { () async throws(StoreError) -> (Bool, TenantID) in
                try await Self.recordRingEvent(event, in: store)
            }
            return VoiceReply(body: documents.acknowledged, outcome: recorded ? "event-\(kind.rawValue)" : "event-duplicate", tenant: tenant)
        } catch {
            // Ends wait to be recorded again; a ringing event is not retried (see PendingRingEvent).
            let queued = await ringEvents.keep(event, failing: error)
            return VoiceReply(body: documents.acknowledged, outcome: queued ? "event-queued" : "event-lost", reason: error.description)
        }
    }

    /// The tenant of a call: the one its callback's URL named, else the one its record holds, else the
    /// default tenant (a call the store never saw, of a deployment whose URLs name no tenant).
    static func tenant(of callSid: String, named: TenantID?, in store: Store) async throws(StoreError) -> TenantID {
        if let named { return named }
        return try await store.ringingCall(callSid)?.tenant ?? .default
    }

    /// An agent's leg ended (`completed`: it was answered, and now either side hung up, or the call
    /// moved on, to a park say): whatever else happened, that agent is no longer on that leg, so their
    /// part ends here, with wrap-up. This is the second of two chances (for an agent who got on the call
    /// through a ring leg; a retriever's is the park slot's end): the `<Dial action>` ends the
    /// call too, and one that failed to (a store error, or a budget that ran out) would otherwise leave
    /// the agent "on a call" and never rung again. Only that agent, and only while their current call is
    /// this one: an agent who retrieved the call from a park stays on it (whoever parked it: a parker who
    /// took the call back before Twilio reported her first leg's end included; see
    /// ``CallStore/endCall(_:of:in:at:wrapUpSeconds:joinedBy:)``), and a repeat changes nothing. An end
    /// the store could not record waits in ``callEnds``.
    private func legCompleted(_ callback: ClientStatusCallback, tenant named: TenantID?, at now: Date) async -> VoiceReply {
        let callSid = callback.parentCallSid
        let identity = Self.clientIdentity(callback.to)
        let store = self.store
        let wrapUp = documents.responses.configuration.wrapUpSeconds
        do {
            let (ended, tenant) = try await budget.run { () async throws(StoreError) -> (Bool, TenantID) in
                let tenant = try await Self.tenant(of: callSid, named: named, in: store)
                return (try await store.endCall(callSid, of: identity, in: tenant, at: now, wrapUpSeconds: wrapUp), tenant)
            }
            if ended { logger.info("call ended by the agent's leg", metadata: ["callSid": "\(callSid)", "agent": "\(identity)"]) }
            return VoiceReply(body: documents.acknowledged, outcome: ended ? "leg-ended-call" : "leg-ended", tenant: tenant)
        } catch let error where error == .notFound {
            return VoiceReply(body: documents.acknowledged, outcome: "leg-ended", reason: error.description)
        } catch {
            let end = PendingCallEnd(callSid: callSid, part: .agentLeg(identity: identity, tenant: named, wrapUpSeconds: wrapUp), occurredAt: now)
            _ = await callEnds.keep(end, failing: error)
            return VoiceReply(body: documents.acknowledged, outcome: "leg-ended-unrecorded", reason: error.description)
        }
    }

    /// Records a client-status ring event in the tenant of the call it belongs to (see
    /// ``tenant(of:named:in:)``): whether it was new, and the tenant.
    static func recordRingEvent(_ event: PendingRingEvent, in store: Store) async throws(StoreError) -> (Bool, TenantID) {
        let tenant = try await tenant(of: event.callSid, named: event.tenant, in: store)
        let recorded = try await store.recordRingEvent(
            RingEvent(
                callSid: event.callSid,
                tenant: tenant,
                agentIdentity: event.agentIdentity,
                kind: event.kind,
                occurredAt: event.occurredAt,
                detail: event.detail,
                occurrence: event.legSid
            )
        )
        return (recorded, tenant)
    }

    private func recordingStatus(_ form: FormParameters, tenant: TenantID?, at now: Date) async -> VoiceReply {
        let callback: RecordingStatusCallback
        do {
            callback = try RecordingStatusCallback(form)
        } catch {
            // A field the voicemail can do without is left out, rather than losing the recording; one the
            // voicemail needs missing, the callback is logged whole and kept in the spool's rejected/.
            do {
                callback = try RecordingStatusCallback(essentialsOf: form)
                logger.warning(
                    "recording status with a malformed field; read without it",
                    metadata: ["callSid": "\(callback.callSid)", "recordingSid": "\(callback.recordingSid)", "error": "\(error)"]
                )
            } catch {
                _ = await onSpool { outbox in await outbox.setAsideUnreadable(form, receivedAt: now, tenant: tenant, error: error) }
                return VoiceReply(body: documents.acknowledged, outcome: "voicemail-unreadable", reason: error.description)
            }
        }
        guard callback.recordingStatus == .completed else {
            logger.warning("recording not completed", metadata: ["callSid": "\(callback.callSid)", "status": "\(callback.recordingStatus)"])
            return VoiceReply(body: documents.acknowledged, outcome: "ignored", reason: "recording \(callback.recordingStatus)")
        }
        let store = self.store
        do {
            let stored = try await budget.run { () async throws(StoreError) -> Bool in
                try await Self.saveVoicemail(of: callback, receivedAt: now, tenant: tenant, in: store)
            }
            logger.info("voicemail", metadata: ["callSid": "\(callback.callSid)", "recordingSid": "\(callback.recordingSid)", "stored": "\(stored)"])
            return VoiceReply(body: documents.acknowledged, outcome: stored ? "recorded" : "duplicate")
        } catch {
            let metadata: Logger.Metadata = [
                "callSid": "\(callback.callSid)", "recordingSid": "\(callback.recordingSid)", "url": "\(callback.recordingUrl)",
                "error": "\(error)",
            ]
            guard error.isWorthRetrying else {
                // Logged, and kept in the spool's rejected/ for an operator.
                _ = await onSpool { outbox in await outbox.setAside(callback, receivedAt: now, tenant: tenant, error: error) }
                return VoiceReply(body: documents.acknowledged, outcome: "voicemail-rejected", reason: error.description)
            }
            logger.error("could not store a voicemail", metadata: metadata)
            // Twilio will not send it again: it waits in the outbox until the store takes it.
            guard let queued = await onSpool({ outbox in await outbox.add(callback, receivedAt: now, tenant: tenant) }) else {
                logger.error("the voicemail spool did not answer in time; the voicemail is queued once it does", metadata: metadata)
                return VoiceReply(body: documents.acknowledged, outcome: "voicemail-queued-late", reason: "the spool did not answer in time")
            }
            return VoiceReply(body: documents.acknowledged, outcome: queued ? "voicemail-queued" : "voicemail-lost", reason: error.description)
        }
    }

    /// Runs `work` on the voicemail outbox (which writes the spool) within the store's budget: a stalled
    /// disk must not hold Twilio past its 15 s. Nil when the budget ran out; the work still finishes
    /// once the disk answers (only a crash before then loses what it keeps).
    private func onSpool<T: Sendable>(_ work: @escaping @Sendable (VoicemailOutbox) async -> T) async -> T? {
        let outbox = self.outbox
        return try? await budget.run { () async throws(StoreError) -> T in await work(outbox) }
    }

    /// Stores the voicemail of a completed recording, in the tenant of the call it belongs to (the one
    /// its callback's URL named, else the call's record's, else the default tenant) with the caller the
    /// record holds. A call with no record yet gives its voicemail no caller; its record, made later
    /// (``recordLate(_:in:)``), gives it the caller and tenant. A record a claim made names no caller
    /// either, and keeps none: the voicemail has none. True when stored, false when already there.
    /// The outbox saves through it, and so does `switchboard voicemails retry-rejected`. When the store
    /// fails after the save, in the look for a record made meanwhile, this throws as a failed save
    /// does: the retry finds the voicemail stored and looks again.
    public static func saveVoicemail(
        of callback: RecordingStatusCallback,
        receivedAt: Date,
        tenant named: TenantID?,
        in store: Store
    ) async throws(StoreError) -> Bool {
        let call = try await store.ringingCall(callback.callSid)
        let voicemail = Voicemail(
            recordingSid: callback.recordingSid,
            callSid: callback.callSid,
            tenant: named ?? call?.tenant ?? .default,
            // A record a claim made names no caller (empty): none, as with no record.
            caller: call.flatMap { $0.caller.isEmpty ? nil : $0.caller },
            recordingURL: callback.recordingUrl,
            durationSeconds: callback.recordingDuration,
            receivedAt: receivedAt
        )
        let stored = try await store.saveVoicemail(voicemail)
        // No record to take the caller from: one made since the read (retried, or the `<Record action>`
        // callback's) found no voicemail to give it to, so it is given now. Also on a repeat, which
        // follows a failure of this step.
        if call == nil { try await store.attachVoicemails(toCall: callback.callSid) }
        return stored
    }

    /// The metrics and log word of a claim's outcome: `prefix` then `-won`, `-lost`, `-busy` or `-ended`.
    public static func word(for outcome: ClaimOutcome, prefix: String) -> String {
        switch outcome {
        case .won: "\(prefix)-won"
        case .alreadyAnswered: "\(prefix)-lost"
        case .agentBusy: "\(prefix)-busy"
        case .callEnded: "\(prefix)-ended"
        }
    }

    /// The agent identity a leg's `To` names: the address without its `client:` prefix (an address
    /// without one is taken as it is).
    public static func clientIdentity(_ address: String) -> String {
        address.hasPrefix("client:") ? String(address.dropFirst("client:".count)) : address
    }
}
