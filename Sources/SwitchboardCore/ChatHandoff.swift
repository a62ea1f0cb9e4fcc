#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A chat conversation handed from a bot to a human agent.
public struct ChatHandoff: Equatable, Sendable, Codable {
    /// Where a handoff is in its life.
    public enum Status: String, Equatable, Sendable, Codable, CaseIterable {
        /// Waiting for an agent.
        case pending
        /// An agent is on it; it counts against the agent's chat capacity.
        case active
        /// The agent gave it back (finished); it no longer counts against capacity.
        case released
    }

    /// A stable unique id (a UUID string).
    public var id: String
    /// The tenant it belongs to.
    public var tenant: TenantID
    /// The chat system's conversation id.
    public var conversationID: String
    /// The customer's name, if known.
    public var customerName: String?
    /// What the bot says the customer needs.
    public var summary: String?
    /// Pending, active or released.
    public var status: Status
    /// The identity of the agent who picked it up.
    public var pickedUpBy: String?
    /// When it was picked up.
    public var pickedUpAt: Date?
    /// When it was released.
    public var releasedAt: Date?
    /// When it was created.
    public var createdAt: Date

    /// Creates a handoff.
    public init(
        id: String,
        tenant: TenantID,
        conversationID: String,
        customerName: String? = nil,
        summary: String? = nil,
        status: Status = .pending,
        pickedUpBy: String? = nil,
        pickedUpAt: Date? = nil,
        releasedAt: Date? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.tenant = tenant
        self.conversationID = conversationID
        self.customerName = customerName
        self.summary = summary
        self.status = status
        self.pickedUpBy = pickedUpBy
        self.pickedUpAt = pickedUpAt
        self.releasedAt = releasedAt
        self.createdAt = createdAt
    }
}

/// What creating a handoff did: a conversation has one open handoff (pending or active) at most, so a
/// repeated request, or a bot handing the same chat over twice, never puts one customer in front of two
/// agents.
public enum HandoffCreation: Equatable, Sendable {
    /// A new pending handoff, as stored.
    case created(ChatHandoff)
    /// The conversation already had an open handoff in the tenant: that one, unchanged.
    case alreadyOpen(ChatHandoff)

    /// The handoff, new or already open.
    public var handoff: ChatHandoff {
        switch self {
        case .created(let handoff), .alreadyOpen(let handoff): return handoff
        }
    }
}

/// What an attempt to pick up a handoff found.
public enum PickupOutcome: Equatable, Sendable {
    /// This agent has it now; the handoff as stored.
    case pickedUp(ChatHandoff)
    /// Another agent picked it up first, and has it.
    case alreadyPickedUp(by: String)
    /// The handoff is closed: `by` picked it up and released it (finished). Its conversation can be
    /// handed over again as a new handoff.
    case released(by: String)
    /// The agent's active chats are at its capacity.
    case atCapacity(active: Int, capacity: Int)
}
