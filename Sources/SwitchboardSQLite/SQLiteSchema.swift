import SQLiteNIO
import SwitchboardCore

/// The store's tables, created and migrated when a store opens.
///
/// `PRAGMA user_version` holds the schema version: 0 in a new file, then the number of migrations
/// applied. A migration runs in the same `BEGIN IMMEDIATE` transaction that reads the version, so two
/// processes opening one new file apply it once. A file whose version is newer than this build's is
/// refused rather than misread.
enum SQLiteSchema {
    /// Migrations in order; migration `n` (from 1) takes the schema from version `n - 1` to `n`. Add new
    /// ones at the end; never edit a released one.
    static let migrations: [[String]] = [version1, version2, version3, version4, version5, version6, version7, version8, version9]

    /// The version this build writes and reads.
    static var currentVersion: Int { migrations.count }

    /// Brings the database to ``currentVersion``. A file that needs nothing (the current version, every
    /// routing trigger, the identity index and the voicemails' index in place, as at nearly every start) is only read: a start
    /// then needs no write lock, so a backup or an operator's session holding it delays no start (the
    /// server listens, and answers voicemail until the lock goes, rather than refusing calls).
    static func migrate(_ session: SQLiteSession) async throws(StoreError) {
        if try await isCurrent(session) { return }
        try await session.transaction { (runner) throws(StoreError) in
            let rows = try runner.rows("PRAGMA user_version")
            guard let version = rows.first?.column("user_version")?.integer else {
                throw .corrupt("The SQLite database at \(session.path) has no readable user_version")
            }
            guard version <= currentVersion else {
                throw .unavailable(
                    "The SQLite database at \(session.path) has schema version \(version), newer than this build's \(currentVersion)"
                )
            }
            if version == 0 {
                // Every Switchboard file past its first migration has a version: tables without one are
                // another application's, which Switchboard's tables must not be added to.
                let tables = try runner.rows("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                if let count = tables.first?.column("n")?.integer, count > 0 {
                    throw .unavailable(
                        "The SQLite database at \(session.path) holds \(count) table(s) but no Switchboard schema version: "
                            + "it is another application's database, and Switchboard does not add its tables to it"
                    )
                }
            }
            for migration in migrations.dropFirst(max(version, 0)) {
                for statement in migration {
                    try runner.execute(statement)
                }
            }
            if version < currentVersion {
                try runner.execute("PRAGMA user_version = \(currentVersion)")
            }
            try repairRoutingTriggers(runner)
            try repairIdentityIndex(runner)
            try addVoicemailsWithoutCallerIndex(runner)
            try addRetrievedParksIndex(runner)
        }
    }

    /// Whether the file is at ``currentVersion`` with every routing trigger and the identity index, read
    /// without a write lock. False for a new, older or damaged file, which ``migrate(_:)`` then handles
    /// under its lock (a newer file is refused there).
    private static func isCurrent(_ session: SQLiteSession) async throws(StoreError) -> Bool {
        try await session.read { (runner) throws(StoreError) -> Bool in
            guard try runner.rows("PRAGMA user_version").first?.column("user_version")?.integer == currentVersion else { return false }
            guard try hasRoutingTriggers(runner) else { return false }
            guard try hasIdentityIndex(runner) else { return false }
            guard try hasIndex(voicemailsWithoutCallerIndexName, runner) else { return false }
            return try hasIndex(retrievedParksIndexName, runner)
        }
    }

    /// Whether every routing trigger is in place (a table rebuild drops them).
    private static func hasRoutingTriggers(_ runner: SQLiteStatementRunner) throws(StoreError) -> Bool {
        let names = routingTriggers.map { "'\($0.name)'" }.joined(separator: ", ")
        let rows = try runner.rows("SELECT count(*) AS present FROM sqlite_master WHERE type = 'trigger' AND name IN (\(names))")
        return rows.first?.column("present")?.integer == routingTriggers.count
    }

    /// Whether the index that keeps an identity current in one tenant is in place.
    private static func hasIdentityIndex(_ runner: SQLiteStatementRunner) throws(StoreError) -> Bool {
        try hasIndex("agents_one_current_tenant_per_identity", runner)
    }

    /// Whether the index `name` is in place.
    private static func hasIndex(_ name: String, _ runner: SQLiteStatementRunner) throws(StoreError) -> Bool {
        let rows = try runner.rows("SELECT count(*) AS present FROM sqlite_master WHERE type = 'index' AND name = ?1", [.text(name)])
        return rows.first?.column("present")?.integer == 1
    }

    /// The index of a call's retrieved parks, by retriever: an end of a call's dial or of an agent's leg
    /// checks whether the agent's time on the call began with a retrieval (`SQLiteCallStore.joinedByRetrieval`)
    /// under the write lock, which without it would read every park ever made.
    static let retrievedParksIndexName = "parked_calls_retrieved_by_call"

    /// Adds ``retrievedParksIndexName`` when it is missing. No migration, as for
    /// ``addVoicemailsWithoutCallerIndex(_:)``: an earlier build still opens the file, and ignores it.
    private static func addRetrievedParksIndex(_ runner: SQLiteStatementRunner) throws(StoreError) {
        guard try !hasIndex(retrievedParksIndexName, runner) else { return }
        try runner.execute(
            "CREATE INDEX \(retrievedParksIndexName) ON parked_calls (call_sid, retrieved_by) WHERE retrieved_at IS NOT NULL"
        )
    }

    /// The index of the voicemails stored before their call's record, which names their caller (see
    /// `SQLiteCallStore.attachVoicemails(toCall:)`), by call. Partial: the voicemails with a caller,
    /// nearly all of them, cost it nothing.
    static let voicemailsWithoutCallerIndexName = "voicemails_without_caller"

    /// Adds ``voicemailsWithoutCallerIndexName`` when it is missing (a file an earlier build made or last
    /// opened, or one a table rebuild took it from), and gives the voicemails stored before their call's
    /// record meanwhile what their calls' records hold, by `attachVoicemails(toCall:)`'s rule.
    ///
    /// It is no migration, on purpose: the schema version stays, so an earlier build still opens the file
    /// (a rollback needs no restore). That build ignores the index, and a voicemail it stores before its
    /// call's record keeps no caller, as it did before this build.
    private static func addVoicemailsWithoutCallerIndex(_ runner: SQLiteStatementRunner) throws(StoreError) {
        guard try !hasIndex(voicemailsWithoutCallerIndexName, runner) else { return }
        try runner.execute("CREATE INDEX \(voicemailsWithoutCallerIndexName) ON voicemails (call_sid) WHERE caller IS NULL")
        try runner.execute(attachVoicemails)
    }

    /// Gives every voicemail with no caller the caller of its call's record, and its tenant in place of
    /// the default one, unless the record names no caller: the rule of `attachVoicemails(toCall:)`,
    /// which adds a condition on the call.
    static let attachVoicemails = """
        UPDATE voicemails
        SET caller = calls.caller,
            tenant = CASE voicemails.tenant WHEN '\(TenantID.default.rawValue)' THEN calls.tenant ELSE voicemails.tenant END
        FROM calls
        WHERE voicemails.caller IS NULL AND calls.call_sid = voicemails.call_sid AND calls.caller <> ''
        """

    /// Puts back the index that keeps an identity current in one tenant when a table rebuild dropped it
    /// (as ``repairRoutingTriggers(_:)`` does for the triggers), after retiring, by ``version9``'s rule,
    /// any duplicate written while it was missing. Without it the store's own writes still hold the rule
    /// (each checks inside its `BEGIN IMMEDIATE` transaction), but another tool's would not.
    private static func repairIdentityIndex(_ runner: SQLiteStatementRunner) throws(StoreError) {
        guard try !hasIdentityIndex(runner) else { return }
        try runner.execute(retireDuplicateIdentities)
        try runner.execute(identityIndex)
    }

    /// Puts back the routing version's triggers when a table rebuild dropped them (SQLite drops a table's
    /// triggers with it, and tools that change a column rebuild the table), and bumps the version once,
    /// so every process's routing cache reads again what changed while they were missing. Without them
    /// the cache would keep ringing agents set away or on a call. It runs at every open, in the
    /// migration's transaction; a rebuild under a running server is repaired at its next start.
    private static func repairRoutingTriggers(_ runner: SQLiteStatementRunner) throws(StoreError) {
        guard try !hasRoutingTriggers(runner) else { return }
        for trigger in routingTriggers { try runner.execute(trigger.statement) }
        try runner.execute("UPDATE routing_version SET version = version + 1")
    }

    /// The triggers that bump the routing version: every insert, update and delete on `agents` and
    /// `numbers` (see ``version3``, which creates them). Never edit them: ``version3`` is released. A
    /// new definition needs a migration that drops these and creates it under new names.
    static let routingTriggers: [(name: String, statement: String)] = ["agents", "numbers"].flatMap { table in
        ["INSERT", "UPDATE", "DELETE"].map { event in
            let name = "\(table)_\(event.lowercased())_bumps_routing_version"
            return (
                name,
                """
                CREATE TRIGGER IF NOT EXISTS \(name) AFTER \(event) ON \(table)
                BEGIN UPDATE routing_version SET version = version + 1; END
                """
            )
        }
    }

    private static let presences = Presence.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    /// The ring-event kinds each version's CHECK allows, written out: a released migration never changes.
    private static let version1Kinds = "'ringing', 'answered', 'declined', 'missed', 'parked', 'retrieved'"
    private static let version4Kinds = "'ringing', 'answered', 'declined', 'missed', 'parked', 'retrieved', 'away'"

    /// The first schema. Dates are Unix seconds as REAL (about a microsecond of precision today), so they
    /// order correctly and read with `datetime(x, 'unixepoch')`.
    private static let version1: [String] = [
        """
        CREATE TABLE IF NOT EXISTS numbers (
            number TEXT PRIMARY KEY NOT NULL,
            tenant TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS agents (
            id TEXT PRIMARY KEY NOT NULL,
            tenant TEXT NOT NULL,
            identity TEXT NOT NULL
                CHECK (length(identity) BETWEEN 1 AND 256 AND identity NOT GLOB '*[^A-Za-z0-9_]*'),
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            presence TEXT NOT NULL CHECK (presence IN (\(presences))),
            current_call_sid TEXT,
            wrap_up_ends_at REAL,
            last_call_ended_at REAL,
            chat_capacity INTEGER NOT NULL CHECK (chat_capacity >= 0),
            UNIQUE (tenant, identity)
        )
        """,
        // Serves availableAgents: equality on tenant and presence, then already in ring order.
        """
        CREATE INDEX IF NOT EXISTS agents_by_availability
            ON agents (tenant, presence, last_call_ended_at, identity)
        """,
        // Serves endCall, which finds agents by the call they are on.
        """
        CREATE INDEX IF NOT EXISTS agents_by_current_call
            ON agents (current_call_sid) WHERE current_call_sid IS NOT NULL
        """,
        """
        CREATE TABLE IF NOT EXISTS calls (
            call_sid TEXT PRIMARY KEY NOT NULL,
            tenant TEXT NOT NULL,
            caller TEXT NOT NULL,
            called TEXT NOT NULL,
            agents_rung TEXT NOT NULL DEFAULT '[]',
            started_at REAL NOT NULL,
            answered_by TEXT,
            answered_at REAL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS ring_events (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            call_sid TEXT NOT NULL,
            tenant TEXT NOT NULL,
            agent_identity TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN (\(version1Kinds))),
            occurred_at REAL NOT NULL,
            detail TEXT,
            UNIQUE (call_sid, agent_identity, kind)
        )
        """,
        "CREATE INDEX IF NOT EXISTS ring_events_by_tenant ON ring_events (tenant, sequence)",
        """
        CREATE TABLE IF NOT EXISTS voicemails (
            recording_sid TEXT PRIMARY KEY NOT NULL,
            call_sid TEXT NOT NULL,
            tenant TEXT NOT NULL,
            caller TEXT,
            recording_url TEXT NOT NULL,
            duration_seconds INTEGER,
            received_at REAL NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS voicemails_by_tenant ON voicemails (tenant, received_at)",
    ]

    private static let handoffStatuses = ChatHandoff.Status.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// The dashboard's data (``DeskStore``): when a call stopped ringing unanswered, parked calls and
    /// chat handoffs, mirroring the Supabase migration's tables. `ALTER TABLE … ADD COLUMN` has no
    /// `IF NOT EXISTS`; the version check runs it once.
    private static let version2: [String] = [
        "ALTER TABLE calls ADD COLUMN finished_at REAL",
        // Serves ringingCalls: a tenant's calls in start order.
        "CREATE INDEX IF NOT EXISTS calls_by_tenant ON calls (tenant, started_at, call_sid)",
        // Serves ringOutcomes: one agent's events, newest first.
        "CREATE INDEX IF NOT EXISTS ring_events_by_agent ON ring_events (tenant, agent_identity, sequence)",
        """
        CREATE TABLE IF NOT EXISTS parked_calls (
            id TEXT PRIMARY KEY NOT NULL,
            tenant TEXT NOT NULL,
            call_sid TEXT NOT NULL,
            slot TEXT NOT NULL,
            parked_by TEXT NOT NULL,
            parked_at REAL NOT NULL,
            retrieved_by TEXT,
            retrieved_at REAL,
            ended_at REAL,
            CHECK ((retrieved_by IS NULL) = (retrieved_at IS NULL)),
            CHECK (retrieved_at IS NULL OR ended_at IS NULL)
        )
        """,
        // A call waits in at most one slot at a time.
        """
        CREATE UNIQUE INDEX IF NOT EXISTS parked_calls_one_open_per_call
            ON parked_calls (call_sid) WHERE retrieved_at IS NULL AND ended_at IS NULL
        """,
        """
        CREATE INDEX IF NOT EXISTS parked_calls_open_by_tenant
            ON parked_calls (tenant, parked_at, call_sid) WHERE retrieved_at IS NULL AND ended_at IS NULL
        """,
        """
        CREATE TABLE IF NOT EXISTS chat_handoffs (
            id TEXT PRIMARY KEY NOT NULL,
            tenant TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            customer_name TEXT,
            summary TEXT,
            status TEXT NOT NULL CHECK (status IN (\(handoffStatuses))),
            picked_up_by TEXT,
            picked_up_at REAL,
            released_at REAL,
            created_at REAL NOT NULL,
            CHECK ((status = 'pending') = (picked_up_by IS NULL)),
            CHECK ((picked_up_by IS NULL) = (picked_up_at IS NULL)),
            CHECK ((status = 'released') = (released_at IS NOT NULL))
        )
        """,
        "CREATE INDEX IF NOT EXISTS chat_handoffs_by_status ON chat_handoffs (tenant, status, created_at, id)",
        """
        CREATE INDEX IF NOT EXISTS chat_handoffs_active_by_agent
            ON chat_handoffs (tenant, picked_up_by) WHERE status = 'active'
        """,
    ]

    /// The routing version: a counter that every change to `agents` or `numbers` bumps in the same
    /// transaction, through triggers, whichever connection, process or tool makes it. The voice route
    /// keeps its routing reads in memory and checks them against this counter on every call (see
    /// `SQLiteRoutingCache`). Changes to calls, ring events and voicemails leave it alone.
    private static let version3: [String] =
        [
            """
            CREATE TABLE IF NOT EXISTS routing_version (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL
            )
            """,
            "INSERT OR IGNORE INTO routing_version (id, version) VALUES (1, 0)",
        ]
        + routingTriggers.map(\.statement)

    /// Ring events may say the system set an agent away (kind `away`). SQLite cannot change a CHECK in
    /// place, so the table is rebuilt with its rows, sequences and indexes.
    private static let version4: [String] = [
        """
        CREATE TABLE ring_events_v4 (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            call_sid TEXT NOT NULL,
            tenant TEXT NOT NULL,
            agent_identity TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN (\(version4Kinds))),
            occurred_at REAL NOT NULL,
            detail TEXT,
            UNIQUE (call_sid, agent_identity, kind)
        )
        """,
        """
        INSERT INTO ring_events_v4 (sequence, call_sid, tenant, agent_identity, kind, occurred_at, detail)
        SELECT sequence, call_sid, tenant, agent_identity, kind, occurred_at, detail FROM ring_events
        """,
        "DROP TABLE ring_events",
        "ALTER TABLE ring_events_v4 RENAME TO ring_events",
        "CREATE INDEX IF NOT EXISTS ring_events_by_tenant ON ring_events (tenant, sequence)",
        "CREATE INDEX IF NOT EXISTS ring_events_by_agent ON ring_events (tenant, agent_identity, sequence)",
    ]

    /// A parked call records when the caller reached the slot, so a park withdrawn because Twilio's
    /// answer never came is restored when the caller arrives after all, and when the retriever's leg
    /// reached it, so a retrieval whose leg may be talking to the caller is never released as one whose
    /// leg never came (only the caller's own requests show a leg that arrived was never bridged).
    private static let version5: [String] = [
        "ALTER TABLE parked_calls ADD COLUMN arrived_at REAL",
        "ALTER TABLE parked_calls ADD COLUMN retriever_arrived_at REAL",
    ]

    /// Ring events carry an occurrence (``RingEvent/occurrence``: the agent's leg, or the park), and one
    /// event is kept per call, agent, kind and occurrence, so a park's ring-back and a second park of
    /// one call are stored. SQLite cannot change a UNIQUE constraint in place, so the table is rebuilt
    /// with its rows, sequences and indexes; a park's events take its id, kept in their detail.
    private static let version6: [String] = [
        """
        CREATE TABLE ring_events_v6 (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            call_sid TEXT NOT NULL,
            tenant TEXT NOT NULL,
            agent_identity TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN (\(version4Kinds))),
            occurred_at REAL NOT NULL,
            detail TEXT,
            occurrence TEXT NOT NULL DEFAULT '',
            UNIQUE (call_sid, agent_identity, kind, occurrence)
        )
        """,
        """
        INSERT INTO ring_events_v6 (sequence, call_sid, tenant, agent_identity, kind, occurred_at, detail, occurrence)
        SELECT sequence, call_sid, tenant, agent_identity, kind, occurred_at, detail,
            CASE WHEN kind IN ('parked', 'retrieved') THEN coalesce(detail, '') ELSE '' END
        FROM ring_events
        """,
        "DROP TABLE ring_events",
        "ALTER TABLE ring_events_v6 RENAME TO ring_events",
        "CREATE INDEX IF NOT EXISTS ring_events_by_tenant ON ring_events (tenant, sequence)",
        "CREATE INDEX IF NOT EXISTS ring_events_by_agent ON ring_events (tenant, agent_identity, sequence)",
    ]

    /// When an agent got on their current call (a won claim, a retrieval, a reclaimed ring-back), so
    /// that an end recorded late does not take them off a call they got back on afterwards. Unknown
    /// (NULL) for an agent on a call when the file is migrated: any end of that call ends it.
    private static let version7: [String] = [
        "ALTER TABLE agents ADD COLUMN current_call_since REAL"
    ]

    /// Finds a conversation's open handoff at once: creating a handoff looks for one first (a
    /// conversation has one open handoff at most).
    private static let version8: [String] = [
        """
        CREATE INDEX IF NOT EXISTS chat_handoffs_open_by_conversation
            ON chat_handoffs (tenant, conversation_id) WHERE status IN ('pending', 'active')
        """
    ]

    /// An identity is a current agent of one tenant at most (a Twilio client name rings in every
    /// tenant that holds it): the others are retired, offline. Where a file already holds an identity
    /// current in several tenants, the record most in use stays current (on a call, then not offline,
    /// then stored last) and the others are retired now; `agents import --move` moves one back.
    private static let version9: [String] = [
        "ALTER TABLE agents ADD COLUMN retired_at REAL CHECK (retired_at IS NULL OR presence = 'offline')",
        retireDuplicateIdentities,
        identityIndex,
    ]

    /// Retires every record of an identity current in several tenants but the one most in use (on a
    /// call, then not offline, then stored last). Part of ``version9``: never edit it.
    static let retireDuplicateIdentities = """
        UPDATE agents SET presence = 'offline', retired_at = (julianday('now') - 2440587.5) * 86400.0
        WHERE rowid IN (
            SELECT rowid FROM (
                SELECT rowid, row_number() OVER (
                    PARTITION BY identity
                    ORDER BY current_call_sid IS NOT NULL DESC, presence <> 'offline' DESC, rowid DESC
                ) AS rank
                FROM agents
                WHERE retired_at IS NULL
            )
            WHERE rank > 1
        )
        """

    /// One current record per identity. Part of ``version9``: never edit it.
    static let identityIndex = """
        CREATE UNIQUE INDEX IF NOT EXISTS agents_one_current_tenant_per_identity
            ON agents (identity) WHERE retired_at IS NULL
        """
}
