import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `parked_calls` row as PostgREST (or `to_jsonb` in a function) returns it.
struct ParkedCallRow: Codable, Sendable {
    static let columns = [
        "id", "tenant_id", "call_sid", "slot", "parked_by", "parked_at", "retrieved_by", "retrieved_at", "ended_at", "arrived_at",
        "retriever_arrived_at",
    ]

    var id: String
    var tenant_id: String
    var call_sid: String
    var slot: String
    var parked_by: String
    var parked_at: Date
    var retrieved_by: String?
    var retrieved_at: Date?
    var ended_at: Date?
    var arrived_at: Date?
    var retriever_arrived_at: Date?

    var parkedCall: ParkedCall {
        ParkedCall(
            id: id,
            tenant: TenantID(tenant_id),
            callSid: call_sid,
            slot: slot,
            parkedBy: parked_by,
            parkedAt: parked_at,
            retrievedBy: retrieved_by,
            retrievedAt: retrieved_at,
            endedAt: ended_at,
            arrivedAt: arrived_at,
            retrieverArrivedAt: retriever_arrived_at
        )
    }
}

/// A `chat_handoffs` row as PostgREST (or `to_jsonb` in a function) returns it.
struct HandoffRow: Codable, Sendable {
    static let columns = [
        "id", "tenant_id", "conversation_id", "customer_name", "summary", "status", "picked_up_by", "picked_up_at", "released_at",
        "created_at",
    ]

    var id: String
    var tenant_id: String
    var conversation_id: String
    var customer_name: String?
    var summary: String?
    var status: String
    var picked_up_by: String?
    var picked_up_at: Date?
    var released_at: Date?
    var created_at: Date

    func handoff() throws(StoreError) -> ChatHandoff {
        guard let status = ChatHandoff.Status(rawValue: status) else {
            throw .corrupt("Handoff \(id) in tenant \(tenant_id) has an unknown status \(self.status)")
        }
        return ChatHandoff(
            id: id,
            tenant: TenantID(tenant_id),
            conversationID: conversation_id,
            customerName: customer_name,
            summary: summary,
            status: status,
            pickedUpBy: picked_up_by,
            pickedUpAt: picked_up_at,
            releasedAt: released_at,
            createdAt: created_at
        )
    }
}
