#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A live call an agent parked: the caller waits in the tenant's park slot (a Twilio queue) until an
/// agent retrieves the call, the caller hangs up, or the park times out.
public struct ParkedCall: Equatable, Sendable, Codable {
    /// A stable unique id (a UUID string).
    public var id: String
    /// The tenant whose slot the call waits in.
    public var tenant: TenantID
    /// The parked call (the caller's leg).
    public var callSid: String
    /// The park slot: the name of the queue the caller waits in.
    public var slot: String
    /// The identity of the agent who parked it.
    public var parkedBy: String
    /// When it was parked.
    public var parkedAt: Date
    /// The identity of the agent who retrieved it, once retrieved.
    public var retrievedBy: String?
    /// When it was retrieved.
    public var retrievedAt: Date?
    /// When it left the slot without being retrieved (the caller hung up, or it timed out), or the park
    /// was withdrawn before the caller reached the slot (Twilio did not move the caller, or may not have).
    public var endedAt: Date?
    /// When the caller reached the slot (Twilio requested `/twilio/park` for it); nil until then.
    public var arrivedAt: Date?
    /// When the retriever's leg reached the slot (Twilio requested `/twilio/retrieve` for it); nil until
    /// then, and while the call is not retrieved.
    public var retrieverArrivedAt: Date?

    /// Creates a parked call.
    public init(
        id: String,
        tenant: TenantID,
        callSid: String,
        slot: String,
        parkedBy: String,
        parkedAt: Date,
        retrievedBy: String? = nil,
        retrievedAt: Date? = nil,
        endedAt: Date? = nil,
        arrivedAt: Date? = nil,
        retrieverArrivedAt: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.callSid = callSid
        self.slot = slot
        self.parkedBy = parkedBy
        self.parkedAt = parkedAt
        self.retrievedBy = retrievedBy
        self.retrievedAt = retrievedAt
        self.endedAt = endedAt
        self.arrivedAt = arrivedAt
        self.retrieverArrivedAt = retrieverArrivedAt
    }

    /// Whether the caller is still waiting in the slot.
    public var isWaiting: Bool { retrievedAt == nil && endedAt == nil }

    /// Whether the caller reached the slot, or may still: it arrived, or the park was made at or after
    /// `cutoff` (the earliest park time whose caller may still be on the way).
    public func isCallerExpected(since cutoff: Date) -> Bool {
        arrivedAt != nil || parkedAt >= cutoff
    }

    /// Whether the call is retrieved by an agent whose leg has not reached the slot, the retrieval made
    /// before `cutoff`.
    public func hasUnreachedRetrieval(before cutoff: Date) -> Bool {
        guard retrievedBy != nil, let retrievedAt, retrieverArrivedAt == nil else { return false }
        return retrievedAt < cutoff
    }

    /// Whether the call, still parked, is retrieved by an agent whose leg reached the slot before
    /// `cutoff`. Such a leg was put through to the slot; if the caller's hold music is still requested
    /// well past it, the bridge never happened.
    public func hasStrandedRetrieval(arrivedBefore cutoff: Date) -> Bool {
        guard retrievedBy != nil, retrievedAt != nil, endedAt == nil, let retrieverArrivedAt else { return false }
        return retrieverArrivedAt < cutoff
    }
}

/// Which retrieval of a park a release undoes, by what its leg did: one whose leg never reached the slot
/// (``DeskStore/releaseRetrieval(id:tenant:agentIdentity:retrievedAt:)``), or a stranded one, whose leg
/// reached it before a time and yet the caller is still in the slot
/// (``DeskStore/releaseStrandedRetrieval(id:tenant:agentIdentity:retrievedAt:arrivedBefore:)``). When the
/// caller leaves the slot unbridged (the park's timeout, a hang-up, a failure) every retrieval is undone
/// with the park's end (``DeskStore/endUnbridgedPark(id:tenant:callSid:at:)``).
public enum RetrievalRelease: Equatable, Sendable {
    /// The retriever's leg has not reached the slot.
    case unreached
    /// The retriever's leg reached the slot before the time.
    case stranded(arrivedBefore: Date)

    /// Whether a retrieval whose leg arrived at `arrival` (nil: not yet) is undone.
    public func releases(arrival: Date?) -> Bool {
        switch self {
        case .unreached: return arrival == nil
        case .stranded(let arrivedBefore): return arrival.map { $0 < arrivedBefore } ?? false
        }
    }
}

/// What the caller's arrival in a park slot found (``DeskStore/confirmParkArrival(id:tenant:callSid:at:)``).
public enum ParkArrival: Equatable, Sendable {
    /// The park stands (waiting, or already retrieved) and now records the caller's arrival.
    case confirmed(ParkedCall)
    /// The park had ended before any arrival was recorded (it was withdrawn because Twilio's answer to
    /// the redirect never came), yet Twilio did move the caller: the park waits again, as parked by its
    /// parker, who is no longer with the caller.
    case restored(ParkedCall)
    /// Nothing to confirm: the park ended after the caller arrived (hung up, timed out), or another park
    /// of the same call waits now.
    case notWaiting
}

/// What withdrawing a park whose redirect failed found (``DeskStore/withdrawPark(id:tenant:at:)``).
public enum ParkWithdrawal: Equatable, Sendable {
    /// The park ended: the caller had not reached the slot.
    case withdrawn
    /// The caller has reached the slot: Twilio did move it, and the park stands.
    case callerArrived
    /// Nothing to withdraw: the park was retrieved or had ended already.
    case notWaiting
}

/// What an attempt to retrieve a parked call found.
public enum RetrievalOutcome: Equatable, Sendable {
    /// This agent retrieved it; the call as stored now.
    case retrieved(ParkedCall)
    /// Another agent retrieved it first.
    case alreadyRetrieved(by: String)
    /// The call is no longer parked: the caller hung up or the park timed out.
    case ended
    /// The call is still waiting, but this agent is on another call (`currentCallSid`), so it cannot
    /// take this one; nothing changed.
    case agentBusy(currentCallSid: String)
    /// Another agent, `heldBy` (the one who parked it), is still on the call: Twilio has not moved the
    /// caller into the slot yet. Nothing changed; a retrieval a moment later can succeed. (An agent
    /// is on at most one call and a call has at most one agent.)
    case parkInProgress(heldBy: String)
}
