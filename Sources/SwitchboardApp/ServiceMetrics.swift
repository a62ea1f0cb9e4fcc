import Metrics
import Prometheus

/// The service's metrics, written through swift-metrics into one Prometheus registry that `/metrics`
/// serves. The registry is the server's own, not the process-global metrics system, so tests and
/// several servers in one process never mix their figures.
public struct ServiceMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    /// Creates metrics on a fresh registry.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Counts one answered request by route and outcome, and records how long it took.
    func record(route: String, outcome: String, duration: Duration) {
        Counter(label: "switchboard_requests_total", dimensions: [("route", route), ("outcome", outcome)], factory: factory).increment()
        Timer(label: "switchboard_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> String { registry.emitToString() }
}
