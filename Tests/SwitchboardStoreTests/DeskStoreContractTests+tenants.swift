import Foundation
import SwitchboardCore
import Testing

extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func anotherTenantsParkedCallIsNotFoundAndUnchanged(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            // Amy's globex record, retired when she moved to acme, is the same identity in another tenant.
            try await store.upsertAgent(.new("amy", tenant: "globex"))
            try await store.moveAgent(.new("amy", tenant: "acme"), at: Clock.at(0))
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(0))

            await #expect(throws: StoreError.notFound) { try await store.parkedCall(id: parked.id, in: "globex") }
            await #expect(throws: StoreError.notFound) {
                try await store.retrieveParkedCall(id: parked.id, tenant: "globex", agentIdentity: "amy", at: Clock.at(1))
            }
            #expect(try await store.parkedCalls(in: "globex") == [])
            #expect(try await store.parkedCalls(in: "acme") == [parked])
            #expect(try await store.parkedCall(id: parked.id, in: "acme") == parked)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anotherTenantsHandoffIsNotFoundAndUnchanged(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            // Amy's globex record, retired when she moved to acme, is the same identity in another tenant.
            try await store.upsertAgent(.new("amy", tenant: "globex"))
            try await store.moveAgent(.new("amy", tenant: "acme"), at: Clock.at(0))
            let pending = try await store.createHandoff(tenant: "acme", conversationID: "conv-1", customerName: nil, summary: nil, at: Clock.at(0))
                .handoff
            let held = try await store.createHandoff(tenant: "acme", conversationID: "conv-2", customerName: nil, summary: nil, at: Clock.at(1))
                .handoff
            #expect(try await store.pickUpHandoff(id: held.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(2)).isPickedUp)
            let before = try await store.handoffs(in: "acme", status: nil)

            await #expect(throws: StoreError.notFound) {
                try await store.pickUpHandoff(id: pending.id, tenant: "globex", agentIdentity: "amy", at: Clock.at(3))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.releaseHandoff(id: held.id, tenant: "globex", agentIdentity: "amy", at: Clock.at(3))
            }
            #expect(try await store.handoffs(in: "globex", status: nil) == [])
            #expect(try await store.handoffs(in: "acme", status: nil) == before)
            #expect(before.map(\.status) == [.pending, .active])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func capacityCountsOnlyTheChatsOfTheAgentsRecordInItsOwnTenant(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            var acmeAmy = Agent.new("amy", tenant: "acme")
            acmeAmy.chatCapacity = 1
            var globexAmy = Agent.new("amy", tenant: "globex")
            globexAmy.chatCapacity = 1
            // Amy holds a globex chat, then moves to acme: the chat stays with her retired globex record.
            try await store.upsertAgent(globexAmy)
            let globexChat = try await store.createHandoff(tenant: "globex", conversationID: "g-1", customerName: nil, summary: nil, at: Clock.at(0))
                .handoff
            #expect(try await store.pickUpHandoff(id: globexChat.id, tenant: "globex", agentIdentity: "amy", at: Clock.at(0)).isPickedUp)
            try await store.moveAgent(acmeAmy, at: Clock.at(0))
            let acmeChat = try await store.createHandoff(tenant: "acme", conversationID: "a-1", customerName: nil, summary: nil, at: Clock.at(1))
                .handoff
            let acmeSecond = try await store.createHandoff(tenant: "acme", conversationID: "a-2", customerName: nil, summary: nil, at: Clock.at(2))
                .handoff

            #expect(try await store.pickUpHandoff(id: acmeChat.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(4)).isPickedUp)
            #expect(
                try await store.pickUpHandoff(id: acmeSecond.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(5))
                    == .atCapacity(active: 1, capacity: 1)
            )
        }
    }

    /// A move returns the retired record's active chats to pending in its old tenant, where a colleague
    /// picks them up: nobody could release them once the record was retired. Its released chats, and
    /// other agents' chats, are left alone.
    @Test(arguments: StoreKind.allCases)
    func aMovedAgentsActiveChatsGoBackToPending(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            func chat(_ conversation: String) async throws -> ChatHandoff {
                try await store.createHandoff(tenant: "acme", conversationID: conversation, customerName: nil, summary: nil, at: Clock.at(0)).handoff
            }
            let first = try await chat("c-1")
            let second = try await chat("c-2")
            let done = try await chat("c-3")
            let bobs = try await chat("c-4")
            for handoff in [first, second, done] {
                _ = try await store.pickUpHandoff(id: handoff.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(1))
            }
            _ = try await store.pickUpHandoff(id: bobs.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(1))
            _ = try await store.releaseHandoff(id: done.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(2))

            let move = try await store.moveAgent(.new("amy", tenant: "globex"), at: Clock.at(10))
            #expect(move.retiredIn == "acme")
            #expect(move.chatsReturned == 2)
            let pending = try await store.handoffs(in: "acme", status: .pending)
            #expect(Set(pending.map(\.id)) == [first.id, second.id])
            #expect(pending.allSatisfy { $0.pickedUpBy == nil && $0.pickedUpAt == nil })
            #expect(try await store.handoffs(in: "acme", status: .active).map(\.id) == [bobs.id])
            #expect(try await store.handoffs(in: "acme", status: .released).map(\.id) == [done.id])
            // A colleague takes one; the conversation still has one open handoff, the same one.
            let taken = try await store.pickUpHandoff(id: first.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(11))
            guard case .pickedUp(let handoff) = taken else {
                Issue.record("a colleague could not pick up a returned chat: \(taken)")
                return
            }
            #expect(handoff.id == first.id && handoff.pickedUpBy == "bob")
            let again = try await store.createHandoff(tenant: "acme", conversationID: "c-2", customerName: nil, summary: nil, at: Clock.at(12))
            #expect(again.handoff.id == second.id)
            // A move with nothing to retire returns nothing.
            #expect(try await store.moveAgent(.new("cy", tenant: "globex"), at: Clock.at(13)).chatsReturned == 0)
        }
    }

    /// A record retired when its identity moved to another tenant takes no call of its old tenant: not
    /// one that was ringing it before the move, not its own park's ring-back, not a retrieval, not a
    /// park; nor a chat handoff.
    @Test(arguments: StoreKind.allCases)
    func aRetiredRecordTakesNoCallNoParkAndNoChat(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy", tenant: "acme"))
            try await store.upsertAgent(.new("bob", tenant: "acme"))
            // Amy parks an acme caller and is off the call; another call rings her and Bob; she moves.
            #expect(try await store.claimCall("CA-1", tenant: "acme", agentIdentity: "amy", at: Clock.at(0)) == .won)
            let parked = try await store.parkCall("CA-1", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(10))
            #expect(try await store.endCall("CA-1", of: "amy", in: "acme", at: Clock.at(11), wrapUpSeconds: 0))
            try await store.recordRinging(
                RingingCall(callSid: "CA-2", tenant: "acme", caller: "+1555", called: "+1666", agentsRung: ["amy", "bob"], startedAt: Clock.at(12))
            )
            try await store.moveAgent(.new("amy", tenant: "globex"), at: Clock.at(20))

            await #expect(throws: StoreError.notFound) {
                try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "amy", at: Clock.at(21))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.reclaimParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(21))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.retrieveParkedCall(id: parked.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(21))
            }
            await #expect(throws: StoreError.notFound) {
                try await store.parkCall("CA-3", tenant: "acme", slot: "park", parkedBy: "amy", at: Clock.at(21))
            }
            let chat = try await store.createHandoff(tenant: "acme", conversationID: "c-1", customerName: nil, summary: nil, at: Clock.at(21))
                .handoff
            await #expect(throws: StoreError.notFound) {
                try await store.pickUpHandoff(id: chat.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(22))
            }
            #expect(try await store.handoffs(in: "acme", status: .pending) == [chat])
            let retired = try await store.agent(identity: "amy", in: "acme")
            #expect(retired.isRetired && retired.currentCallSid == nil)
            #expect(try await store.callWinner("CA-2") == nil)
            #expect(try await store.parkedCalls(in: "acme") == [parked])
            // Bob, current, still can; and Amy's globex record is on no acme call.
            #expect(try await store.claimCall("CA-2", tenant: "acme", agentIdentity: "bob", at: Clock.at(22)) == .won)
            #expect(try await store.agent(identity: "amy", in: "globex").currentCallSid == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ringingCallsAndFinishingStayWithinTheTenant(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.recordRinging(.ringing("CA-1", tenant: "acme", at: 0))
            try await store.recordRinging(.ringing("CA-2", tenant: "globex", at: 1))
            #expect(try await store.ringingCalls(in: "acme").map(\.callSid) == ["CA-1"])
            #expect(try await store.ringingCalls(in: "globex").map(\.callSid) == ["CA-2"])
            #expect(try await store.ringingCalls(in: .default) == [])
        }
    }
}
