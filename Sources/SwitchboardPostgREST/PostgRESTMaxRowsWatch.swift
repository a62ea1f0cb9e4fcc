import Logging
import Synchronization

/// Watches for a project whose Max Rows is below the configured ``PostgRESTConfiguration/maxRows``:
/// such a project answers fewer rows than a page asks for while more match, which, read as the end of
/// the list, would cut it short. The store pages on in what the project answers, so nothing is lost;
/// this remembers the lowest such answer and logs it the first time it is seen, naming the setting to
/// change. Shared by every copy of a store.
final class PostgRESTMaxRowsWatch: Sendable {
    private let lowest = Mutex<Int?>(nil)
    private let logger: Logger

    /// A watch that logs to `logger`.
    init(logger: Logger) {
        self.logger = logger
    }

    /// The fewest rows a response held while more were asked for and matched; nil until it happens.
    var observed: Int? { lowest.withLock { $0 } }

    /// Records a response of `rows` rows to a page of `asked` when `matched` rows remained from its
    /// offset, and says whether the project cut it: true when fewer came than both. A new lowest is logged.
    func cut(rows: Int, asked: Int, matched: Int, configured: Int, operation: String) -> Bool {
        guard rows < min(asked, matched) else { return false }
        let isNew = lowest.withLock { (lowest: inout Int?) -> Bool in
            guard lowest.map({ rows < $0 }) ?? true else { return false }
            lowest = rows
            return true
        }
        if isNew {
            logger.warning(
                "Supabase answered fewer rows than asked while more matched: the project's Max Rows is below SUPABASE_MAX_ROWS; lists are read in pages of what it answers, but set SUPABASE_MAX_ROWS to the project's Max Rows",
                metadata: [
                    "configured": "\(configured)", "answered": "\(rows)", "asked": "\(asked)", "matched": "\(matched)",
                    "operation": "\(operation)",
                ]
            )
        }
        return true
    }
}
