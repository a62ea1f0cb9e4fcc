import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PostgRESTCallStore {
    /// The `record_ring_event` SQL function, which assigns sequences in commit order per tenant.
    @discardableResult
    public func recordRingEvent(_ event: RingEvent) async throws(StoreError) -> Bool {
        let sequence = try await client.rpc(
            "record_ring_event",
            RingEventArguments(event),
            as: Int64?.self,
            idempotent: false,
            operation: "recording a \(event.kind.rawValue) event of call \(event.callSid)"
        )
        return sequence != nil
    }

    public func ringEvents(in tenant: TenantID, after sequence: Int64, limit: Int) async throws(StoreError) -> [RingEvent] {
        guard limit > 0 else { return [] }
        let query = PostgRESTQuery(
            "ring_events",
            select: RingEventRow.columns,
            filters: [.eq("tenant_id", tenant.rawValue), .compare("sequence", .gt, String(sequence))],
            order: [PostgRESTOrder("sequence")],
            limit: limit
        )
        return try await client.rows(query, as: RingEventRow.self, operation: "reading the ring events of tenant \(tenant)")
            .map { (row) throws(StoreError) in try row.ringEvent() }
    }

    /// An insert that ignores an existing recording SID and returns what it inserted: nothing means
    /// the voicemail was already stored.
    @discardableResult
    public func saveVoicemail(_ voicemail: Voicemail) async throws(StoreError) -> Bool {
        let operation = "storing voicemail \(voicemail.recordingSid)"
        let response = try await client.insert(
            PostgRESTQuery("voicemails", select: ["recording_sid"]),
            VoicemailRow(voicemail),
            preferences: PostgRESTPreferences(returning: .representation, resolution: .ignoreDuplicates),
            operation: operation
        )
        return !(try client.decode([RecordingSidRow].self, from: response, operation: operation)).isEmpty
    }

    /// The call's record read, then one update of its voicemails with no caller; two when the call is
    /// not the default tenant's, one for those filed under the default tenant (caller and tenant) and
    /// one for the others (caller). Each voicemail changes in one update, caller and tenant together: a
    /// voicemail stored in the default tenant between the two updates is left to the next attach (its
    /// own save's), never given the caller while it stays in the default tenant, where no later attach
    /// would find it. The migration `voicemails_without_caller` indexes those voicemails by call.
    @discardableResult
    public func attachVoicemails(toCall callSid: String) async throws(StoreError) -> Int {
        guard let call = try await ringingCall(callSid), !call.caller.isEmpty else { return 0 }
        let operation = "attaching the voicemails of call \(callSid) to its record"
        let withoutCaller: [PostgRESTFilter] = [.eq("call_sid", callSid), .is("caller", .null)]
        let defaultTenant = TenantID.default.rawValue
        var updates: [(filters: [PostgRESTFilter], changes: [String: String])] = []
        if call.tenant != .default {
            updates.append((withoutCaller + [.eq("tenant_id", defaultTenant)], ["caller": call.caller, "tenant_id": call.tenant.rawValue]))
            updates.append((withoutCaller + [.compare("tenant_id", .neq, defaultTenant)], ["caller": call.caller]))
        } else {
            updates.append((withoutCaller, ["caller": call.caller]))
        }
        var attached = 0
        for update in updates {
            let response = try await client.update(
                PostgRESTQuery("voicemails", select: ["recording_sid"], filters: update.filters),
                update.changes,
                preferences: PostgRESTPreferences(returning: .representation),
                operation: operation
            )
            attached += try client.decode([RecordingSidRow].self, from: response, operation: operation).count
        }
        return attached
    }

    public func voicemails(in tenant: TenantID, limit: Int?) async throws(StoreError) -> [Voicemail] {
        let query = PostgRESTQuery(
            "voicemails",
            select: VoicemailRow.columns,
            filters: [.eq("tenant_id", tenant.rawValue)],
            order: [PostgRESTOrder("received_at", ascending: false), PostgRESTOrder("recording_sid")]
        )
        // Newest first, so a voicemail stored while the pages are read moves the later ones back by one:
        // one may come twice, and is kept once (by its key). A limit one page holds is one request, and a
        // second when the tenant has fewer voicemails than that (see PostgRESTClient.allRows).
        return try await client.allRows(
            query,
            as: VoicemailRow.self,
            key: \.recording_sid,
            limit: limit,
            operation: "reading the voicemails of tenant \(tenant)"
        ).map(\.voicemail)
    }
}

private struct RecordingSidRow: Decodable {
    var recording_sid: String
}

/// `record_ring_event`'s arguments, the detail's null included.
private struct RingEventArguments: Encodable {
    let event: RingEvent

    init(_ event: RingEvent) { self.event = event }

    enum CodingKeys: String, CodingKey { case p_call_sid, p_tenant_id, p_agent_identity, p_kind, p_occurred_at, p_detail, p_occurrence }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.callSid, forKey: .p_call_sid)
        try container.encode(event.tenant.rawValue, forKey: .p_tenant_id)
        try container.encode(event.agentIdentity, forKey: .p_agent_identity)
        try container.encode(event.kind.rawValue, forKey: .p_kind)
        try container.encode(event.occurredAt, forKey: .p_occurred_at)
        try container.encode(event.detail, forKey: .p_detail)
        try container.encode(event.occurrence, forKey: .p_occurrence)
    }
}
