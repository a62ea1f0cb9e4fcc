extension SQLiteCallStore {
    /// How a store sets up its connection.
    public struct Configuration: Sendable {
        /// How long a statement waits for another connection's lock on the file before failing with
        /// `StoreError.timeout`. Rounded down to milliseconds.
        public var busyTimeout: Duration

        /// Creates a configuration.
        public init(busyTimeout: Duration = .seconds(5)) {
            self.busyTimeout = busyTimeout
        }

        /// The busy timeout as SQLite takes it: whole milliseconds, from zero to `Int32.max` (24 days).
        var busyTimeoutMilliseconds: Int64 {
            let (seconds, attoseconds) = busyTimeout.components
            guard seconds >= 0 else { return 0 }
            guard seconds < Int64(Int32.max) / 1000 else { return Int64(Int32.max) }
            return seconds * 1000 + attoseconds / 1_000_000_000_000_000
        }
    }
}
