import SQLiteNIO
import SwitchboardCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The voice route's routing reads, kept in memory per called number.
///
/// The schema's routing version (see `SQLiteSchema`) is bumped by triggers in the same transaction as
/// any change to agents or numbers, by any connection or process. An entry records the version it was
/// read at, and is used only at that version, so it holds exactly what the full query would return.
/// What depends on the time of the call, the end of an agent's wrap-up, is kept raw and compared at
/// each call as the SQL compares it.
///
/// How a call learns the current version:
/// - **Read it** (``SQLiteCallStore/routingSnapshot(forCalledNumber:at:limit:)``): one single-row
///   statement in its own read transaction, so the answer is never stale. Each such read is noted as a
///   ``Validation``.
/// - **Trust a recent read** (``SQLiteCallStore/recentRoutingSnapshot(forCalledNumber:at:limit:)``): when
///   the last read of the version is younger than ``recheckInterval`` and this process's writer has
///   written nothing since (``SQLiteSession/writeGeneration``), the entry at that version answers with
///   no statement at all. A change made by this process (a claim, a presence change, a call's end) is
///   therefore seen by the next call at once; a change made by another process (a command-line tool,
///   another service on the same file) within ``recheckInterval``.
///
/// An entry keeps the owning tenant and all of its agents set available and on no call, in ring order;
/// a tenant with more than ``maximumCandidates`` of them is not cached (its calls run the full query).
final class SQLiteRoutingCache: Sendable {
    /// One called number's routing, as of a routing version.
    struct Entry: Sendable {
        /// The routing version the entry was read at.
        let version: Int
        /// The tenant that owns the number, or nil when none does.
        let tenant: TenantID?
        /// The tenant's agents set available and on no call, longest idle first, with their wrap-up end
        /// in Unix seconds as stored.
        let candidates: [(agent: Agent, wrapUpEndsAt: Double?)]
        /// The candidates' agents, in order: the snapshot itself while no wrap-up is running.
        private let agents: [Agent]
        /// The latest wrap-up end among the candidates, in Unix seconds; nil when none has one.
        private let latestWrapUpEnd: Double?

        init(version: Int, tenant: TenantID?, candidates: [(agent: Agent, wrapUpEndsAt: Double?)]) {
            self.version = version
            self.tenant = tenant
            self.candidates = candidates
            self.agents = candidates.map(\.agent)
            self.latestWrapUpEnd = candidates.compactMap(\.wrapUpEndsAt).max()
        }

        /// The snapshot at `now`: the candidates whose wrap-up is over, at most `limit`.
        func snapshot(at now: Date, limit: Int) -> RoutingSnapshot? {
            guard let tenant else { return nil }
            // The same value and comparison as `wrap_up_ends_at <= ?` with `now` bound as Unix seconds.
            let seconds = now.timeIntervalSince1970
            if agents.count <= limit, latestWrapUpEnd.map({ $0 <= seconds }) ?? true {
                // Every candidate is free (the common case): the kept array, not a copy of each agent.
                return RoutingSnapshot(tenant: tenant, agents: agents)
            }
            var agents: [Agent] = []
            for candidate in candidates where agents.count < limit {
                if let end = candidate.wrapUpEndsAt, !(end <= seconds) { continue }
                agents.append(candidate.agent)
            }
            return RoutingSnapshot(tenant: tenant, agents: agents)
        }
    }

    /// The most candidates an entry keeps.
    static let maximumCandidates = 1000
    /// The most numbers kept; past it the cache starts again.
    static let maximumEntries = 1024

    private let entries = Mutex<[String: Entry]>([:])
    /// How long a read of the routing version is trusted while this process writes nothing; zero reads
    /// it on every call.
    let recheckInterval: Duration
    private let validation = Mutex<Validation?>(nil)

    /// What the last read of the routing version found, and when.
    private struct Validation: Sendable {
        /// The routing version read.
        let version: Int
        /// When it was read: the read started no earlier.
        let at: ContinuousClock.Instant
        /// The session's ``SQLiteSession/writeGeneration`` before the read.
        let writeGeneration: Int
    }

    /// A cache whose reads of the routing version are trusted for `recheckInterval`.
    init(recheckInterval: Duration) {
        self.recheckInterval = recheckInterval
    }

    /// Notes that the routing version was `version` in a read that started at `at`, after the writer's
    /// generation was `writeGeneration`. A note older than the one kept is ignored.
    func validated(_ version: Int, at: ContinuousClock.Instant, writeGeneration: Int) {
        validation.withLock { kept in
            if let kept, kept.at > at { return }
            kept = Validation(version: version, at: at, writeGeneration: writeGeneration)
        }
    }

    /// The entry for `number` when the last read of the routing version is recent enough to trust at
    /// `now`, nothing was written by this process since (`writeGeneration` is still the one noted), and
    /// the entry was read at that version; nil otherwise, and always when ``recheckInterval`` is zero.
    func recentEntry(for number: String, now: ContinuousClock.Instant, writeGeneration: Int) -> Entry? {
        guard recheckInterval > .zero else { return nil }
        let trusted = validation.withLock { kept -> Int? in
            guard let kept, kept.writeGeneration == writeGeneration, now - kept.at < recheckInterval else { return nil }
            return kept.version
        }
        guard let trusted else { return nil }
        return entry(for: number, at: trusted)
    }

    /// The entry for `number` if it was read at `version`.
    func entry(for number: String, at version: Int) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[number], entry.version == version else { return nil }
            return entry
        }
    }

    /// Keeps `entry` for `number`, unless a newer one is already kept.
    func keep(_ entry: Entry, for number: String) {
        entries.withLock { entries in
            if let kept = entries[number], kept.version > entry.version { return }
            if entries[number] == nil, entries.count >= Self.maximumEntries { entries = [:] }
            entries[number] = entry
        }
    }
}
