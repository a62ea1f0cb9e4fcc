import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardVoice

/// `GET /healthz` (the process answers), `GET /readyz` (the store answers within the budget, and the
/// service is not draining for a shutdown, see ``ShutdownDrain``) and
/// `GET /metrics` (Prometheus text, with the voicemails and ring events waiting in `queues` read at each scrape).
struct HealthController<Store: CallStore>: Sendable {
    let store: Store
    let budget: Duration
    let metrics: ServiceMetrics
    let queues: RetryQueues
    let drain: ShutdownDrain?

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in Self.text(.ok, "ok") }
        router.get("/readyz") { _, context in
            if drain?.isDraining == true { return Self.text(.serviceUnavailable, "not ready: shutting down") }
            do {
                try await StoreBudget(duration: budget).run { () async throws(StoreError) in try await store.checkReady() }
                return Self.text(.ok, "ready")
            } catch {
                context.logger.warning("not ready", metadata: ["error": "\(error)"])
                return Self.text(.serviceUnavailable, "not ready: \(error)")
            }
        }
        router.get("/metrics") { _, _ in
            metrics.recordWaiting("voicemails", queues.voicemails.count)
            metrics.recordWaiting("ringing_calls", await queues.ringingCalls.count)
            metrics.recordWaiting("ring_events", await queues.ringEvents.count)
            metrics.recordWaiting("call_ends", await queues.callEnds.count)
            metrics.recordWaiting("claims", await queues.claims.count)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition()))
            )
        }
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
