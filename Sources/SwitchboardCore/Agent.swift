#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A call-center agent: who they are, what they set, and what the system tracks about their calls.
public struct Agent: Equatable, Sendable, Codable {
    /// A stable unique id (a UUID string in both stores).
    public var id: String
    /// The tenant the agent works for.
    public var tenant: TenantID
    /// The Voice SDK client identity the agent's browser registers with: 1 to 256 letters, digits and
    /// underscores, unique within the tenant.
    public var identity: String
    /// The agent's display name.
    public var name: String
    /// The agent's email address.
    public var email: String
    /// What the agent set.
    public var presence: Presence
    /// The call the agent is on, set by the system when they win a claim.
    public var currentCallSid: String?
    /// Until when the agent is in wrap-up after a call, set by the system.
    public var wrapUpEndsAt: Date?
    /// When the agent's last call ended; nil if they never had one. Longest idle rings first.
    public var lastCallEndedAt: Date?
    /// How many chats the agent can hold at once.
    public var chatCapacity: Int
    /// When the record was retired because its identity moved to another tenant; nil for a current
    /// agent. An identity is a current agent of one tenant at most (a Twilio client name is
    /// account-wide: every tenant holding it would ring it, and it could answer, every one's calls). A
    /// retired record is offline, never rung, and refuses presence changes; it stays for the history
    /// that names it. See ``CallStore/moveAgent(_:at:)``.
    public var retiredAt: Date?

    /// Creates an agent.
    public init(
        id: String,
        tenant: TenantID = .default,
        identity: String,
        name: String,
        email: String,
        presence: Presence = .available,
        currentCallSid: String? = nil,
        wrapUpEndsAt: Date? = nil,
        lastCallEndedAt: Date? = nil,
        chatCapacity: Int = 5,
        retiredAt: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.identity = identity
        self.name = name
        self.email = email
        self.presence = presence
        self.currentCallSid = currentCallSid
        self.wrapUpEndsAt = wrapUpEndsAt
        self.lastCallEndedAt = lastCallEndedAt
        self.chatCapacity = chatCapacity
        self.retiredAt = retiredAt
    }

    /// Whether the agent can be rung at `now`: available, on no call, and not in wrap-up. A retired
    /// record never is: every store holds it offline (``checkRules()``, and the stores' constraints).
    public func isAvailable(at now: Date) -> Bool {
        presence == .available && currentCallSid == nil && (wrapUpEndsAt.map { $0 <= now } ?? true)
    }

    /// The agent after a supervisor's release at `now`: on no call and out of wrap-up. An agent who
    /// was held (on a call, or in wrap-up at `now`) is made available, unless signed off (offline); an
    /// agent held by nothing keeps the presence they set, so nobody gone is rung because a supervisor
    /// pressed release. Every store releases by this rule.
    public func released(at now: Date) -> Agent {
        var agent = self
        let wasHeld = currentCallSid != nil || (wrapUpEndsAt.map { $0 > now } ?? false)
        if wasHeld && presence != .offline { agent.presence = .available }
        agent.currentCallSid = nil
        agent.wrapUpEndsAt = nil
        return agent
    }

    /// Longest idle first: agents who never had a call, then the oldest last call end; ties by identity,
    /// so the order is total and the same in every store.
    public static func longestIdleFirst(_ lhs: Agent, _ rhs: Agent) -> Bool {
        switch (lhs.lastCallEndedAt, rhs.lastCallEndedAt) {
        case (nil, nil): return lhs.identity < rhs.identity
        case (nil, _): return true
        case (_, nil): return false
        case let (left?, right?): return left != right ? left < right : lhs.identity < rhs.identity
        }
    }
}

extension Agent {
    /// Whether the record is retired (see ``retiredAt``).
    public var isRetired: Bool { retiredAt != nil }

    /// The agent as a current record (``retiredAt`` nil): what an upsert or a move stores.
    public var asCurrent: Agent {
        var agent = self
        agent.retiredAt = nil
        return agent
    }

    /// When an agent's wrap-up ends, for a call that ended at `now` with `seconds` of wrap-up: every
    /// store's `endCall` sets this.
    /// - Throws: ``StoreError/invalid`` for a negative wrap-up.
    public static func wrapUpEnd(afterCallEndedAt now: Date, seconds: Int) throws(StoreError) -> Date {
        guard seconds >= 0 else { throw .invalid("Wrap-up cannot be negative (\(seconds) seconds)") }
        return now.addingTimeInterval(TimeInterval(seconds))
    }
}
