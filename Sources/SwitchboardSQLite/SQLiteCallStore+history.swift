import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLiteCallStore {
    @discardableResult
    public func recordRingEvent(_ event: RingEvent) async throws(StoreError) -> Bool {
        let inserted = try await session.exclusively { (runner) throws(StoreError) in
            try runner.rows(
                """
                INSERT INTO ring_events (call_sid, tenant, agent_identity, kind, occurred_at, detail, occurrence)
                SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
                WHERE ?4 <> 'ringing' OR NOT EXISTS (
                    SELECT 1 FROM ring_events AS ended
                    WHERE ended.call_sid = ?1 AND ended.agent_identity = ?3
                        AND ended.kind IN ('answered', 'declined', 'missed')
                        AND (ended.occurrence = ?7 OR (ended.occurrence = '' AND ended.sequence > (
                            SELECT coalesce(max(sequence), 0) FROM ring_events
                            WHERE call_sid = ?1 AND agent_identity = ?3 AND kind = 'parked'
                        )))
                )
                ON CONFLICT (call_sid, agent_identity, kind, occurrence) DO NOTHING
                RETURNING sequence
                """,
                [
                    .text(event.callSid), .text(event.tenant.rawValue), .text(event.agentIdentity), .text(event.kind.rawValue),
                    SQLiteData(event.occurredAt), SQLiteData(event.detail), .text(event.occurrence),
                ]
            )
        }
        return !inserted.isEmpty
    }

    public func ringEvents(in tenant: TenantID, after sequence: Int64, limit: Int) async throws(StoreError) -> [RingEvent] {
        guard limit > 0 else { return [] }  // SQLite reads a negative LIMIT as "no limit".
        let rows = try await session.read { (runner) throws(StoreError) in
            try runner.rows(
                """
                SELECT \(SQLiteRowReader.ringEventColumns) FROM ring_events
                WHERE tenant = ?1 AND sequence > ?2 ORDER BY sequence LIMIT \(limit)
                """,
                [.text(tenant.rawValue), .integer(Int(sequence))]
            )
        }
        var events: [RingEvent] = []
        events.reserveCapacity(rows.count)
        for row in rows {
            events.append(try SQLiteRowReader(table: "ring_events", row: row).ringEvent())
        }
        return events
    }

    /// Saves the voicemail with its commit synced to disk (see ``SQLiteSession/durably(_:)``): Twilio
    /// does not send a recording's callback again once it is answered.
    @discardableResult
    public func saveVoicemail(_ voicemail: Voicemail) async throws(StoreError) -> Bool {
        // A voicemail written to a removed or replaced file would be acknowledged and then lost at the
        // next start; refused, it waits in the spool instead.
        try checkFileIsTheOneOpened()
        let inserted = try await session.durably { (runner) throws(StoreError) in
            try runner.rows(
                """
                INSERT INTO voicemails (recording_sid, call_sid, tenant, caller, recording_url, duration_seconds, received_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (recording_sid) DO NOTHING
                RETURNING recording_sid
                """,
                [
                    .text(voicemail.recordingSid), .text(voicemail.callSid), .text(voicemail.tenant.rawValue),
                    SQLiteData(voicemail.caller), .text(voicemail.recordingURL), SQLiteData(voicemail.durationSeconds),
                    SQLiteData(voicemail.receivedAt),
                ]
            )
        }
        return !inserted.isEmpty
    }

    /// One update, which finds the voicemails through the index of those with no caller (added at open,
    /// see `SQLiteSchema`): a call's record made late, by a retry, costs no scan of the tenant's voicemails.
    @discardableResult
    public func attachVoicemails(toCall callSid: String) async throws(StoreError) -> Int {
        let attached = try await session.transaction { (runner) throws(StoreError) in
            try runner.rows(SQLiteSchema.attachVoicemails + " AND voicemails.call_sid = ?1 RETURNING voicemails.recording_sid", [.text(callSid)])
        }
        return attached.count
    }

    /// The tenant's newest `limit` voicemails (all when nil), newest first; ties by recording SID.
    public func voicemails(in tenant: TenantID, limit: Int?) async throws(StoreError) -> [Voicemail] {
        let rows = try await session.read { (runner) throws(StoreError) in
            try runner.rows(
                """
                SELECT recording_sid, call_sid, tenant, caller, recording_url, duration_seconds, received_at FROM voicemails
                WHERE tenant = ?1 ORDER BY received_at DESC, recording_sid LIMIT ?2
                """,
                // SQLite reads a negative LIMIT as none.
                [.text(tenant.rawValue), .integer(limit.map { max($0, 0) } ?? -1)]
            )
        }
        var voicemails: [Voicemail] = []
        voicemails.reserveCapacity(rows.count)
        for row in rows {
            voicemails.append(try SQLiteRowReader(table: "voicemails", row: row).voicemail())
        }
        return voicemails
    }
}
