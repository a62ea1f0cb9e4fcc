import Foundation
import SwitchboardCore
import SwitchboardVoice
import Synchronization
import Testing

/// The time budget on store work: answers in time pass through, slow work is cancelled and becomes
/// `StoreError.timeout`, and one budget serves many runs at once.
@Suite struct StoreBudgetTests {
    /// Work that sleeps (cancellably) for `duration`, then answers `value`; cancelled, it fails as a store
    /// would, and counts the cancellation.
    static func slow(_ value: Int, for duration: Duration, cancellations: Cancellations) -> @Sendable () async throws(StoreError) -> Int {
        {
            () async throws(StoreError) -> Int in
            do {
                try await Task.sleep(for: duration)
            } catch {
                cancellations.count.add(1, ordering: .relaxed)
                throw .unavailable("cancelled")
            }
            return value
        }
    }

    final class Cancellations: Sendable {
        let count = Atomic<Int>(0)

        /// Waits up to 5 s for `expected` cancellations: the caller is answered at the deadline, and the
        /// cancelled work stops a moment later.
        func reach(_ expected: Int) async -> Int {
            for _ in 0..<500 where count.load(ordering: .relaxed) < expected {
                try? await Task.sleep(for: .milliseconds(10))
            }
            return count.load(ordering: .relaxed)
        }
    }

    @Test func workThatEndsInTimeGivesItsAnswer() async throws {
        let budget = StoreBudget(duration: .seconds(10))
        #expect(try await budget.run { () async throws(StoreError) in 42 } == 42)
        #expect(try await budget.run { () async throws(StoreError) in 43 } == 43)
    }

    @Test func workThatFailsInTimeGivesItsError() async {
        let budget = StoreBudget(duration: .seconds(10))
        await #expect(throws: StoreError.notFound) {
            try await budget.run { () async throws(StoreError) -> Int in throw .notFound("no such thing") }
        }
    }

    @Test func slowWorkIsCancelledAndTimesOut() async {
        let budget = StoreBudget(duration: .milliseconds(100))
        let cancellations = Cancellations()
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: StoreError.timeout) {
            try await budget.run(Self.slow(1, for: .seconds(60), cancellations: cancellations))
        }
        #expect(error?.message.contains("did not answer") == true)
        #expect(await cancellations.reach(1) == 1)
        #expect(start.duration(to: clock.now) < .seconds(30))
    }

    @Test func oneBudgetServesManyRunsAtOnceFastAndSlowAlike() async throws {
        let budget = StoreBudget(duration: .seconds(2))
        let cancellations = Cancellations()
        let outcomes = await withTaskGroup(of: (Int, Result<Int, StoreError>).self) { group in
            for index in 0..<60 {
                group.addTask {
                    // Every third run is slow; the others answer at once or after a short wait.
                    let duration: Duration = index % 3 == 0 ? .seconds(60) : .milliseconds(index % 3 == 1 ? 0 : 20)
                    do throws(StoreError) {
                        return (index, .success(try await budget.run(Self.slow(index, for: duration, cancellations: cancellations))))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var outcomes: [Int: Result<Int, StoreError>] = [:]
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
        for (index, outcome) in outcomes {
            if index % 3 == 0 {
                #expect(throws: StoreError.timeout) { try outcome.get() }
            } else {
                #expect(try outcome.get() == index)
            }
        }
        #expect(await cancellations.reach(20) == 20)
        // The budget still works after its queue emptied.
        #expect(try await budget.run { () async throws(StoreError) in 7 } == 7)
        await #expect(throws: StoreError.timeout) {
            try await budget.run(Self.slow(8, for: .seconds(60), cancellations: cancellations))
        }
    }

    @Test func cancellingTheCallerCancelsTheWork() async {
        let budget = StoreBudget(duration: .seconds(60))
        let cancellations = Cancellations()
        let work = Self.slow(1, for: .seconds(60), cancellations: cancellations)
        let caller = Task { () async throws(StoreError) -> Int in try await budget.run(work) }
        try? await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        // The work's own failure, not a timeout: the budget has not run out.
        await #expect(throws: StoreError.unavailable) { try await caller.value }
        #expect(cancellations.count.load(ordering: .relaxed) == 1)
    }

    /// Work that cannot stop (a blocking call, a request queued behind a busy connection pool) does not
    /// hold the caller past the budget: the caller gets the timeout, and the work's late answer is dropped.
    @Test func workThatIgnoresCancellationDoesNotHoldTheCallerPastTheBudget() async throws {
        let budget = StoreBudget(duration: .milliseconds(50))
        let finished = Cancellations()
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: StoreError.timeout) {
            try await budget.run { () async throws(StoreError) -> Int in
                let begun = ContinuousClock.now
                while ContinuousClock.now - begun < .seconds(3) { usleep(10_000) }
                finished.count.add(1, ordering: .relaxed)
                return 9
            }
        }
        #expect(start.duration(to: clock.now) < .seconds(2), "answered before the work ended")
        #expect(finished.count.load(ordering: .relaxed) == 0)
        #expect(await finished.reach(1) == 1, "the work still ran to its end")
    }

    /// Work that names its answer early (the voice route's decision, before the call's record): a budget
    /// that runs out gives that answer, and work that ends in time gives its own.
    @Test func anAnswerGivenEarlyStandsWhenTheBudgetRunsOut() async throws {
        let budget = StoreBudget(duration: .milliseconds(100))
        let cancellations = Cancellations()
        let early = try await budget.run(answeringEarly: { (answer) async throws(StoreError) -> Int in
            answer.set(1)
            return try await Self.slow(2, for: .seconds(60), cancellations: cancellations)()
        })
        #expect(early == 1)
        #expect(await cancellations.reach(1) == 1)
        let own = try await budget.run(answeringEarly: { (answer) async throws(StoreError) -> Int in
            answer.set(1)
            return 3
        })
        #expect(own == 3)
        await #expect(throws: StoreError.timeout) {
            try await budget.run(answeringEarly: { (_: ProvisionalAnswer<Int>) async throws(StoreError) -> Int in
                try await Self.slow(4, for: .seconds(60), cancellations: cancellations)()
            })
        }
    }
}
