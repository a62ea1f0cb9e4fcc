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

        var busyTimeoutMilliseconds: Int64 {
            let (seconds, attoseconds) = busyTimeout.components
            return max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }
    }
}
