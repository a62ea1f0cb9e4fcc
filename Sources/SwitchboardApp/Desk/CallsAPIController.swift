import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDesk

/// `POST /api/calls/{callSid}/claim`, `POST /api/calls/{callSid}/decline` and `GET /api/calls/ringing`.
struct CallsAPIController<Store: DeskStore>: Sendable {
    let services: DeskServices<Store>

    /// The body of a decline answer: the call, and whether its caller was sent to voicemail.
    struct Declined: Encodable {
        var call: RingingCall
        var sentToVoicemail: Bool
    }

    /// The ringing calls.
    struct Ringing: Encodable {
        var calls: [RingingCall]
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.api(.get, "/api/calls/ringing", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            let calls = try await services.run(notFound: .internalError) { () async throws(StoreError) in
                try await services.store.ringingCalls(in: user.tenant, startedSince: services.ringingSince(Date()))
            }
            return DeskJSON.response(Ringing(calls: calls))
        }
        router.api(.post, "/api/calls/:callSid/claim", logger: services.logger) { request, context in
            try await claim(context, request)
        }
        router.api(.post, "/api/calls/:callSid/decline", logger: services.logger) { request, context in
            try await decline(context, request)
        }
    }

    /// The tenant's recorded call, or 404.
    private func call(_ callSid: String, in tenant: TenantID) async throws(DeskError) -> RingingCall {
        let call = try await services.run(notFound: .callNotFound(callSid)) { () async throws(StoreError) in
            try await services.store.ringingCall(callSid)
        }
        guard let call, call.tenant == tenant else { throw .callNotFound(callSid) }
        return call
    }

    /// Nil while the call rings; the winner once it was answered.
    /// - Throws: ``DeskError/callNotRinging(_:)`` when it finished unanswered.
    ///
    /// Ringing first, the winner second: read the other way round, a claim racing this one could win
    /// between the two reads and this agent would be told "not ringing" instead of who won.
    private func winnerUnlessRinging(_ call: RingingCall) async throws(DeskError) -> String? {
        guard try await !isRinging(call) else { return nil }
        let store = services.store
        let winner = try await services.run(notFound: .callNotFound(call.callSid)) { () async throws(StoreError) in
            try await store.callWinner(call.callSid)
        }
        guard let winner else { throw .callNotRinging(call.callSid) }
        return winner
    }

    private func isRinging(_ call: RingingCall) async throws(DeskError) -> Bool {
        try await services.run(notFound: .callNotFound(call.callSid)) { () async throws(StoreError) in
            try await services.store.ringingCalls(in: call.tenant, startedSince: services.ringingSince(Date())).contains {
                $0.callSid == call.callSid
            }
        }
    }

    private func claim(_ context: BasicRequestContext, _ request: Request) async throws(DeskError) -> Response {
        let user = try await services.user(request)
        let callSid = try DeskJSON.parameter("callSid", of: context)
        let agent = try await services.agent(for: user)
        let call = try await call(callSid, in: user.tenant)
        let store = services.store
        // A repeat claim by the winner goes on (and wins again); anyone else's is refused.
        if let winner = try await winnerUnlessRinging(call), winner != agent.identity { throw .alreadyAnswered(by: winner) }
        // An agent the call does not ring has no leg to be bridged: its win would refuse every agent who
        // is ringing, and leave the caller ringing until voicemail.
        guard call.agentsRung.contains(agent.identity) else { throw .notRung(callSid) }
        let now = Date()
        let outcome = try await services.run(notFound: .callNotFound(callSid)) { () async throws(StoreError) in
            try await store.claimCall(callSid, tenant: user.tenant, agentIdentity: agent.identity, at: now)
        }
        switch outcome {
        case .won:
            let event = RingEvent(
                callSid: callSid,
                tenant: user.tenant,
                agentIdentity: agent.identity,
                kind: .answered,
                occurredAt: now,
                detail: "api"
            )
            do {
                try await store.recordRingEvent(event)
            } catch {
                services.logger.warning("could not record the answer", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
            }
            services.logger.info("claim", metadata: ["callSid": "\(callSid)", "agent": "\(agent.identity)", "outcome": "claim-won", "via": "api"])
            return DeskJSON.response(call)
        case .alreadyAnswered(let winner):
            throw .alreadyAnswered(by: winner)
        case .agentBusy(let current):
            throw .agentBusy(currentCallSid: current)
        case .callEnded:
            throw .callNotRinging(callSid)
        }
    }

    private func decline(_ context: BasicRequestContext, _ request: Request) async throws(DeskError) -> Response {
        let user = try await services.user(request)
        let callSid = try DeskJSON.parameter("callSid", of: context)
        let agent = try await services.agent(for: user)
        let call = try await call(callSid, in: user.tenant)
        let store = services.store
        if let winner = try await winnerUnlessRinging(call) { throw .alreadyAnswered(by: winner) }
        guard call.agentsRung.contains(agent.identity) else { throw .notRung(callSid) }
        let now = Date()
        let events = try await services.run(notFound: .callNotFound(callSid)) { () async throws(StoreError) in
            try await store.recordRingEvent(
                RingEvent(callSid: callSid, tenant: user.tenant, agentIdentity: agent.identity, kind: .declined, occurredAt: now, detail: "api")
            )
            return try await store.ringEvents(forCall: callSid, in: user.tenant)
        }
        var sentToVoicemail = false
        if RingRules.everyAgentDeclinedOrMissed(call, events: events) {
            // Every agent rung said no: the caller should not wait for the dial timeout. Without
            // Twilio's REST API the dial's own timeout still ends in voicemail.
            guard services.redirector != nil else {
                services.logger.warning("every agent declined, but Twilio's REST API is not configured", metadata: ["callSid": "\(callSid)"])
                return DeskJSON.response(Declined(call: call, sentToVoicemail: false))
            }
            // Finished first, atomically with claims: a claim that got in first keeps the call (and the
            // caller is not sent away from the agent who answered); once finished, no claim can win it.
            let finish = try await services.run(notFound: .callNotFound(callSid)) { () async throws(StoreError) in
                try await store.finishCall(callSid, at: now)
            }
            if finish == .finishedBefore {
                // Another decline (or the dial's own end) finished it a moment ago, and that request
                // sends the caller to voicemail: a second redirect would restart the greeting, or cut
                // a recording already under way.
                return DeskJSON.response(Declined(call: call, sentToVoicemail: false))
            }
            guard finish == .finishedNow else {
                // An agent answered between this decline and the finish: the call is theirs.
                let winner = try await services.run(notFound: .callNotFound(callSid)) { () async throws(StoreError) in
                    try await store.callWinner(callSid)
                }
                guard let winner else { throw .callNotRinging(callSid) }
                throw .alreadyAnswered(by: winner)
            }
            do {
                try await services.redirect(callSid, to: DeskTwilioRoute.voicemail.path(query: [("tenant", user.tenant.rawValue)]))
            } catch {
                // The call is finished either way, so a retry could only be refused; the dial's timeout
                // still ends in voicemail.
                throw error.hinting("The caller still goes to voicemail when the dial times out.")
            }
            sentToVoicemail = true
            services.logger.info(
                "call decision",
                metadata: ["callSid": "\(callSid)", "outcome": "voicemail", "reason": "every agent declined or missed"]
            )
        }
        return DeskJSON.response(Declined(call: call, sentToVoicemail: sentToVoicemail))
    }
}
