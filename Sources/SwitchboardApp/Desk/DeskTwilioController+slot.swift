import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardDesk
import SwitchboardRouting
import SwitchboardTwiML
import SwitchboardVoice
import SwitchboardWebhooks

/// The park slot's side of the agents' Twilio routes: the caller's arrival (`/twilio/park`, and the
/// hold music's `/twilio/park-wait`), its exit (`/twilio/park-status`), and the parker's ring-back.
extension DeskTwilioController {
    /// Records that the caller is in the slot (``DeskStore/confirmParkArrival(id:tenant:callSid:at:)``), so
    /// that a park withdrawn because Twilio's answer to the redirect never came is restored, and takes
    /// the parker, who is no longer with the caller, off the call (unless the call was retrieved). Both
    /// steps may repeat: `/twilio/park` and every `/twilio/park-wait` run them, so one that failed is done
    /// by the next. Answers the outcome word of `/twilio/park`, and the park as the store has it when the
    /// arrival found it standing. A store failure is logged: the caller is enqueued all the same.
    func confirmArrival(form: FormParameters, tenant: TenantID?, parkedID: String?) async -> (word: String, parked: ParkedCall?) {
        guard let tenant, let parkedID, let callSid = form["CallSid"], !callSid.isEmpty else { return ("enqueued", nil) }
        let store = services.store
        let wrapUp = services.configuration.wrapUpSeconds
        let now = Date()
        do {
            let arrival = try await budget.run { () async throws(StoreError) -> ParkArrival in
                let arrival = try await store.confirmParkArrival(id: parkedID, tenant: tenant, callSid: callSid, at: now)
                switch arrival {
                case .restored(let parked), .confirmed(let parked):
                    // A retrieved park's parker is off the call already (another agent's retrieval waits for
                    // that) or took it back herself: nothing to end.
                    guard parked.retrievedBy == nil else { break }
                    try await ParkingAPIController<Store>.endParkersPart(parked, in: tenant, at: now, wrapUpSeconds: wrapUp, store)
                case .notWaiting:
                    break
                }
                return arrival
            }
            switch arrival {
            case .confirmed(let parked): return ("enqueued", parked)
            case .notWaiting: return ("enqueued", nil)
            case .restored(let parked):
                services.logger.warning(
                    "park restored: the caller reached the slot after the park was withdrawn",
                    metadata: ["callSid": "\(callSid)", "parked": "\(parked.id)", "agent": "\(parked.parkedBy)"]
                )
                return ("enqueued-park-restored", parked)
            }
        } catch let error where error == .notFound {
            services.logger.warning("a caller arrived in an unknown park", metadata: ["callSid": "\(callSid)", "parked": "\(parkedID)"])
            return ("enqueued-unknown-park", nil)
        } catch {
            services.logger.error("could not record the caller's arrival in the park slot", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
            return ("enqueued-unconfirmed", nil)
        }
    }

    /// `<Enqueue>` into the call's slot; the slot comes from the call SID, so no store read can fail it.
    func parkSlot(form: FormParameters, tenant: TenantID?, parkedID: String?) -> VoiceResponse {
        guard let callSid = form["CallSid"], !callSid.isEmpty else { return responses.voicemail(tenant: tenant) }
        var query: [(String, String)] = []
        if let tenant { query.append(("tenant", tenant.rawValue)) }
        if let parkedID { query.append(("parked", parkedID)) }
        let enqueue = Enqueue(
            ParkRules.slot(forCall: callSid),
            action: URLReference(services.publicURL(DeskTwilioRoute.parkStatus.path(query: query))),
            method: .post,
            waitUrl: URLReference(services.publicURL(DeskTwilioRoute.parkWait.path(query: query))),
            waitUrlMethod: .post
        )
        return VoiceResponse([.enqueue(enqueue)])
    }

    /// The `<Enqueue action>`: the caller left the slot. Twilio requests it at once when the caller
    /// leaves by hanging up, `<Leave>`, a REST redirect or a failure, and only after both parties
    /// disconnect when an agent's `<Dial><Queue>` took the caller (`bridged`).
    ///
    /// Whatever the result, the caller is no longer with whoever retrieved the call, and no result can
    /// leave a retriever busy for good. `bridged`, `bridging-in-process`, `redirected` and
    /// `redirected-from-bridged` (the caller left with someone, or went where a REST redirect sent it,
    /// which may be a new park of the same call that must stay): nothing ends but the call of the agent
    /// on it (the caller's SID, set by the retrieval), with the usual wrap-up, and Twilio is acknowledged.
    /// After any other result the park ends first: when the caller left without ever being bridged (it
    /// hung up while it waited, `<Leave>` at the park's timeout, or the queue failed:
    /// ``ParkRules/leftUnbridged(queueResult:)``) and the callback names its park, the park ends and its
    /// retrieval is undone in one store step, with no wrap-up, since that agent never spoke to the caller
    /// (``endUnbridged(_:id:tenant:result:at:)``); otherwise the call's waiting park ends
    /// (``endWaitingPark(of:at:)``). Then any agent still on the call is ended, with wrap-up, beside what
    /// the caller does next (``next(_:ended:tenant:)``): a retrieval landing before the park's end is
    /// ended with the call, and one landing after it finds the park ended. A store failure is logged:
    /// Twilio still gets TwiML. Once the caller is out of the slot for good, its Twilio queue is deleted
    /// in the background (``ParkRules/emptiedSlot(queueResult:queueSid:)``): Twilio keeps every queue
    /// until it is deleted, and each park makes one.
    func parkStatus(form: FormParameters, tenant: TenantID?, parkedID: String?) async -> (VoiceResponse, String) {
        guard let callSid = form["CallSid"], !callSid.isEmpty else { return (responses.voicemail(tenant: tenant), "bad-request") }
        let result = form["QueueResult"] ?? ""
        let now = Date()
        let answer: (VoiceResponse, String)
        switch result {
        case "bridged", "bridging-in-process", "redirected", "redirected-from-bridged":
            await endRetrieval(of: callSid, at: now)
            answer = (responses.acknowledged(), "park-\(result)")
        default:
            let ended: ParkedCall?
            if ParkRules.leftUnbridged(queueResult: result), let tenant, let parkedID {
                ended = await endUnbridged(callSid, id: parkedID, tenant: tenant, result: result, at: now)
            } else {
                ended = await endWaitingPark(of: callSid, at: now)
            }
            async let others: Void = endRetrieval(of: callSid, at: now)
            answer = await next(result, ended: ended, tenant: tenant)
            await others
        }
        if let queueSid = ParkRules.emptiedSlot(queueResult: result, queueSid: form["QueueSid"]) {
            services.deleteSlot(queueSid, leftBy: callSid)
        }
        return answer
    }

    /// The caller left the slot without ever being bridged (`result` is one of
    /// ``ParkRules/leftUnbridged(queueResult:)``'s). The park ends and any retrieval of it is undone in
    /// one store step (``DeskStore/endUnbridgedPark(id:tenant:callSid:at:)``), so a retrieval racing the
    /// caller's exit cannot keep the call. Answers the park as that step found it, for the parker's
    /// ring-back; nil when it had ended. A park the store does not know (or of another call) is looked up
    /// by the call instead, as a callback that names none is, and so is any park when that step fails
    /// (then a retrieved park is left, and its retriever's call ends beside this, with wrap-up).
    func endUnbridged(_ callSid: String, id: String, tenant: TenantID, result: String, at now: Date) async -> ParkedCall? {
        let store = services.store
        do {
            let found = try await budget.run { () async throws(StoreError) -> ParkedCall? in
                try await store.endUnbridgedPark(id: id, tenant: tenant, callSid: callSid, at: now)
            }
            if let found, found.retrievedBy != nil {
                var metadata = Self.retrievalMetadata(found)
                metadata["queueResult"] = "\(result)"
                services.logger.warning("the caller left the slot before a retriever's leg was bridged; retrieval undone", metadata: metadata)
            }
            return found
        } catch {
            if error == .notFound {
                services.logger.warning("a caller left an unknown park", metadata: ["callSid": "\(callSid)", "parked": "\(id)"])
            } else {
                services.logger.error("could not end a parked call in one step", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
            }
            return await endWaitingPark(of: callSid, at: now)
        }
    }

    /// Ends the call's waiting park (``DeskStore/endParkedCall(_:at:)``) and answers it; nil when none
    /// waits, or the store failed (logged).
    func endWaitingPark(of callSid: String, at now: Date) async -> ParkedCall? {
        let store = services.store
        do {
            return try await budget.run { () async throws(StoreError) -> ParkedCall? in try await store.endParkedCall(callSid, at: now) }
        } catch {
            services.logger.error("could not end a parked call", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
            return nil
        }
    }

    /// Ends the call of the agent on `callSid` (the retriever, if any; see
    /// ``PendingCallEnd/Part/answered(wrapUpSeconds:)``); an end the store could not record waits in
    /// ``callEnds``, so the retriever is not left "on a call" for good.
    func endRetrieval(of callSid: String, at now: Date) async {
        let store = services.store
        let end = PendingCallEnd(callSid: callSid, part: .answered(wrapUpSeconds: services.configuration.wrapUpSeconds), occurredAt: now)
        do {
            _ = try await budget.run { () async throws(StoreError) -> Bool in try await VoiceService.recordCallEnd(end, in: store, late: false) }
        } catch {
            _ = await callEnds.keep(end, failing: error)
        }
    }

    /// What the caller does once out of the slot, its park `ended` (nil when none could be).
    /// `hangup`: nothing, it is gone. `leave` (the park timed out): the parker's client rings again, then
    /// voicemail (``ringBack(_:tenant:)``). A failure of the queue itself (`queue-full`, `error`,
    /// `system-error`, or anything else): voicemail.
    func next(_ result: String, ended: ParkedCall?, tenant: TenantID?) async -> (VoiceResponse, String) {
        switch result {
        case "hangup":
            return (responses.acknowledged(), "park-hangup")
        case "leave":
            return await ringBack(ended, tenant: tenant)
        default:
            return (responses.voicemail(tenant: tenant), "park-failed")
        }
    }

    /// What a timed-out park's caller hears: its parker's client ringing again (`ended` is the park, as
    /// ended or as the timeout found it), or voicemail when there is none (it had ended, or could not be
    /// ended) or its parker's record was retired since.
    func ringBack(_ ended: ParkedCall?, tenant: TenantID?) async -> (VoiceResponse, String) {
        guard let ended else { return (responses.voicemail(tenant: tenant), "park-timeout-voicemail") }
        guard await parkerIsCurrent(ended) else { return (responses.voicemail(tenant: tenant), "park-timeout-parker-retired") }
        return (recall(ended), "park-recall")
    }

    /// Undoes a retrieval that the caller's hold music, requested at `now`, shows is not with the caller,
    /// and frees its agent with no wrap-up, so the call waits for any agent again instead of holding
    /// until the park times out: a retrieval whose leg has not reached the slot for
    /// ``ParkRules/retrieverArrivalGraceSeconds``, or whose leg reached it more than
    /// ``ParkRules/retrieverBridgeGraceSeconds`` ago and yet the caller is still there (the hold music is
    /// not requested once the caller is bridged). Any other retrieval, or an unknown park, is left alone;
    /// the store checks the leg's arrival again as it releases, so a later leg of the same agent, which
    /// may be talking to the caller, keeps it. A store failure is logged (the park's timeout undoes the
    /// retrieval then). `known` is the park as just read, when the caller has it: then the store is
    /// asked only when a release is due.
    func releaseRetrievalApartFromCaller(of callSid: String, id: String, tenant: TenantID, holdMusicAt now: Date, known: ParkedCall? = nil) async {
        if let known, Self.release(of: known, holdMusicAt: now) == nil { return }
        let store = services.store
        let logger = services.logger
        do {
            try await budget.run { () async throws(StoreError) in
                let parked: ParkedCall
                if let known { parked = known } else { parked = try await store.parkedCall(id: id, in: tenant) }
                guard parked.callSid == callSid, let release = Self.release(of: parked, holdMusicAt: now) else { return }
                let released: Bool
                switch release {
                case .unreached: released = try await store.releaseRetrieval(of: parked)
                case .stranded(let arrivedBefore): released = try await store.releaseStrandedRetrieval(of: parked, arrivedBefore: arrivedBefore)
                }
                guard released else { return }
                logger.warning(
                    parked.retrieverArrivedAt == nil
                        ? "released a retrieval whose leg never reached the slot"
                        : "released a retrieval whose leg reached the slot but was never bridged",
                    metadata: Self.retrievalMetadata(parked)
                )
            }
        } catch let error where error == .notFound {
            // An unknown park, or a retriever whose record is gone: nobody holds the call.
        } catch {
            services.logger.error(
                "could not release a retrieval that is not with the caller",
                metadata: ["callSid": "\(callSid)", "error": "\(error)"]
            )
        }
    }

    /// The log fields of the retrieval `parked` holds: the park, its retriever, when it retrieved the
    /// call and when its leg reached the slot.
    static func retrievalMetadata(_ parked: ParkedCall) -> Logger.Metadata {
        [
            "parked": "\(parked.id)", "agent": "\(parked.retrievedBy ?? "")",
            "retrievedAt": "\(parked.retrievedAt.map { "\($0)" } ?? "")",
            "arrivedAt": "\(parked.retrieverArrivedAt.map { "\($0)" } ?? "")",
        ]
    }

    /// How a retrieval of `parked` that the hold music requested at `now` shows is not with the caller is
    /// released: as one whose leg never arrived, or as a stranded one; nil when none is due.
    static func release(of parked: ParkedCall, holdMusicAt now: Date) -> RetrievalRelease? {
        if parked.hasUnreachedRetrieval(before: ParkRules.retrieverExpectedSince(now: now)) { return .unreached }
        let cutoff = ParkRules.retrieverBridgedSince(now: now)
        return parked.hasStrandedRetrieval(arrivedBefore: cutoff) ? .stranded(arrivedBefore: cutoff) : nil
    }

    /// Whether the park's parker may be rung back: its record in the park's tenant is current. A record
    /// retired since the park (the identity moved to another tenant) must not ring: its client name now
    /// rings for the other tenant. A store that cannot say counts as no (voicemail keeps the caller).
    func parkerIsCurrent(_ parked: ParkedCall) async -> Bool {
        let store = services.store
        do {
            let parker = try await budget.run { () async throws(StoreError) -> Agent in
                try await store.agent(identity: parked.parkedBy, in: parked.tenant)
            }
            return !parker.isRetired
        } catch {
            services.logger.error(
                "could not read a park's parker",
                metadata: ["callSid": "\(parked.callSid)", "agent": "\(parked.parkedBy)", "error": "\(error)"]
            )
            return false
        }
    }

    /// Rings the agent who parked the call again; the dial's action sends the caller to voicemail
    /// unless the agent answers. The agent's leg, once answered, requests `/twilio/recall`, which puts
    /// the agent back on the call.
    func recall(_ parked: ParkedCall) -> VoiceResponse {
        let routing = services.routing
        let path = DeskTwilioRoute.recall.path(query: [("tenant", parked.tenant.rawValue), ("parked", parked.id)])
        let client = Client(
            parked.parkedBy,
            url: URLReference(services.publicURL(path)),
            statusCallback: URLReference(routing.url(.clientStatus, tenant: parked.tenant)),
            statusCallbackEvent: [.ringing, .answered, .completed],
            statusCallbackMethod: .post
        )
        let dial = Dial(
            [.client(client)],
            action: URLReference(routing.url(.dialStatus, tenant: parked.tenant)),
            method: .post,
            timeout: max(5, min(600, services.configuration.parkRecallSeconds)),
            answerOnBridge: true
        )
        return VoiceResponse([.dial(dial)])
    }
}
