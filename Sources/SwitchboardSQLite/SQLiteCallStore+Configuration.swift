extension SQLiteCallStore {
    /// How a store sets up its connection.
    public struct Configuration: Sendable {
        /// How long a statement waits for another connection's lock on the file before failing with
        /// `StoreError.timeout`. A statement whose caller's task is cancelled stops waiting sooner.
        public var busyTimeout: Duration

        /// How long the voice route may route calls from a read of the routing state without reading it
        /// again, while this process changes nothing (see ``SQLiteCallStore/recentRoutingSnapshot(forCalledNumber:at:limit:)``):
        /// the longest a change made by another process (a command-line tool, another service on the same
        /// file) may take to reach the calls this one routes. Changes this process makes are seen at once.
        /// Zero reads the routing state for every call.
        public var routingRecheckInterval: Duration

        /// How long the writer waits for more ringing records before it commits the ones the voice route
        /// queued without waiting, so that under load many calls' records share one commit and one wake-up
        /// of the writer's thread. A record lands at most this much later; anything awaited on the writer
        /// (a claim, a finish, an awaited write) ends the wait at once. Zero commits at once.
        public var recordLinger: Duration

        /// Creates a configuration.
        public init(
            busyTimeout: Duration = .seconds(5),
            routingRecheckInterval: Duration = .milliseconds(100),
            recordLinger: Duration = .milliseconds(1)
        ) {
            self.busyTimeout = busyTimeout
            self.routingRecheckInterval = routingRecheckInterval
            self.recordLinger = recordLinger
        }
    }
}
