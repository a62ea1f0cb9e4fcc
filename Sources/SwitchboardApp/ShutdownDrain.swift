import Logging
import ServiceLifecycle
import Synchronization

/// The time between a shutdown signal and the moment the server stops accepting connections, in which
/// `/readyz` answers 503 while every request is still answered as before.
///
/// A load balancer that checks `/readyz` stops sending this instance new requests once it sees the 503;
/// the drain gives it the time to see it. Without one, the server would close its listening socket at
/// the signal, and the connections the kernel had already accepted for it, with their requests (a
/// Twilio webhook among them), would be reset: Twilio would tell the caller of an application error.
///
/// As a service it waits for the graceful shutdown, then drains for its duration before it returns.
/// It must be shut down before the application: in a `ServiceGroup`, list it after the application,
/// since a group shuts its services down in reverse order, each once the one after it has returned.
/// With a duration of zero nothing changes: the server stops accepting at the signal.
public final class ShutdownDrain: Service, Sendable {
    /// How long `/readyz` answers 503 before the server stops accepting.
    public let duration: Duration
    private let logger: Logger
    private let draining = Atomic<Bool>(false)

    /// A drain of `duration`; `logger` says when it starts.
    public init(duration: Duration, logger: Logger) {
        self.duration = duration
        self.logger = logger
    }

    /// Whether the drain has begun: `/readyz` then answers 503.
    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    public func run() async throws {
        // Cancellation (the group failing) ends the wait, and there is nothing to drain.
        guard (try? await gracefulShutdown()) != nil, !Task.isCancelled, duration > .zero else { return }
        draining.store(true, ordering: .releasing)
        logger.info("draining: /readyz answers 503, requests are still answered", metadata: ["for": "\(duration)"])
        try? await Task.sleep(for: duration)
    }
}
