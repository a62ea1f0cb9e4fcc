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

/// The Twilio routes of the agents' API (``DeskTwilioRoute``): voicemail after every agent
/// declined, the park slot, its hold music and timeout, the slot's exit, and retrieval.
///
/// Like the voice routes, a request Twilio signed always gets 200 and TwiML: a store that fails or
/// is slower than the budget still gives the caller something sensible (the park slot, voicemail),
/// never an application error.
struct DeskTwilioController<Store: DeskStore>: Sendable {
    let services: DeskServices<Store>
    let gate: TwilioGate
    let budget: StoreBudget
    let metrics: ServiceMetrics

    private var responses: CallResponses { CallResponses(configuration: services.routing) }

    func addRoutes(to router: Router<BasicRequestContext>) {
        for route in DeskTwilioRoute.allCases {
            router.post(RouterPath(stringLiteral: route.rawValue)) { request, context in
                let clock = ContinuousClock()
                let start = clock.now
                let form: FormParameters
                do {
                    form = try await gate.form(of: request, context: context)
                } catch let refusal as TwilioGate.Refusal {
                    metrics.record(route: route.rawValue, outcome: refusal.outcome, duration: start.duration(to: clock.now))
                    return refusal.response
                }
                let query = request.uri.queryParameters
                let (document, outcome) = await answer(
                    route,
                    form: form,
                    tenant: query["tenant"].map { TenantID(String($0)) },
                    parkedID: query["parked"].map(String.init)
                )
                metrics.record(route: route.rawValue, outcome: outcome, duration: start.duration(to: clock.now))
                let bytes = (try? document.renderBytes()) ?? (try? responses.voicemail().renderBytes()) ?? []
                return Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
    }

    func answer(_ route: DeskTwilioRoute, form: FormParameters, tenant: TenantID?, parkedID: String?) async -> (VoiceResponse, String) {
        switch route {
        case .voicemail:
            return (responses.voicemail(), "voicemail")
        case .park:
            let outcome = await confirmArrival(form: form, tenant: tenant, parkedID: parkedID)
            return (parkSlot(form: form, tenant: tenant, parkedID: parkedID), outcome)
        case .parkWait:
            let queueTime = form["QueueTime"].flatMap { Int($0) } ?? 0
            if ParkRules.hasTimedOut(queueTime: queueTime, timeoutSeconds: services.configuration.parkTimeoutSeconds) {
                return (VoiceResponse([.leave(Leave())]), "park-timeout")
            }
            return (VoiceResponse([.play(Play(URLReference(services.configuration.holdMusicURL)))]), "hold-music")
        case .parkStatus:
            return await parkStatus(form: form)
        case .retrieve:
            return await retrieve(form: form, tenant: tenant, parkedID: parkedID)
        case .recall:
            return await reclaim(form: form, tenant: tenant, parkedID: parkedID)
        }
    }

    /// Records that the caller reached the slot, so that a park withdrawn because Twilio's answer to the
    /// redirect never came is restored (``DeskStore/confirmParkArrival(id:tenant:callSid:at:)``), and
    /// then the parker, no longer with the caller, is off the call. Answers the route's outcome word. A
    /// store failure is logged: the caller is enqueued all the same.
    private func confirmArrival(form: FormParameters, tenant: TenantID?, parkedID: String?) async -> String {
        guard let tenant, let parkedID, let callSid = form["CallSid"], !callSid.isEmpty else { return "enqueued" }
        let store = services.store
        let wrapUp = services.configuration.wrapUpSeconds
        let now = Date()
        do {
            let arrival = try await budget.run { () async throws(StoreError) -> ParkArrival in
                let arrival = try await store.confirmParkArrival(id: parkedID, tenant: tenant, callSid: callSid, at: now)
                if case .restored(let parked) = arrival {
                    try await ParkingAPIController<Store>.endParkersPart(
                        parked,
                        by: parked.parkedBy,
                        in: tenant,
                        at: now,
                        wrapUpSeconds: wrapUp,
                        store
                    )
                }
                return arrival
            }
            guard case .restored(let parked) = arrival else { return "enqueued" }
            services.logger.warning(
                "park restored: the caller reached the slot after the park was withdrawn",
                metadata: ["callSid": "\(callSid)", "parked": "\(parked.id)", "agent": "\(parked.parkedBy)"]
            )
            return "enqueued-park-restored"
        } catch {
            services.logger.error("could not record the caller's arrival in the park slot", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
            return "enqueued-unconfirmed"
        }
    }

    /// `<Enqueue>` into the call's slot; the slot comes from the call SID, so no store read can fail it.
    private func parkSlot(form: FormParameters, tenant: TenantID?, parkedID: String?) -> VoiceResponse {
        guard let callSid = form["CallSid"], !callSid.isEmpty else { return responses.voicemail() }
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
    /// Whatever the result, the caller is no longer with whoever retrieved the call, so that agent's
    /// call (the caller's SID, set by the retrieval) ends, with the usual wrap-up: after `bridged` the
    /// conversation is over; `bridging-in-process` is a final result too (the caller's `<Enqueue>` is
    /// done and its TwiML moves on); after `hangup`, `leave`, `redirected` or a failure the retriever
    /// (who may have won the retrieval but not yet dialled the queue) does not have the caller. Ending
    /// a call nobody is on changes nothing, so results without a retrieval are safe, and no result can
    /// leave a retriever busy for good. That runs beside the slot's own update, so both stay within
    /// one store budget, and a store failure is logged: Twilio still gets TwiML.
    private func parkStatus(form: FormParameters) async -> (VoiceResponse, String) {
        guard let callSid = form["CallSid"], !callSid.isEmpty else { return (responses.voicemail(), "bad-request") }
        let result = form["QueueResult"] ?? ""
        let now = Date()
        async let retrieval: Void = endRetrieval(of: callSid, at: now)
        let answer = await leaveSlot(callSid, result: result, at: now)
        await retrieval
        return answer
    }

    /// Ends the call of the agent on `callSid` (the retriever, if any); a store failure is logged.
    private func endRetrieval(of callSid: String, at now: Date) async {
        let store = services.store
        let wrapUp = services.configuration.wrapUpSeconds
        do {
            try await budget.run { () async throws(StoreError) in try await store.endCall(callSid, at: now, wrapUpSeconds: wrapUp) }
        } catch {
            services.logger.error("could not end the retriever's call", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
        }
    }

    /// What the caller does next. `bridged` (an agent retrieved it and the conversation is over),
    /// `bridging-in-process` and `redirected` (a REST redirect already says where the call goes):
    /// nothing. `hangup`: it leaves the list. `leave`: the park timed out, so the parker's client rings
    /// again, then voicemail. A failure of the queue itself (`queue-full`, `error`, `system-error`, or
    /// anything else): voicemail. Only `hangup`, `leave` and failures end the waiting park: the
    /// others mean the caller left with someone, or went where a redirect sent it, which may be a new
    /// park of the same call that must stay.
    private func leaveSlot(_ callSid: String, result: String, at now: Date) async -> (VoiceResponse, String) {
        switch result {
        case "bridged", "bridging-in-process", "redirected":
            return (responses.acknowledged(), "park-\(result)")
        default:
            break
        }
        let store = services.store
        let ended: ParkedCall?
        do {
            ended = try await budget.run { () async throws(StoreError) -> ParkedCall? in try await store.endParkedCall(callSid, at: now) }
        } catch {
            services.logger.error("could not end a parked call", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
            ended = nil
        }
        switch result {
        case "hangup":
            return (responses.acknowledged(), "park-hangup")
        case "leave":
            guard let ended else { return (responses.voicemail(), "park-timeout-voicemail") }
            return (recall(ended), "park-recall")
        default:
            return (responses.voicemail(), "park-failed")
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
            statusCallback: URLReference(routing.url(.clientStatus)),
            statusCallbackEvent: [.ringing, .answered, .completed],
            statusCallbackMethod: .post
        )
        let dial = Dial(
            [.client(client)],
            action: URLReference(routing.url(.dialStatus)),
            method: .post,
            timeout: max(5, min(600, services.configuration.parkRecallSeconds)),
            answerOnBridge: true
        )
        return VoiceResponse([.dial(dial)])
    }

    /// The parker answered the ring-back: back on the call (an empty `<Response />` bridges it), or told
    /// why not and hung up. A store failure lets the agent through, as the screen route does: the
    /// caller is waiting.
    private func reclaim(form: FormParameters, tenant: TenantID?, parkedID: String?) async -> (VoiceResponse, String) {
        guard let tenant, let parkedID, let to = form["To"] else { return (responses.hangup(), "recall-bad-request") }
        let identity = VoiceService<Store>.clientIdentity(to)
        let store = services.store
        let now = Date()
        do {
            let outcome = try await budget.run { () async throws(StoreError) -> ClaimOutcome in
                try await store.reclaimParkedCall(id: parkedID, tenant: tenant, agentIdentity: identity, at: now)
            }
            let word = VoiceService<Store>.word(for: outcome, prefix: "recall")
            services.logger.info("recall", metadata: ["parked": "\(parkedID)", "agent": "\(identity)", "outcome": "\(word)"])
            return (responses.screen(outcome), word)
        } catch let error where error == .notFound {
            services.logger.warning("recall of an unknown parked call or agent", metadata: ["parked": "\(parkedID)", "agent": "\(identity)"])
            return (responses.hangup(), "recall-refused")
        } catch {
            services.logger.error("recall failed; letting the agent through", metadata: ["parked": "\(parkedID)", "error": "\(error)"])
            return (responses.screen(.won), "recall-unchecked")
        }
    }

    /// `<Dial><Queue>` of the parked call's slot, for the agent who retrieved it.
    private func retrieve(form: FormParameters, tenant: TenantID?, parkedID: String?) async -> (VoiceResponse, String) {
        let sorry = VoiceResponse([.say(Say("This call is no longer parked.", voice: services.routing.voice)), .hangup(Hangup())])
        guard let tenant, let parkedID = parkedID ?? form["ParkedCallId"] else { return (sorry, "retrieve-bad-request") }
        let store = services.store
        let parked: ParkedCall
        do {
            parked = try await budget.run { () async throws(StoreError) -> ParkedCall in try await store.parkedCall(id: parkedID, in: tenant) }
        } catch {
            services.logger.warning("retrieve: no parked call", metadata: ["parked": "\(parkedID)", "error": "\(error)"])
            return (sorry, "retrieve-unknown")
        }
        guard let retriever = parked.retrievedBy, parked.endedAt == nil else { return (sorry, "retrieve-not-retrieved") }
        if let from = form["From"], from.hasPrefix("client:"), from.dropFirst("client:".count) != retriever {
            return (sorry, "retrieve-other-agent")
        }
        // From here on the retrieval is never released: this leg may be talking to the caller.
        let now = Date()
        do {
            let stands = try await budget.run { () async throws(StoreError) -> Bool in
                try await store.confirmRetrieverArrival(id: parked.id, tenant: tenant, agentIdentity: retriever, at: now)
            }
            guard stands else { return (sorry, "retrieve-released") }
        } catch {
            // The caller is waiting for this agent: connect them, and say what the store did not record.
            services.logger.error("could not record the retriever's arrival", metadata: ["parked": "\(parked.id)", "error": "\(error)"])
            return (VoiceResponse([.dial(Dial([.queue(Queue(parked.slot))]))]), "retrieve-dial-queue-unconfirmed")
        }
        return (VoiceResponse([.dial(Dial([.queue(Queue(parked.slot))]))]), "retrieve-dial-queue")
    }
}
