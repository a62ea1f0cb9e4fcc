import SQLiteNIO
import SwitchboardCore

extension SQLiteRowReader {
    /// The `parked_calls` columns ``parkedCall()`` reads.
    static let parkedCallColumns =
        "id, tenant, call_sid, slot, parked_by, parked_at, retrieved_by, retrieved_at, ended_at, arrived_at, retriever_arrived_at"

    /// The `chat_handoffs` columns ``chatHandoff()`` reads.
    static let handoffColumns =
        "id, tenant, conversation_id, customer_name, summary, status, picked_up_by, picked_up_at, released_at, created_at"

    /// The `calls` columns ``ringingCall()`` reads.
    static let ringingCallColumns = "call_sid, tenant, caller, called, agents_rung, started_at"

    /// The `ring_events` columns ``ringEvent()`` reads.
    static let ringEventColumns = "sequence, call_sid, tenant, agent_identity, kind, occurred_at, detail, occurrence"

    /// A parked call from a row with ``parkedCallColumns``.
    func parkedCall() throws(StoreError) -> ParkedCall {
        ParkedCall(
            id: try text("id"),
            tenant: TenantID(try text("tenant")),
            callSid: try text("call_sid"),
            slot: try text("slot"),
            parkedBy: try text("parked_by"),
            parkedAt: try date("parked_at"),
            retrievedBy: try optionalText("retrieved_by"),
            retrievedAt: try optionalDate("retrieved_at"),
            endedAt: try optionalDate("ended_at"),
            arrivedAt: try optionalDate("arrived_at"),
            retrieverArrivedAt: try optionalDate("retriever_arrived_at")
        )
    }

    /// A chat handoff from a row with ``handoffColumns``.
    func chatHandoff() throws(StoreError) -> ChatHandoff {
        ChatHandoff(
            id: try text("id"),
            tenant: TenantID(try text("tenant")),
            conversationID: try text("conversation_id"),
            customerName: try optionalText("customer_name"),
            summary: try optionalText("summary"),
            status: try value("status", as: ChatHandoff.Status.self),
            pickedUpBy: try optionalText("picked_up_by"),
            pickedUpAt: try optionalDate("picked_up_at"),
            releasedAt: try optionalDate("released_at"),
            createdAt: try date("created_at")
        )
    }
}

extension Array where Element == SQLiteResultRow {
    /// Every row read by `read`, in order.
    func records<Record>(from table: String, _ read: (SQLiteRowReader) throws(StoreError) -> Record) throws(StoreError) -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(count)
        for row in self {
            records.append(try read(SQLiteRowReader(table: table, row: row)))
        }
        return records
    }
}
