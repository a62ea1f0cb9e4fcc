import ServiceLifecycle
import SwitchboardVoice

/// Stops the voicemail outbox and the ring events' retry queue when the application shuts down
/// gracefully, after the server has stopped taking requests (the application shuts its services down in
/// reverse order, the server first), so that what is left is logged, and waits in the spool, rather than
/// cut off mid-save.
struct OutboxShutdown: Service {
    let queues: RetryQueues

    func run() async throws {
        // Cancellation ends the wait too; either way the queues stop.
        try? await gracefulShutdown()
        await queues.stop()
    }
}
