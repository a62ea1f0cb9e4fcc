import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardDesk
import SwitchboardRouting
import SwitchboardTwilioREST

/// What every agents' API controller shares: the store, the token check, the configuration, Twilio's
/// REST API (nil when not configured) and the public URL; and the steps every route repeats
/// (authenticate, find or make the agent record, map store errors, answer JSON).
struct DeskServices<Store: DeskStore>: Sendable {
    let store: Store
    let authenticator: DeskAuthenticator
    let configuration: DeskConfiguration
    let routing: RoutingConfiguration
    let redirector: (any TwilioCallControl)?
    let logger: Logger

    /// The signed-in user. With auto-provisioning on, their agent record is made here if missing,
    /// so the first authenticated request creates it. Either way a token from before the user moved
    /// away from its tenant (their record there retired after the token was issued) is refused on
    /// every route, with 409 `agent_retired`: it no longer speaks for a user of that tenant.
    func user(_ request: Request) async throws(DeskError) -> DeskUser {
        let user = try await authenticator.user(for: request)
        if configuration.autoProvisioning {
            _ = try await agent(for: user)
        } else if user.tokenPredatesRetirement(
            of: try await find({ () async throws(StoreError) in try await store.agent(identity: user.identity, in: user.tenant) })
        ) {
            throw .ownAgentRetired
        }
        return user
    }

    /// The user's current agent record: found; made or moved here (auto-provisioning on, see
    /// ``provision(_:)``); else 404 `agent_record_missing`, or 409 `agent_retired` for a record retired
    /// when the identity moved to another tenant.
    func agent(for user: DeskUser) async throws(DeskError) -> Agent {
        let found: Agent
        do {
            found = try await store.agent(identity: user.identity, in: user.tenant)
        } catch let error where error == .notFound {
            guard configuration.autoProvisioning else { throw .agentRecordMissing }
            return try await provision(user)
        } catch {
            throw map(error)
        }
        guard found.isRetired else { return found }
        guard configuration.autoProvisioning else { throw .ownAgentRetired }
        return try await provision(user)
    }

    /// The user's current agent record in the token's tenant: the existing one; else made from the
    /// token, or the tenant's retired record made current again. The token is the authority on the
    /// user's tenant, so a record of the identity current in another tenant is retired in the same
    /// store transaction (``CallStore/moveAgent(_:at:)``): a user moved between tenants stops being
    /// rung for the old one. Only a token issued after a record was retired brings it back (409
    /// `agent_retired` otherwise): a token from before the move still names the old tenant.
    func provision(_ user: DeskUser) async throws(DeskError) -> Agent {
        let existing = try await find { () async throws(StoreError) in try await store.agent(identity: user.identity, in: user.tenant) }
        if let existing, !existing.isRetired { return existing }
        if user.tokenPredatesRetirement(of: existing) { throw .ownAgentRetired }
        // A new record is available, as every provisioned agent; a retired one moved back keeps its
        // presence (offline) until the agent sets it.
        let agent = existing ?? AgentProvisioning.newAgent(for: user, chatCapacity: configuration.defaultChatCapacity)
        let move = try await run(notFound: .internalError, conflict: .onCallElsewhere) { () async throws(StoreError) in
            try await store.moveAgent(agent, at: Date())
        }
        var metadata: Logger.Metadata = ["agent": "\(move.agent.identity)", "tenant": "\(move.agent.tenant)"]
        if let retiredIn = move.retiredIn {
            metadata["retired_in"] = "\(retiredIn)"
            metadata["chats_returned"] = "\(move.chatsReturned)"
        }
        logger.info(existing == nil ? "agent provisioned" : "agent moved back", metadata: metadata)
        return move.agent
    }

    /// Runs a store read whose `notFound` means nothing is there: nil. Other store errors as ``map(_:)``.
    func find<T: Sendable>(_ work: () async throws(StoreError) -> T) async throws(DeskError) -> T? {
        do {
            return try await work()
        } catch let error where error == .notFound {
            return nil
        } catch {
            throw map(error)
        }
    }

    /// Runs store work, turning a store error into the API's: `notFound` into `notFound`, `conflict`
    /// into `conflict` when given, the rest by kind.
    func run<T: Sendable>(
        notFound: DeskError,
        conflict: DeskError? = nil,
        _ work: () async throws(StoreError) -> T
    ) async throws(DeskError) -> T {
        do {
            return try await work()
        } catch let error where error == .notFound {
            throw notFound
        } catch let error where error == .conflict && conflict != nil {
            logger.info("store conflict", metadata: ["error": "\(error)"])
            throw conflict ?? .internalError
        } catch {
            throw map(error)
        }
    }

    /// The API's error for a store error. A store's message is written for the logs (it may quote SQL or
    /// the database's own words), so it is logged here and the client gets a sentence of the API's own.
    /// (The API checks what a client sends before the store sees it; a rule the store still finds broken
    /// is the service's to explain.)
    func map(_ error: StoreError) -> DeskError {
        logger.error("store error", metadata: ["error": "\(error)"])
        switch error {
        case .invalid: return .invalidRequest("The request breaks a rule of the stored data; the service's log says which.")
        case .timeout: return .storeUnavailable("it did not answer in time")
        case .unavailable: return .storeUnavailable("it could not be reached or failed")
        case .unauthorized: return .storeUnavailable("it refused the service's credentials")
        default: return DeskError(.internalError, "The store failed; the service's log says why.")
        }
    }

    /// The absolute URL of a service path (with query) for Twilio.
    func publicURL(_ pathAndQuery: String) -> String {
        var base = routing.publicURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + pathAndQuery
    }

    /// Redirects a live call through Twilio's REST API.
    func redirect(_ callSid: String, to pathAndQuery: String) async throws(DeskError) {
        do {
            try await redirectLeg(callSid, to: pathAndQuery)
        } catch {
            throw error.error
        }
    }

    /// As ``redirect(_:to:)``, keeping Twilio's own error beside the API's.
    func redirectLeg(_ callSid: String, to pathAndQuery: String) async throws(RedirectFailure) {
        guard let redirector else { throw RedirectFailure(error: .twilioNotConfigured, twilio: nil) }
        do {
            try await redirector.redirectCall(callSid, to: publicURL(pathAndQuery))
        } catch {
            logger.error(
                "Twilio redirect failed",
                metadata: ["callSid": "\(callSid)", "error": "\(error)", "mayHaveBeenApplied": "\(error.mayHaveBeenApplied)"]
            )
            let mapped: DeskError = error.mayHaveBeenApplied ? .twilioOutcomeUnknown(error.description) : .twilioFailed(error.description)
            throw RedirectFailure(error: mapped, twilio: error)
        }
    }

    /// Deletes the park slot `queueSid` that `callSid` has left, through Twilio's REST API, in the
    /// background: whoever Twilio's callback serves does not wait for it. Nothing happens when Twilio's
    /// REST API is not configured. A deletion that fails is logged and changes nothing else: the slot
    /// stays until `switchboard park-slots prune` deletes it.
    func deleteSlot(_ queueSid: String, leftBy callSid: String) {
        guard let twilio = redirector else { return }
        let logger = logger
        Task {
            do throws(TwilioRESTError) {
                try await twilio.deleteQueue(queueSid)
                logger.debug("deleted a park slot's queue", metadata: ["queueSid": "\(queueSid)", "callSid": "\(callSid)"])
            } catch let error where error.status == 404 {
                // Deleted already: Twilio repeated its callback.
            } catch let error where error.status == 400 || error.status == 409 {
                logger.info(
                    "Twilio kept a park slot's queue (a caller may be in it again); its next end, or `switchboard park-slots prune`, deletes it",
                    metadata: ["queueSid": "\(queueSid)", "callSid": "\(callSid)", "error": "\(error)"]
                )
            } catch {
                logger.warning(
                    "could not delete a park slot's queue; `switchboard park-slots prune` deletes it later",
                    metadata: ["queueSid": "\(queueSid)", "callSid": "\(callSid)", "error": "\(error)"]
                )
            }
        }
    }

    /// Redirects `callSid` as ``redirectLeg(_:to:)`` does, once Twilio has shown it to be a live call
    /// of `identity`'s own Voice SDK client (from or to `client:<identity>`). A call SID comes from the
    /// client here, and Twilio's account serves every tenant: without the check an agent could move any
    /// live call of the account (a colleague's leg, another tenant's caller) onto a parked caller.
    /// A call that is someone else's, over or unknown gets one answer, 403 `not_your_leg`, and says
    /// nothing of the agent's own leg (so a repeat's retrieval stands whichever it was); a lookup that
    /// fails is 502 `twilio_failed` (a lookup changes nothing, so the outcome is never unknown).
    func redirectAgentLeg(_ callSid: String, of identity: String, to pathAndQuery: String) async throws(RedirectFailure) {
        guard let redirector else { throw RedirectFailure(error: .twilioNotConfigured, twilio: nil) }
        let call: TwilioCall
        do {
            call = try await redirector.fetchCall(callSid)
        } catch let error where error.status == 404 {
            throw RedirectFailure(error: .notYourLeg(callSid, identity: identity), twilio: nil)
        } catch {
            logger.error("Twilio call lookup failed", metadata: ["callSid": "\(callSid)", "error": "\(error)"])
            throw RedirectFailure(error: .twilioFailed(error.description), twilio: nil)
        }
        guard call.isLeg(of: identity), call.isLive else {
            logger.warning(
                "refused to redirect a call that is not the agent's live leg",
                metadata: ["callSid": "\(callSid)", "agent": "\(identity)", "status": "\(call.status)"]
            )
            throw RedirectFailure(error: .notYourLeg(callSid, identity: identity), twilio: nil)
        }
        try await redirectLeg(callSid, to: pathAndQuery)
    }

    /// The earliest start of a call that may still ring at `now` (``RingRules/ringingSince(now:dialTimeoutSeconds:)``).
    func ringingSince(_ now: Date) -> Date {
        RingRules.ringingSince(now: now, dialTimeoutSeconds: routing.dialTimeout)
    }
}
