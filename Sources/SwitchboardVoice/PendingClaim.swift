import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The claims of answering agents' legs that the store could not record, recorded again in the
/// background: the screen route lets a leg through when the store fails (the caller is waiting, and
/// Twilio bridges one leg of a simultaneous dial), and without the claim the store would not know the
/// agent is on the call, so it would ring them for new calls while they talk.
public typealias ClaimRetry = StoreRetry<PendingClaim>

/// An answering agent's claim of a call, waiting in a ``ClaimRetry``.
///
/// Recorded late it is an ordinary claim made at the time it happened: the first one recorded wins
/// (the oldest waits first), any other finds the call answered and changes nothing, and one of a
/// call whose end was recorded meanwhile finds it ended. An agent recorded as the winner without being
/// the leg Twilio bridged is freed by the call's end, or by their leg's (which happened after the claim).
public struct PendingClaim: StoreRetryItem {
    /// The caller's call.
    public var callSid: String
    /// The answering agent.
    public var agentIdentity: String
    /// The tenant the callback's URL named, if any (else the call's record decides).
    public var tenant: TenantID?
    /// When the leg claimed it.
    public var occurredAt: Date

    /// Creates a pending claim.
    public init(callSid: String, agentIdentity: String, tenant: TenantID?, occurredAt: Date) {
        self.callSid = callSid
        self.agentIdentity = agentIdentity
        self.tenant = tenant
        self.occurredAt = occurredAt
    }

    /// Every one may wait.
    public var mayWait: Bool { true }

    /// "claims".
    public static var noun: String { "claims" }
}
