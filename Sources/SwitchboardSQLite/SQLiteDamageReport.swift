import Foundation
import SwitchboardCore
import Synchronization

/// The first report of damage to the database file (SQLite's `SQLITE_CORRUPT`, `SQLITE_FORMAT` or
/// `SQLITE_NOTADB`) from any of a store's connections, kept until the store is closed.
///
/// Damage shows only where it is: a read of a damaged table fails, while the rest of the file, the
/// routing state that readiness writes included, may still work. Once any statement has met it, the
/// store is not ready (``SQLiteCallStore/checkReady()``) until the service restarts on a repaired file:
/// a load balancer or a monitor then sees what every voicemail sent to `rejected/` already says.
final class SQLiteDamageReport: Sendable {
    private let first = Mutex<(error: StoreError, at: Date)?>(nil)

    /// Keeps `error` when it is the first damage reported.
    func record(_ error: StoreError) {
        first.withLock { first in
            if first == nil { first = (error, Date()) }
        }
    }

    /// The first damage reported, as the error readiness answers; nil while none was.
    var failure: StoreError? {
        first.withLock { first in
            first.map { report in
                .corrupt(
                    "The SQLite database reported damage at \(report.at.formatted(.iso8601)): \(report.error.message); "
                        + "restore it from a backup and restart the service",
                    cause: report.error.cause
                )
            }
        }
    }
}
