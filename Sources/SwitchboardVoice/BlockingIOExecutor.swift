import Dispatch

/// A serial executor for an actor whose work blocks on the disk: its jobs run one at a time on a serial
/// dispatch queue, whose threads are not the cooperative pool's.
///
/// The cooperative pool has one thread per core (two here). A voicemail spool's `fsync` can take tens
/// of milliseconds on a busy disk, and it comes in bursts exactly when the store is down and every
/// voicemail is spooled; on the pool, two of them at once would stall every voice route until the disk
/// answered. On this executor they stall only the actor that asked for them.
final class BlockingIOExecutor: SerialExecutor {
    private let queue: DispatchQueue
    private static let marker = DispatchSpecificKey<ObjectIdentifier>()

    /// An executor on a new serial queue named `label`.
    init(label: String) {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: Self.marker, value: ObjectIdentifier(self))
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }

    /// Whether the caller runs on this executor's queue (for tests: the cooperative pool never does).
    var isCurrent: Bool { DispatchQueue.getSpecific(key: Self.marker) == ObjectIdentifier(self) }
}
