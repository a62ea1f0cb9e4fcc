import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An `agents` row as PostgREST returns it.
struct AgentRow: Codable, Sendable {
    static let columns = [
        "id", "tenant_id", "identity", "name", "email", "presence", "current_call_sid", "wrap_up_ends_at",
        "last_call_ended_at", "chat_capacity", "retired_at",
    ]

    var id: String
    var tenant_id: String
    var identity: String
    var name: String
    var email: String
    var presence: String
    var current_call_sid: String?
    var wrap_up_ends_at: Date?
    var last_call_ended_at: Date?
    var chat_capacity: Int
    var retired_at: Date?

    func agent() throws(StoreError) -> Agent {
        guard let presence = Presence(rawValue: presence) else {
            throw .corrupt("Agent \(identity) in tenant \(tenant_id) has an unknown presence \(self.presence)")
        }
        return Agent(
            id: id,
            tenant: TenantID(tenant_id),
            identity: identity,
            name: name,
            email: email,
            presence: presence,
            currentCallSid: current_call_sid,
            wrapUpEndsAt: wrap_up_ends_at,
            lastCallEndedAt: last_call_ended_at,
            chatCapacity: chat_capacity,
            retiredAt: retired_at
        )
    }
}

/// A `calls` row's ringing part.
struct CallRow: Codable, Sendable {
    static let columns = ["call_sid", "tenant_id", "caller", "called", "agents_rung", "started_at"]

    var call_sid: String
    var tenant_id: String
    var caller: String
    var called: String
    var agents_rung: [String]
    var started_at: Date
    /// Written only for a call that rings nobody (recorded finished at its start); not read.
    var finished_at: Date?

    init(_ call: RingingCall) {
        call_sid = call.callSid
        tenant_id = call.tenant.rawValue
        caller = call.caller
        called = call.called
        agents_rung = call.agentsRung
        started_at = call.startedAt
        finished_at = call.agentsRung.isEmpty ? call.startedAt : nil
    }

    var ringingCall: RingingCall {
        RingingCall(callSid: call_sid, tenant: TenantID(tenant_id), caller: caller, called: called, agentsRung: agents_rung, startedAt: started_at)
    }
}

/// A `ring_events` row.
struct RingEventRow: Codable, Sendable {
    static let columns = ["sequence", "call_sid", "tenant_id", "agent_identity", "kind", "occurred_at", "detail", "occurrence"]

    var sequence: Int64
    var call_sid: String
    var tenant_id: String
    var agent_identity: String
    var kind: String
    var occurred_at: Date
    var detail: String?
    var occurrence: String

    func ringEvent() throws(StoreError) -> RingEvent {
        guard let kind = RingEvent.Kind(rawValue: kind) else {
            throw .corrupt("Ring event \(sequence) has an unknown kind \(self.kind)")
        }
        return RingEvent(
            sequence: sequence,
            callSid: call_sid,
            tenant: TenantID(tenant_id),
            agentIdentity: agent_identity,
            kind: kind,
            occurredAt: occurred_at,
            detail: detail,
            occurrence: occurrence
        )
    }
}

/// A `voicemails` row.
struct VoicemailRow: Codable, Sendable {
    static let columns = ["recording_sid", "call_sid", "tenant_id", "caller", "recording_url", "duration_seconds", "received_at"]

    var recording_sid: String
    var call_sid: String
    var tenant_id: String
    var caller: String?
    var recording_url: String
    var duration_seconds: Int?
    var received_at: Date

    init(_ voicemail: Voicemail) {
        recording_sid = voicemail.recordingSid
        call_sid = voicemail.callSid
        tenant_id = voicemail.tenant.rawValue
        caller = voicemail.caller
        recording_url = voicemail.recordingURL
        duration_seconds = voicemail.durationSeconds
        received_at = voicemail.receivedAt
    }

    var voicemail: Voicemail {
        Voicemail(
            recordingSid: recording_sid,
            callSid: call_sid,
            tenant: TenantID(tenant_id),
            caller: caller,
            recordingURL: recording_url,
            durationSeconds: duration_seconds,
            receivedAt: received_at
        )
    }
}
