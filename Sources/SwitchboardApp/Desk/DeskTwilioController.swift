import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardDesk
import SwitchboardRouting
import SwitchboardTwiML
import SwitchboardTwilioREST
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
    /// The voice service's queue of call ends the store could not record.
    let callEnds: CallEndRetry

    var responses: CallResponses { CallResponses(configuration: services.routing) }

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
                let tenant = query["tenant"].map { TenantID(String($0)) }
                let (document, outcome) = await answer(route, form: form, tenant: tenant, parkedID: query["parked"].map(String.init))
                metrics.record(route: route.rawValue, outcome: outcome, duration: start.duration(to: clock.now))
                let bytes = (try? document.renderBytes()) ?? (try? responses.voicemail(tenant: tenant).renderBytes()) ?? []
                return Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
    }

    func answer(_ route: DeskTwilioRoute, form: FormParameters, tenant: TenantID?, parkedID: String?) async -> (VoiceResponse, String) {
        switch route {
        case .voicemail:
            return (responses.voicemail(tenant: tenant), "voicemail")
        case .park:
            let outcome = await confirmArrival(form: form, tenant: tenant, parkedID: parkedID).word
            return (parkSlot(form: form, tenant: tenant, parkedID: parkedID), outcome)
        case .parkWait:
            // Twilio requests it while the caller waits: it records the arrival again if /twilio/park could not,
            // and gives the call back to every agent when a retriever's leg is long overdue, or reached the
            // slot long ago and yet the caller is still in it.
            let seen = await confirmArrival(form: form, tenant: tenant, parkedID: parkedID).parked
            if let tenant, let parkedID, let callSid = form["CallSid"], !callSid.isEmpty {
                await releaseRetrievalApartFromCaller(of: callSid, id: parkedID, tenant: tenant, holdMusicAt: Date(), known: seen)
            }
            let queueTime = form["QueueTime"].flatMap { Int($0) } ?? 0
            if ParkRules.hasTimedOut(queueTime: queueTime, timeoutSeconds: services.configuration.parkTimeoutSeconds) {
                return (VoiceResponse([.leave(Leave())]), "park-timeout")
            }
            return (VoiceResponse([.play(Play(URLReference(services.configuration.holdMusicURL)))]), "hold-music")
        case .parkStatus:
            return await parkStatus(form: form, tenant: tenant, parkedID: parkedID)
        case .retrieve:
            return await retrieve(form: form, tenant: tenant, parkedID: parkedID)
        case .recall:
            return await reclaim(form: form, tenant: tenant, parkedID: parkedID)
        }
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
        // Only the retriever's own Voice SDK leg is put through to the caller: one it placed, or one Twilio
        // dialled to it. Any other leg that reaches this URL (a caller's, a colleague's) is refused.
        guard TwilioCall.isLeg(from: form["From"], to: form["To"], direction: form["Direction"], of: retriever) else {
            return (sorry, "retrieve-other-agent")
        }
        // From here on the retrieval is released only when the caller's own requests show this leg never
        // reached it (the hold music long after this, or the park's timeout): this leg may be talking to the caller.
        let dialQueue = VoiceResponse([.dial(Dial([.queue(Queue(parked.slot))]))])
        let now = Date()
        do {
            let stands = try await budget.run { () async throws(StoreError) -> Bool in
                try await store.confirmRetrieverArrival(id: parked.id, tenant: tenant, agentIdentity: retriever, at: now)
            }
            guard stands else { return (sorry, "retrieve-released") }
        } catch {
            // The caller is waiting for this agent: connect them, and say what the store did not record.
            services.logger.error("could not record the retriever's arrival", metadata: ["parked": "\(parked.id)", "error": "\(error)"])
            return (dialQueue, "retrieve-dial-queue-unconfirmed")
        }
        return (dialQueue, "retrieve-dial-queue")
    }
}
