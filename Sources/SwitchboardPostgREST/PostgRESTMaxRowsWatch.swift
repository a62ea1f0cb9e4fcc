import Logging
import Synchronization

/// Watches for a project whose Max Rows is below the configured ``PostgRESTConfiguration/maxRows``:
/// such a project answers fewer rows than a page asks for while more match, which, read as the end of
/// the list, would cut it short. The store pages on in what the project answers once it sees that (see
/// `PostgRESTClient.allRows` for how); this remembers the lowest such answer and logs it the first time
/// it is seen, naming the setting to change. Shared by every copy of a store.
final class PostgRESTMaxRowsWatch: Sendable {
    private let lowest = Mutex<Int?>(nil)
    private let logger: Logger

    /// A watch that logs to `logger`.
    init(logger: Logger) {
        self.logger = logger
    }

    /// The fewest rows a response held while more were asked for and matched; nil until it happens.
    var observed: Int? { lowest.withLock { $0 } }

    /// Records that a response held `answered` rows of the `asked` while more matched; a new lowest is
    /// logged.
    func report(answered: Int, asked: Int, configured: Int, operation: String) {
        let isNew = lowest.withLock { (lowest: inout Int?) -> Bool in
            guard lowest.map({ answered < $0 }) ?? true else { return false }
            lowest = answered
            return true
        }
        guard isNew else { return }
        logger.warning(
            "Supabase answered \(answered) rows where \(asked) were asked and more match: the project's Max Rows is \(answered), below SUPABASE_MAX_ROWS (\(configured)). Lists are read in pages of \(answered) meanwhile; set SUPABASE_MAX_ROWS (or --supabase-max-rows) to \(answered), or raise the project's Max Rows",
            metadata: ["configured": "\(configured)", "answered": "\(answered)", "asked": "\(asked)", "operation": "\(operation)"]
        )
    }
}
