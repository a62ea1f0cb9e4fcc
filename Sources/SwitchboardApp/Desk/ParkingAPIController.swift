import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDesk

/// `POST /api/calls/{callSid}/park`, `GET /api/parked` and `POST /api/parked/{id}/retrieve`.
///
/// Parking redirects the caller's live call (through Twilio's REST API) to `/twilio/park`, which
/// answers `<Enqueue>` into the call's own park slot with hold music. Retrieving answers the agent's
/// leg with `<Dial><Queue>` of that slot: through `/twilio/retrieve` (the URL in the answer, for the
/// Voice SDK's connect or a TwiML App), or at once when the body names the agent's live call
/// (`agentCallSid`), which is redirected there. A retrieval puts the agent on the caller's call (409
/// `agent_busy` when it is on another one); `/twilio/park-status` ends that call when the caller
/// leaves the slot. When Twilio refuses to redirect the agent's leg, the retrieval is undone
/// (``DeskStore/releaseRetrieval(id:tenant:agentIdentity:retrievedAt:)``), so the caller never waits in
/// a slot that nobody may retrieve; when Twilio may have redirected it (the request timed out, say), the
/// retrieval stands and the API answers 504 `twilio_outcome_unknown`, since the agent may already be
/// talking to the caller (200, when `/twilio/retrieve` has recorded the leg's arrival meanwhile). A
/// repeat of one's own retrieval redirects the leg again only when the body says `redirectAgain`: a
/// double click must not take a leg that is talking to the caller off the call; a refusal of that
/// redirect releases the retrieval, unless its leg reached the slot.
struct ParkingAPIController<Store: DeskStore>: Sendable {
    let services: DeskServices<Store>

    /// The parked calls.
    struct Parked: Encodable {
        var parked: [ParkedCall]
    }

    /// The body of a retrieval.
    struct RetrieveRequest: Decodable {
        var agentCallSid: String?
        /// On a repeat of one's own retrieval, whether to redirect the leg again (after a 504, when it did
        /// not reach the caller). Without it a repeat leaves the leg alone: it may be talking to the caller.
        var redirectAgain: Bool?
    }

    /// The answer to a retrieval: the call, and how the agent's leg connects to it.
    struct Retrieved: Encodable {
        var parked: ParkedCall
        /// The signed Twilio route that answers `<Dial><Queue>` for this agent.
        var twimlURL: String
        /// Whether the agent's live call was redirected there.
        var redirected: Bool
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.api(.get, "/api/parked", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            let parked = try await services.run(notFound: .internalError) { () async throws(StoreError) in
                try await services.store.parkedCalls(in: user.tenant, arrivedOrParkedSince: ParkRules.arrivalExpectedSince(now: Date()))
            }
            return DeskJSON.response(Parked(parked: parked))
        }
        router.api(.post, "/api/calls/:callSid/park", logger: services.logger) { request, context in
            try await park(context, request)
        }
        router.api(.post, "/api/parked/:id/retrieve", logger: services.logger) { request, context in
            try await retrieve(context, request)
        }
    }

    private func park(_ context: BasicRequestContext, _ request: Request) async throws(DeskError) -> Response {
        let user = try await services.user(request)
        let callSid = try DeskJSON.parameter("callSid", of: context)
        let agent = try await services.agent(for: user)
        let store = services.store
        let call = try await services.run(notFound: .callNotFound(callSid)) { () async throws(StoreError) in
            try await store.ringingCall(callSid)
        }
        guard let call, call.tenant == user.tenant else { throw .callNotFound(callSid) }
        guard agent.currentCallSid == callSid else { throw .notOnCall(callSid) }
        guard services.redirector != nil else { throw .twilioNotConfigured }
        let now = Date()
        let parked: ParkedCall
        do {
            parked = try await store.parkCall(
                callSid,
                tenant: user.tenant,
                slot: ParkRules.slot(forCall: callSid),
                parkedBy: agent.identity,
                at: now
            )
        } catch let error where error == .conflict {
            guard let unfinished = try await unfinishedPark(of: callSid, by: agent.identity, in: user.tenant) else {
                throw .alreadyParked(callSid)
            }
            // A park this young may be another request of the agent's still under way (a double click):
            // its redirect is its own, and a second would move the caller twice.
            guard now.timeIntervalSince(unfinished.parkedAt) >= Self.parkRequestSpan else {
                throw DeskError.alreadyParked(callSid).hinting(
                    "Another request parking this call is under way. If you are still talking to the caller in "
                        + "\(Int(Self.parkRequestSpan)) seconds, park the call again."
                )
            }
            // This agent's own park that never went on: the answer to its first request was lost (the store
            // wrote the park, but the request timed out before hearing so), so the agent is still on the
            // call and the caller never left for the slot. Park it now, as that request should have.
            services.logger.warning("parking again a park whose first request did not finish", metadata: ["parked": "\(unfinished.id)"])
            parked = unfinished
        } catch let error where error == .notFound {
            throw .callNotFound(callSid)
        } catch {
            throw services.map(error)
        }
        do {
            try await services.redirect(
                callSid,
                to: DeskTwilioRoute.park.path(query: [("tenant", user.tenant.rawValue), ("parked", parked.id)])
            )
        } catch {
            // The caller is taken to be still on the line with the agent, and the park is withdrawn; unless
            // the caller has reached the slot meanwhile (Twilio applied the redirect, and its answer was what
            // got lost), when the park stands and this request goes on as if Twilio had answered.
            if await withdraw(parked, at: Date()) == .callerArrived {
                services.logger.warning(
                    "park redirect failed but the caller reached the slot; the park stands",
                    metadata: ["callSid": "\(callSid)", "error": "\(error.message)"]
                )
                return try await parkDone(parked, by: agent.identity, in: user.tenant, at: now)
            }
            guard error.code == .twilioOutcomeUnknown else { throw error }
            // Twilio may have moved the caller all the same: its arrival in the slot restores the park
            // (see DeskTwilioController). If it did not, the agent is still on the call in the store, and
            // parking again works.
            throw error.hinting(
                "The park was withdrawn. If Twilio did move the caller, the park comes back when the caller reaches the slot; "
                    + "if you are still talking to the caller, park the call again."
            )
        }
        return try await parkDone(parked, by: agent.identity, in: user.tenant, at: now)
    }

    /// The longest a park request can take (the store's budget, then Twilio's redirect, with room to
    /// spare): an unfinished park younger than this may be another request still under way, older it
    /// is one whose answer was lost.
    static var parkRequestSpan: TimeInterval { 10 }

    /// The waiting park of `callSid` that `identity` made and that never went on: the caller has not
    /// reached the slot and nobody retrieved it. (The caller checked that the agent is still on the call,
    /// which the park's end would have changed.) Nil when there is none.
    private func unfinishedPark(of callSid: String, by identity: String, in tenant: TenantID) async throws(DeskError) -> ParkedCall? {
        let parks = try await services.run(notFound: .callNotFound(callSid)) { () async throws(StoreError) in
            try await services.store.parkedCalls(in: tenant)
        }
        return parks.first { $0.callSid == callSid && $0.parkedBy == identity && $0.arrivedAt == nil && $0.retrievedBy == nil }
    }

    /// Withdraws a park whose redirect failed (see ``DeskStore/withdrawPark(id:tenant:at:)``). A store
    /// failure is logged and taken as withdrawn: the request then fails with Twilio's error, the one that
    /// matters to the agent, and the caller's arrival, if Twilio did move it, restores the park.
    private func withdraw(_ parked: ParkedCall, at now: Date) async -> ParkWithdrawal {
        do {
            return try await services.store.withdrawPark(id: parked.id, tenant: parked.tenant, at: now)
        } catch {
            services.logger.error("could not withdraw a park", metadata: ["parked": "\(parked.id)", "error": "\(error)"])
            return .withdrawn
        }
    }

    /// The park happened: the parker is off the call, and the dashboard hears of it.
    private func parkDone(_ parked: ParkedCall, by identity: String, in tenant: TenantID, at now: Date) async throws(DeskError) -> Response {
        let store = services.store
        let callSid = parked.callSid
        let wrapUp = services.configuration.wrapUpSeconds
        try await services.run(notFound: .callNotFound(callSid)) { () async throws(StoreError) in
            try await Self.endParkersPart(parked, in: tenant, at: now, wrapUpSeconds: wrapUp, store)
        }
        services.logger.info("parked", metadata: ["callSid": "\(callSid)", "agent": "\(identity)", "slot": "\(parked.slot)"])
        return DeskJSON.response(parked)
    }

    /// Ends the parker's part in a parked call and records the `parked` ring event: after a redirect
    /// Twilio answered, or when the caller reached the slot. A parker who took the call back while Twilio
    /// moved the caller (nobody else held it, so her retrieval won) is on it again, and stays on it:
    /// the store checks that and ends her part in one step (``DeskStore/endParkersPart(id:tenant:at:wrapUpSeconds:)``),
    /// so her retrieval cannot land between the two. Checked in the park, not by comparing times: the
    /// park's and the claim's may come from different instances' clocks.
    static func endParkersPart(
        _ parked: ParkedCall,
        in tenant: TenantID,
        at now: Date,
        wrapUpSeconds: Int,
        _ store: Store
    ) async throws(StoreError) {
        guard try await store.endParkersPart(id: parked.id, tenant: tenant, at: now, wrapUpSeconds: wrapUpSeconds) else { return }
        try await store.recordRingEvent(
            RingEvent(
                callSid: parked.callSid,
                tenant: tenant,
                agentIdentity: parked.parkedBy,
                kind: .parked,
                occurredAt: now,
                detail: parked.id,
                occurrence: parked.id
            )
        )
    }

    /// A waiting park whose caller never reached the slot within ``ParkRules/arrivalGraceSeconds`` is
    /// over (the caller hung up on the way): it is withdrawn, and its retrieval answered 409
    /// `park_ended`, rather than putting the agent on a call with nobody in the slot. The withdrawal is
    /// atomic with the arrival's check (``DeskStore/withdrawPark(id:tenant:at:)``), so an arrival
    /// recorded meanwhile lets the retrieval go on, and a caller who does reach the slot later brings
    /// the park back. A park the parker still holds (its redirect on the way, after a re-park of a park
    /// whose first request never finished) is left to the retrieval's `park_in_progress`.
    private func endIfCallerNeverArrived(_ id: String, in tenant: TenantID, at now: Date) async throws(DeskError) {
        let store = services.store
        let parked = try await services.run(notFound: .parkedCallNotFound(id)) { () async throws(StoreError) in
            try await store.parkedCall(id: id, in: tenant)
        }
        if try await releaseRetrievalOfLostCaller(parked, at: now) { throw .parkEnded }
        guard parked.isWaiting, !parked.isCallerExpected(since: ParkRules.arrivalExpectedSince(now: now)) else { return }
        let withdrawal = try await services.run(notFound: .parkedCallNotFound(id)) { () async throws(StoreError) -> ParkWithdrawal? in
            let parker = try? await store.agent(identity: parked.parkedBy, in: tenant)
            guard parker?.currentCallSid != parked.callSid else { return nil }
            return try await store.withdrawPark(id: parked.id, tenant: tenant, at: now)
        }
        guard withdrawal == .withdrawn else { return }
        services.logger.warning(
            "withdrew a park whose caller never reached the slot",
            metadata: ["parked": "\(parked.id)", "callSid": "\(parked.callSid)", "parkedAt": "\(parked.parkedAt)"]
        )
        throw .parkEnded
    }

    /// A park retrieved before its caller arrived, whose caller then never did (hung up on the way):
    /// nothing else would ever free the retriever, since the hold music that gives back an unreached
    /// retrieval plays only to a caller in the slot. Once the arrival grace has passed, and the retrieval
    /// is an unreached one past its own grace (its leg has not reached the slot 30 s after it, as the hold
    /// music would judge it), the retrieval is released (the agent is free again) and the park withdrawn,
    /// both atomically with their own checks; true when that happened.
    private func releaseRetrievalOfLostCaller(_ parked: ParkedCall, at now: Date) async throws(DeskError) -> Bool {
        guard parked.hasUnreachedRetrieval(before: ParkRules.retrieverExpectedSince(now: now)),
            !parked.isCallerExpected(since: ParkRules.arrivalExpectedSince(now: now))
        else { return false }
        let store = services.store
        let withdrawal = try await services.run(notFound: .parkedCallNotFound(parked.id)) { () async throws(StoreError) -> ParkWithdrawal? in
            guard try await store.releaseRetrieval(of: parked) else { return nil }
            return try await store.withdrawPark(id: parked.id, tenant: parked.tenant, at: now)
        }
        guard let withdrawal else { return false }
        services.logger.warning(
            "freed the retriever of a park whose caller never reached the slot",
            metadata: [
                "parked": "\(parked.id)", "callSid": "\(parked.callSid)", "agent": "\(parked.retrievedBy ?? "")",
                "withdrawn": "\(withdrawal == .withdrawn)",
            ]
        )
        return withdrawal == .withdrawn
    }

    private func retrieve(_ context: BasicRequestContext, _ request: Request) async throws(DeskError) -> Response {
        let user = try await services.user(request)
        let id = try DeskJSON.parameter("id", of: context)
        let agent = try await services.agent(for: user)
        let body = try await DeskJSON.decode(RetrieveRequest.self, from: request)
        let store = services.store
        let now = Date()
        try await endIfCallerNeverArrived(id, in: user.tenant, at: now)
        let outcome = try await services.run(notFound: .parkedCallNotFound(id)) { () async throws(StoreError) in
            try await store.retrieveParkedCall(id: id, tenant: user.tenant, agentIdentity: agent.identity, at: now)
        }
        let parked: ParkedCall
        switch outcome {
        case .retrieved(let call): parked = call
        case .alreadyRetrieved(let winner): throw .alreadyRetrieved(by: winner)
        case .ended: throw .parkEnded
        case .agentBusy(let current): throw .agentBusyForRetrieval(currentCallSid: current)
        case .parkInProgress(let holder): throw .parkInProgress(heldBy: holder)
        }
        let path = DeskTwilioRoute.retrieve.path(query: [("tenant", user.tenant.rawValue), ("parked", parked.id)])
        // The store keeps the retrieval's instant to the microsecond (PostgreSQL's precision; SQLite and
        // memory keep more): an instant more than 10 µs from this request's means an earlier request of
        // this agent retrieved the call (no request is that fast, and a double click is milliseconds
        // apart at least). Redirecting its leg again would take a leg that is talking to the caller off
        // the call (a double click, a client's retry), so a repeat does so only when asked.
        let isRepeat = parked.retrievedAt.map { abs($0.timeIntervalSince(now)) > 0.000_01 } ?? false
        // A leg that reached the slot (`/twilio/retrieve` recorded it) may be talking to the caller: it is
        // never moved again, redirectAgain or not.
        let mayRedirect = !isRepeat || (body.redirectAgain == true && parked.retrieverArrivedAt == nil)
        var redirected = false
        if let agentCallSid = body.agentCallSid, !agentCallSid.isEmpty, mayRedirect {
            do throws(RedirectFailure) {
                try await services.redirectAgentLeg(agentCallSid, of: agent.identity, to: path)
            } catch let failure where failure.error.code == .twilioOutcomeUnknown {
                let error = failure.error
                // The leg may be on its way to the slot: the retrieval stands, so that nobody else takes a
                // caller this agent may be talking to. When the leg has reached the slot already (Twilio
                // moved it, and its answer is what got lost), the retrieval is done.
                guard await legArrived(parked, of: agent.identity) else {
                    throw error.hinting(
                        "The call stays retrieved by you: if your leg did not reach the caller, retrieve it again with "
                            + "\"redirectAgain\": true. Unless your leg reaches the caller, the call goes back to every agent "
                            + "30 s after your retrieval (at the next hold-music request), and at the park's timeout the parker is rung again."
                    )
                }
            } catch {
                // Twilio refused to move the leg, so this request's leg is not on its way: give the call back,
                // so that the caller does not wait in a slot nobody may retrieve, and this agent's retry (or
                // another agent) can have it. A repeat's refusal says something of the first leg only when
                // Twilio says the leg is gone; the store also keeps a retrieval whose leg reached the slot.
                if !isRepeat || error.legIsGone {
                    await release(parked, for: agent.identity, in: user.tenant, retrievedAt: parked.retrievedAt ?? now)
                }
                throw error.error
            }
            redirected = true
        }
        do {
            try await store.recordRingEvent(
                RingEvent(
                    callSid: parked.callSid,
                    tenant: user.tenant,
                    agentIdentity: agent.identity,
                    kind: .retrieved,
                    occurredAt: now,
                    detail: parked.id,
                    occurrence: parked.id
                )
            )
        } catch {
            services.logger.warning("could not record the retrieval", metadata: ["id": "\(id)", "error": "\(error)"])
        }
        return DeskJSON.response(Retrieved(parked: parked, twimlURL: services.publicURL(path), redirected: redirected))
    }

    /// Whether the agent's leg has reached the slot of `parked` (`/twilio/retrieve` recorded it); false
    /// when the store cannot say.
    private func legArrived(_ parked: ParkedCall, of identity: String) async -> Bool {
        let store = services.store
        do {
            let current = try await store.parkedCall(id: parked.id, in: parked.tenant)
            return current.retrievedBy == identity && current.retrieverArrivedAt != nil
        } catch {
            services.logger.error("could not read a parked call", metadata: ["id": "\(parked.id)", "error": "\(error)"])
            return false
        }
    }

    /// Undoes the agent's retrieval of `parked`, made at `retrievedAt`, after its leg could not be moved;
    /// a store failure is logged (the retrieval then stands, and the agent's retry is answered as a
    /// repeat).
    private func release(_ parked: ParkedCall, for identity: String, in tenant: TenantID, retrievedAt: Date) async {
        do {
            let released = try await services.store.releaseRetrieval(
                id: parked.id,
                tenant: tenant,
                agentIdentity: identity,
                retrievedAt: retrievedAt
            )
            services.logger.info("retrieval released", metadata: ["id": "\(parked.id)", "agent": "\(identity)", "released": "\(released)"])
        } catch {
            services.logger.error("could not release the retrieval", metadata: ["id": "\(parked.id)", "agent": "\(identity)", "error": "\(error)"])
        }
    }
}
