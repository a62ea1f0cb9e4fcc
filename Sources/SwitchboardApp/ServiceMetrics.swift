import Metrics
import Prometheus
import Synchronization

/// The service's metrics, written through swift-metrics into one Prometheus registry that `/metrics`
/// serves. The registry is the server's own, not the process-global metrics system, so tests and
/// several servers in one process never mix their figures.
///
/// Each counter and timer is made through the registry once, on first use, and kept: the registry's
/// own lookup (labels joined and hashed under its lock) cost more per request than the route's rendering.
public struct ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let handles = Handles()

    /// The counters and timers made so far, by their dimensions.
    private final class Handles: Sendable {
        let counters = Mutex<[Key: Metrics.Counter]>([:])
        let timers = Mutex<[String: Metrics.Timer]>([:])
    }

    /// A counter's dimensions. Both are a route path or a short outcome word, so a few dozen keys at most.
    private struct Key: Hashable {
        let route: String
        let outcome: String
    }

    /// Creates metrics on a fresh registry.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Counts one answered request by route and outcome, and records how long it took.
    func record(route: String, outcome: String, duration: Duration) {
        counter(route: route, outcome: outcome).increment()
        timer(route: route).recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Records how many items wait for the store, in the gauge `switchboard_<queue>_waiting`:
    /// - `voicemails`: voicemails the store refused, waiting in memory to be saved again (at most the
    ///   outbox's capacity, past which more wait on disk only); above zero for long, the store keeps
    ///   refusing them;
    /// - `ringing_calls`: records of ringing calls the store could not make; until they are made, the
    ///   call is on no dashboard;
    /// - `ring_events`: ring events the store could not record;
    /// - `call_ends`: ends of calls, or of agents' parts in them; until they are recorded, a call that
    ///   went to voicemail stays listed as ringing, and an agent whose call is over stays "on a call";
    /// - `claims`: claims of answering legs let through while the store failed.
    func recordWaiting(_ queue: String, _ count: Int) {
        Metrics.Gauge(label: "switchboard_\(queue)_waiting", factory: factory).record(count)
    }

    private func counter(route: String, outcome: String) -> Metrics.Counter {
        let key = Key(route: route, outcome: outcome)
        if let counter = handles.counters.withLock({ $0[key] }) { return counter }
        // Made outside the lock: the registry returns the same series for the same dimensions, so a race
        // here only makes one handle twice.
        let counter = Metrics.Counter(label: "switchboard_requests_total", dimensions: [("route", route), ("outcome", outcome)], factory: factory)
        handles.counters.withLock { $0[key] = counter }
        return counter
    }

    private func timer(route: String) -> Metrics.Timer {
        if let timer = handles.timers.withLock({ $0[route] }) { return timer }
        let timer = Metrics.Timer(label: "switchboard_request_duration_seconds", dimensions: [("route", route)], factory: factory)
        handles.timers.withLock { $0[route] = timer }
        return timer
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> String { registry.emitToString() }
}
