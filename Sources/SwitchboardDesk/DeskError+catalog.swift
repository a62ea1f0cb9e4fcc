extension DeskError {
    /// No `Authorization: Bearer` token.
    public static let missingToken = DeskError(
        .missingToken,
        "This route needs a Supabase access token.",
        hint: "Send Authorization: Bearer <access token>."
    )
    /// The token is malformed, badly signed, for another audience, or says something unusable.
    public static func invalidToken(_ message: String = "The access token is not valid.") -> DeskError {
        DeskError(.invalidToken, message)
    }
    /// The token expired.
    public static let tokenExpired = DeskError(.tokenExpired, "The access token has expired.", hint: "Refresh the session and retry.")
    /// The token names no tenant.
    public static let tenantMissing = DeskError(
        .tenantMissing,
        "The signed-in user belongs to no call center.",
        hint: "Set app_metadata.tenant_id on the user."
    )
    /// A supervisor-only route.
    public static let supervisorOnly = DeskError(.supervisorOnly, "Only a supervisor can do this.")
    /// The user has no agent record and auto-provisioning is off.
    public static let agentRecordMissing = DeskError(
        .agentRecordMissing,
        "The signed-in user has no agent record.",
        hint: "POST /api/agents/sync creates it from the access token."
    )
    /// The user's agent record in this tenant is retired: the identity moved to another tenant (an
    /// identity is a current agent of one tenant at most).
    public static let ownAgentRetired = DeskError(
        .agentRetired,
        "Your agent record in this call center is retired: your identity moved to another call center.",
        hint: "Sign in again. If you work here again, POST /api/agents/sync with a token issued since then moves it back."
    )
    /// The user's record in another tenant is on a call, so it cannot be moved here yet: the user would
    /// be free, and rung, here while still talking there. The same code as ``agentBusy(currentCallSid:)``.
    public static let onCallElsewhere = DeskError(
        .agentBusy,
        "You are on a call in another call center, so your agent record cannot move here yet.",
        hint: "Finish that call, then try again."
    )
    /// Another agent's record is retired: its identity moved to another tenant.
    public static func agentRetired(_ identity: String) -> DeskError {
        DeskError(.agentRetired, "Agent \(identity) is retired: the identity moved to another call center.")
    }
    /// No such call in the user's tenant.
    public static func callNotFound(_ callSid: String) -> DeskError { DeskError(.callNotFound, "No call \(callSid).") }
    /// No such agent in the user's tenant.
    public static func agentNotFound(_ identity: String) -> DeskError { DeskError(.agentNotFound, "No agent \(identity).") }
    /// No such parked call in the user's tenant.
    public static func parkedCallNotFound(_ id: String) -> DeskError { DeskError(.parkedCallNotFound, "No parked call \(id).") }
    /// No such handoff in the user's tenant.
    public static func handoffNotFound(_ id: String) -> DeskError { DeskError(.handoffNotFound, "No handoff \(id).") }
    /// No route for this method and path.
    public static func routeNotFound(_ method: String, _ path: String) -> DeskError {
        DeskError(.routeNotFound, "No route \(method) \(path).")
    }
    /// The path exists, but not for this method; `allowed` lists the methods it answers.
    public static func methodNotAllowed(_ method: String, _ path: String, allowed: [String]) -> DeskError {
        DeskError(
            .methodNotAllowed,
            "\(path) does not answer \(method).",
            hint: "Use \(allowed.joined(separator: " or ")).",
            details: ["allowed": .string(allowed.joined(separator: ", "))]
        )
    }
    /// The request's body or parameters are wrong.
    public static func invalidRequest(_ message: String) -> DeskError { DeskError(.invalidRequest, message) }
    /// Another agent answered the call first.
    public static func alreadyAnswered(by winner: String) -> DeskError {
        DeskError(.alreadyAnswered, "Agent \(winner) already answered this call.", details: ["answeredBy": .string(winner)])
    }
    /// The agent is on another call.
    public static func agentBusy(currentCallSid: String) -> DeskError {
        DeskError(
            .agentBusy,
            "You are on another call (\(currentCallSid)).",
            details: ["currentCallSid": .string(currentCallSid)]
        )
    }
    /// The agent is on another call, so it cannot retrieve a parked call (retrieving would put it on
    /// two calls at once). The same code and details as ``agentBusy(currentCallSid:)``.
    public static func agentBusyForRetrieval(currentCallSid: String) -> DeskError {
        DeskError(
            .agentBusy,
            "You are on call \(currentCallSid), so you cannot retrieve a parked call.",
            hint: "End or park that call first.",
            details: ["currentCallSid": .string(currentCallSid)]
        )
    }
    /// A supervisor's release named a call the agent is no longer on (the agent answered or ended a
    /// call since the supervisor looked): nothing changed. `current` is the call the agent is on now, if any.
    public static func agentCallChanged(_ identity: String, named: String?, current: String?) -> DeskError {
        let now = current.map { "on call \($0)" } ?? "on no call"
        let was = named.map { "on call \($0)" } ?? "seen on no call"
        return DeskError(
            .agentCallChanged,
            "Agent \(identity) is \(now) now, but was \(was): nothing was released.",
            hint: "Read the agent again (GET /api/agents) and release what you see.",
            details: current.map { ["currentCallSid": .string($0)] } ?? [:]
        )
    }
    /// The call is no longer ringing (answered or finished).
    public static func callNotRinging(_ callSid: String) -> DeskError { DeskError(.callNotRinging, "Call \(callSid) is no longer ringing.") }
    /// The agent is not on the call it tried to act on.
    public static func notOnCall(_ callSid: String) -> DeskError { DeskError(.notOnCall, "You are not on call \(callSid).") }
    /// The ringing call does not ring this agent, who has no leg in its dial to be bridged to the caller.
    public static func notRung(_ callSid: String) -> DeskError {
        DeskError(
            .notRung,
            "Call \(callSid) is not ringing you.",
            hint: "Only the agents it rings (its agentsRung) can answer or decline it."
        )
    }
    /// The call is already parked.
    public static func alreadyParked(_ callSid: String) -> DeskError { DeskError(.alreadyParked, "Call \(callSid) is already parked.") }
    /// Another agent retrieved the parked call first.
    public static func alreadyRetrieved(by agent: String) -> DeskError {
        DeskError(.alreadyRetrieved, "Agent \(agent) already retrieved this call.", details: ["retrievedBy": .string(agent)])
    }
    /// The parked call left its slot (the caller hung up, or the park timed out).
    public static let parkEnded = DeskError(.parkEnded, "The caller is no longer parked.")
    /// The agent who parked the call is still on it: Twilio has not moved the caller into the slot yet.
    public static func parkInProgress(heldBy agent: String) -> DeskError {
        DeskError(
            .parkInProgress,
            "Agent \(agent) is still on this call: the caller is not in the park slot yet.",
            hint: "Try again in a moment.",
            details: ["heldBy": .string(agent)]
        )
    }
    /// The agent's active chats are at its capacity.
    public static func atCapacity(active: Int, capacity: Int) -> DeskError {
        DeskError(
            .atCapacity,
            "You already have \(active) active chats of your capacity of \(capacity).",
            hint: "Release a chat first.",
            details: ["active": .integer(active), "capacity": .integer(capacity)]
        )
    }
    /// Another agent picked up the handoff first.
    public static func alreadyPickedUp(by agent: String) -> DeskError {
        DeskError(.alreadyPickedUp, "Agent \(agent) already picked up this handoff.", details: ["pickedUpBy": .string(agent)])
    }
    /// The handoff was released (finished) by `agent`: it is closed.
    public static func handoffReleased(by agent: String) -> DeskError {
        DeskError(
            .handoffReleased,
            "Agent \(agent) released this handoff: it is closed. A new handoff of the conversation can be created.",
            details: ["releasedBy": .string(agent)]
        )
    }
    /// The handoff is not active with this agent.
    public static func handoffNotActive(_ id: String) -> DeskError { DeskError(.handoffNotActive, "Handoff \(id) is not active with you.") }
    /// The call a retrieval was asked to redirect is not a live call of the agent's own Voice SDK
    /// client. One answer whether the call is someone else's, over or unknown, so the route tells
    /// nobody whether a call SID they guessed is live.
    public static func notYourLeg(_ callSid: String, identity: String) -> DeskError {
        DeskError(
            .notYourLeg,
            "Call \(callSid) is not a live call of yours.",
            hint: "agentCallSid must name your own live call: one from or to client:\(identity)."
        )
    }
    /// Parking and voicemail redirects need Twilio's REST API, which is not configured.
    public static let twilioNotConfigured = DeskError(
        .twilioNotConfigured,
        "Twilio's REST API is not configured.",
        hint: "Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN."
    )
    /// Twilio's REST API refused the request, or it never reached Twilio: nothing was done.
    public static func twilioFailed(_ detail: String) -> DeskError { DeskError(.twilioFailed, "Twilio did not accept the request: \(detail)") }
    /// The request to Twilio's REST API may or may not have been carried out (it timed out, say).
    public static func twilioOutcomeUnknown(_ detail: String) -> DeskError {
        DeskError(.twilioOutcomeUnknown, "Twilio may or may not have carried out the request: \(detail)", hint: "Check the call before you retry.")
    }
    /// The store failed or was too slow.
    public static func storeUnavailable(_ detail: String) -> DeskError {
        DeskError(.storeUnavailable, "The store is unavailable: \(detail)", hint: "Retry shortly.")
    }
    /// Anything unexpected.
    public static let internalError = DeskError(.internalError, "Something unexpected went wrong.")
}
