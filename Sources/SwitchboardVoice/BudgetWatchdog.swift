import Synchronization

/// Cancels work that outlives its budget, for every run of one ``StoreBudget``, with one sleeping task
/// at most instead of a timer per run.
///
/// Every run registers a ``Ticket`` holding its deadline and how to cancel its work. All runs of one
/// budget have the same duration, so deadlines arrive in order and the tickets form a queue: a patrol
/// task sleeps until the deadline of the oldest ticket still pending, cancels the work of every ticket
/// past its deadline, drops the finished ones, and ends when the queue is empty (the next run starts
/// another). Under steady load it wakes about once per budget, however many runs there are.
///
/// A ticket is settled exactly once, under its own lock: either ``finish(_:)`` takes it back (the work
/// ended in time) or the patrol takes it and cancels the work (it did not).
final class BudgetWatchdog: Sendable {
    private let duration: Duration
    private let queue = Mutex(Queue())

    /// One run's deadline and the way to cancel its work, until one side takes it.
    final class Ticket: Sendable {
        let deadline: ContinuousClock.Instant
        fileprivate let cancel: Mutex<(@Sendable () -> Void)?>

        init(deadline: ContinuousClock.Instant, cancel: @escaping @Sendable () -> Void) {
            self.deadline = deadline
            self.cancel = Mutex(cancel)
        }

        /// Takes the cancel action, leaving nil: whoever gets it settles the ticket.
        fileprivate func take() -> (@Sendable () -> Void)? {
            cancel.withLock { action in
                defer { action = nil }
                return action
            }
        }

        fileprivate var isSettled: Bool { cancel.withLock { $0 == nil } }
    }

    /// The tickets in deadline order, from `head` on; the array is compacted now and then.
    private struct Queue {
        var tickets: [Ticket] = []
        var head = 0
        var isPatrolling = false

        var first: Ticket? { head < tickets.count ? tickets[head] : nil }

        mutating func removeFirst() {
            head += 1
            if head == tickets.count {
                tickets.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024, head * 2 >= tickets.count {
                tickets.removeFirst(head)
                head = 0
            }
        }
    }

    init(duration: Duration) { self.duration = duration }

    /// Registers a run that started now: `cancel` is called once its budget has passed, unless
    /// ``finish(_:)`` came first.
    func watch(cancel: @escaping @Sendable () -> Void) -> Ticket {
        // The deadline is read under the lock, so the queue stays in deadline order.
        let (ticket, startPatrol) = queue.withLock { queue -> (Ticket, Bool) in
            let ticket = Ticket(deadline: .now + duration, cancel: cancel)
            queue.tickets.append(ticket)
            guard !queue.isPatrolling else { return (ticket, false) }
            queue.isPatrolling = true
            return (ticket, true)
        }
        if startPatrol {
            Task { await self.patrol() }
        }
        return ticket
    }

    /// Settles a run whose work has ended. Returns true when the budget had already run out (and the work
    /// was cancelled), false when the work ended in time.
    func finish(_ ticket: Ticket) -> Bool {
        ticket.take() == nil
    }

    private func patrol() async {
        while true {
            var expired: [Ticket] = []
            let next = queue.withLock { queue -> ContinuousClock.Instant? in
                let now = ContinuousClock.now
                while let first = queue.first {
                    if first.deadline <= now {
                        expired.append(first)
                    } else if !first.isSettled {
                        return first.deadline
                    }
                    queue.removeFirst()
                }
                queue.isPatrolling = false
                return nil
            }
            for ticket in expired {
                ticket.take()?()
            }
            guard let next else { return }
            try? await Task.sleep(until: next, clock: .continuous)
        }
    }
}
