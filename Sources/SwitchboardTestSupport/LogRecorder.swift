import Logging
import Synchronization

/// Keeps what is logged, for tests that check a log line: each event's level, message and the metadata
/// given with it.
public final class LogRecorder: Sendable {
    /// One event logged.
    public struct Entry: Sendable {
        /// Its level.
        public let level: Logger.Level
        /// Its message.
        public let message: String
        /// The metadata given with it (not the logger's own).
        public let metadata: Logger.Metadata
    }

    private let recorded = Mutex<[Entry]>([])

    /// An empty recorder.
    public init() {}

    /// Every event so far, in order.
    public var entries: [Entry] { recorded.withLock { $0 } }

    /// Every event's message so far, in order.
    public var messages: [String] { entries.map(\.message) }

    /// A logger whose every event, of any level, this recorder keeps.
    public func logger(label: String = "test") -> Logger {
        Logger(label: label) { _ in Handler(recorder: self) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let entry = Entry(level: event.level, message: event.message.description, metadata: event.metadata ?? [:])
            recorder.recorded.withLock { $0.append(entry) }
        }
    }
}
