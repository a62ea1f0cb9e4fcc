import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteRowReader {
    /// The `agents` columns, in the order ``agent()`` reads them.
    static let agentColumns =
        "id, tenant, identity, name, email, presence, current_call_sid, wrap_up_ends_at, last_call_ended_at, chat_capacity, retired_at"

    /// An agent from a row with ``agentColumns``.
    func agent() throws(StoreError) -> Agent {
        Agent(
            id: try text("id"),
            tenant: TenantID(try text("tenant")),
            identity: try text("identity"),
            name: try text("name"),
            email: try text("email"),
            presence: try value("presence", as: Presence.self),
            currentCallSid: try optionalText("current_call_sid"),
            wrapUpEndsAt: try optionalDate("wrap_up_ends_at"),
            lastCallEndedAt: try optionalDate("last_call_ended_at"),
            chatCapacity: try integer("chat_capacity"),
            retiredAt: try optionalDate("retired_at")
        )
    }

    /// A ringing call from a `calls` row.
    func ringingCall() throws(StoreError) -> RingingCall {
        let agentsRungJSON = try text("agents_rung")
        let agentsRung: [String]
        do {
            agentsRung = try JSONDecoder().decode([String].self, from: Data(agentsRungJSON.utf8))
        } catch {
            throw .corrupt("Unreadable calls row: agents_rung is not a JSON array of strings", cause: "\(error)")
        }
        return RingingCall(
            callSid: try text("call_sid"),
            tenant: TenantID(try text("tenant")),
            caller: try text("caller"),
            called: try text("called"),
            agentsRung: agentsRung,
            startedAt: try date("started_at")
        )
    }

    /// A ring event from a `ring_events` row.
    func ringEvent() throws(StoreError) -> RingEvent {
        RingEvent(
            sequence: Int64(try integer("sequence")),
            callSid: try text("call_sid"),
            tenant: TenantID(try text("tenant")),
            agentIdentity: try text("agent_identity"),
            kind: try value("kind", as: RingEvent.Kind.self),
            occurredAt: try date("occurred_at"),
            detail: try optionalText("detail"),
            occurrence: try text("occurrence")
        )
    }

    /// A voicemail from a `voicemails` row.
    func voicemail() throws(StoreError) -> Voicemail {
        Voicemail(
            recordingSid: try text("recording_sid"),
            callSid: try text("call_sid"),
            tenant: TenantID(try text("tenant")),
            caller: try optionalText("caller"),
            recordingURL: try text("recording_url"),
            durationSeconds: try optionalInteger("duration_seconds"),
            receivedAt: try date("received_at")
        )
    }
}
