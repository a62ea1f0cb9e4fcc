extension SQLiteCallStore {
    /// How a store sets up its connection.
    public struct Configuration: Sendable {
        /// How long a statement waits for another connection's lock on the file before failing with
        /// `StoreError.timeout`. A statement whose caller's task is cancelled stops waiting sooner.
        public var busyTimeout: Duration

        /// Creates a configuration.
        public init(busyTimeout: Duration = .seconds(5)) {
            self.busyTimeout = busyTimeout
        }
    }
}
