import Foundation
import SwitchboardCore
import Synchronization
import Testing

extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func aFinishedCallCannotBeClaimedAndTheAgentStaysFree(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            try await store.recordRinging(.ringing("CA-1", tenant: .default, at: 0))
            #expect(try await store.finishCall("CA-1", at: Clock.at(5)) == .finishedNow)
            #expect(try await store.finishCall("CA-1", at: Clock.at(6)) == .finishedBefore, "a repeat still answers finished, not by it")
            #expect(try await store.finishCall("CA-unknown", at: Clock.at(6)) == .unknown)
            #expect(try await store.ringingCall("CA-unknown") == nil, "finishing an unknown call creates nothing")
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(6)) == .callEnded)
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(7)) == .callEnded)
            #expect(try await store.callWinner("CA-1") == nil)
            #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == nil)
            // Another call still rings and can be won.
            try await store.recordRinging(.ringing("CA-2", tenant: .default, at: 1))
            #expect(try await store.claimCall("CA-2", tenant: .default, agentIdentity: "amy", at: Clock.at(8)) == .won)
            // An agent on a call hears that first, as for any other claim.
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(9)) == .agentBusy(currentCallSid: "CA-2"))
        }
    }

    /// The voice service records a call the store never heard of at its end, finished (see
    /// `VoiceService.recordCallEnd`): its ringing record, or a claim, that the store gets later (retried
    /// while the store was failing) then find it over, rather than listing it ringing again or putting
    /// an agent on it for good.
    @Test(arguments: StoreKind.allCases)
    func aCallRecordedAtItsEndStaysOverWhenItsRingingRecordOrAClaimComesLate(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            #expect(try await store.finishCall("CA-late", at: Clock.at(30)) == .unknown)
            var atItsEnd = RingingCall.ringing("CA-late", tenant: .default, at: 30)
            atItsEnd.agentsRung = []
            try await store.recordRinging(atItsEnd)
            #expect(try await store.finishCall("CA-late", at: Clock.at(30)) == .finishedBefore)
            try await store.recordRinging(.ringing("CA-late", tenant: .default, at: 0))
            #expect(try await store.ringingCall("CA-late") == atItsEnd, "the late record changed the call")
            #expect(try await store.ringingCalls(in: .default).isEmpty, "the call rings again")
            #expect(try await store.claimCall("CA-late", tenant: .default, agentIdentity: "amy", at: Clock.at(1)) == .callEnded)
            #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == nil)
        }
    }

    /// A call that rings nobody goes to voicemail at once: it is recorded finished in the same write,
    /// so it is never listed as ringing nor won, and its record still gives its voicemail the caller.
    @Test(arguments: StoreKind.allCases)
    func aCallThatRingsNobodyIsRecordedFinished(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            var nobody = RingingCall.ringing("CA-nobody", tenant: .default, at: 3)
            nobody.agentsRung = []
            try await store.recordRinging(nobody)
            #expect(try await store.ringingCall("CA-nobody") == nobody)
            #expect(try await store.ringingCalls(in: .default).isEmpty)
            #expect(try await store.claimCall("CA-nobody", tenant: .default, agentIdentity: "amy", at: Clock.at(4)) == .callEnded)
            #expect(try await store.finishCall("CA-nobody", at: Clock.at(5)).isFinished, "it is already finished")
            #expect(try await store.agent(identity: "amy", in: .default).currentCallSid == nil)
            // A call that rings someone is listed as before.
            try await store.recordRinging(.ringing("CA-rings", tenant: .default, at: 6))
            #expect(try await store.ringingCalls(in: .default).map(\.callSid) == ["CA-rings"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAnsweredCallStaysAnsweredWhenItIsFinishedLater(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            try await store.recordRinging(.ringing("CA-1", tenant: .default, at: 0))
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(1)) == .won)
            // A finish never takes an answered call.
            #expect(try await store.finishCall("CA-1", at: Clock.at(2)) == .notFinished)
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "amy", at: Clock.at(3)) == .won)
            #expect(try await store.claimCall("CA-1", tenant: .default, agentIdentity: "bob", at: Clock.at(4)) == .alreadyAnswered(by: "amy"))
        }
    }

    /// Finishes racing through three instances (the last agents' declines at once, the dial's own end):
    /// exactly one finished the call, so exactly one sends the caller to voicemail.
    @Test(arguments: StoreKind.allCases)
    func ofFinishesRacingExactlyOneFinishesTheCall(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            for round in 0..<5 {
                let callSid = "CA-finish-\(round)"
                try await stores[0].recordRinging(.ringing(callSid, tenant: .default, at: round * 10))
                let finishes = try await withThrowingTaskGroup(of: CallFinish.self) { group in
                    for index in 0..<6 {
                        group.addTask { try await stores[index % stores.count].finishCall(callSid, at: Clock.at(round * 10 + 5)) }
                    }
                    var finishes: [CallFinish] = []
                    for try await finish in group { finishes.append(finish) }
                    return finishes
                }
                #expect(finishes.filter { $0 == .finishedNow }.count == 1, "round \(round): \(finishes)")
                #expect(finishes.filter { $0 == .finishedBefore }.count == 5, "round \(round): \(finishes)")
            }
        }
    }

    /// A claim racing the call's finish through three instances: each round ends with a winner whose
    /// current call is set, or with no winner and every agent free; never a winner on a finished call
    /// that nobody else could see, never an agent left busy with a call no one won.
    @Test(arguments: StoreKind.allCases)
    func claimsRacingTheCallsFinishLeaveAWinnerOrAFreeAgentNeverBoth(kind: StoreKind) async throws {
        try await kind.withStores(instances: 3) { stores async throws in
            let agents = ["amy", "bob", "cat", "dan"]
            for identity in agents { try await stores[0].upsertAgent(.new(identity)) }
            for round in 0..<8 {
                let callSid = "CA-race-\(round)"
                try await stores[0].recordRinging(.ringing(callSid, tenant: .default, at: round * 10))
                let finished = Finished()
                let outcomes = try await withThrowingTaskGroup(of: (String, ClaimOutcome?).self) { group in
                    group.addTask {
                        finished.set(try await stores[1].finishCall(callSid, at: Clock.at(round * 10 + 5)).isFinished)
                        return ("finish", nil)
                    }
                    for (index, identity) in agents.enumerated() {
                        group.addTask {
                            let outcome = try await stores[index % stores.count]
                                .claimCall(callSid, tenant: .default, agentIdentity: identity, at: Clock.at(round * 10 + 5))
                            return (identity, outcome)
                        }
                    }
                    var outcomes: [String: ClaimOutcome] = [:]
                    for try await (who, outcome) in group { if let outcome { outcomes[who] = outcome } }
                    return outcomes
                }
                let winners = outcomes.filter { $0.value == .won }.map(\.key)
                #expect(winners.count <= 1, "round \(round): \(outcomes)")
                let winner = try await stores[2].callWinner(callSid)
                #expect(winner == winners.first, "round \(round): \(outcomes)")
                for identity in agents {
                    let current = try await stores[2].agent(identity: identity, in: .default).currentCallSid
                    #expect(current == (identity == winner ? callSid : nil), "round \(round): \(identity) \(outcomes)")
                }
                // The finish took the call exactly when no one won it.
                #expect(finished.value == (winner == nil), "round \(round): \(outcomes)")
                if winner == nil {
                    #expect(outcomes.values.allSatisfy { $0 == .callEnded }, "round \(round): \(outcomes)")
                } else {
                    #expect(outcomes.values.allSatisfy { $0 == .won || $0 == .alreadyAnswered(by: winner!) }, "round \(round): \(outcomes)")
                }
                // Free the winner for the next round.
                try await stores[0].endCall(callSid, at: Clock.at(round * 10 + 9), wrapUpSeconds: 0)
            }
        }
    }
}

/// What a concurrent finish answered.
private final class Finished: Sendable {
    private let state = Mutex<Bool?>(nil)
    var value: Bool? { state.withLock { $0 } }
    func set(_ value: Bool) { state.withLock { $0 = value } }
}
