import Foundation
import SwitchboardCore
import Testing

extension DeskStoreContractTests {
    @Test(arguments: StoreKind.allCases)
    func aNewHandoffIsPendingAndTheListIsOldestFirstOptionallyByStatus(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            let second = try await store.createHandoff(tenant: .default, conversationID: "conv-2", customerName: nil, summary: nil, at: Clock.at(20))
                .handoff
            let first = try await store.createHandoff(
                tenant: .default,
                conversationID: "conv-1",
                customerName: "Ada Lovelace",
                summary: "Wants a refund",
                at: Clock.at(10)
            ).handoff
            let third = try await store.createHandoff(tenant: .default, conversationID: "conv-3", customerName: nil, summary: nil, at: Clock.at(30))
                .handoff

            #expect(UUID(uuidString: first.id) != nil)
            #expect(Set([first.id, second.id, third.id]).count == 3)
            let expected = ChatHandoff(
                id: first.id,
                tenant: .default,
                conversationID: "conv-1",
                customerName: "Ada Lovelace",
                summary: "Wants a refund",
                status: .pending,
                createdAt: Clock.at(10)
            )
            #expect(first == expected)
            #expect(try await store.handoffs(in: .default, status: nil).map(\.conversationID) == ["conv-1", "conv-2", "conv-3"])
            #expect(try await store.handoffs(in: .default, status: nil).first == expected)

            #expect(try await store.pickUpHandoff(id: second.id, tenant: .default, agentIdentity: "amy", at: Clock.at(40)).isPickedUp)
            #expect(try await store.handoffs(in: .default, status: .pending).map(\.conversationID) == ["conv-1", "conv-3"])
            #expect(try await store.handoffs(in: .default, status: .active).map(\.conversationID) == ["conv-2"])
            #expect(try await store.handoffs(in: .default, status: .released) == [])
            try await store.releaseHandoff(id: second.id, tenant: .default, agentIdentity: "amy", at: Clock.at(50))
            #expect(try await store.handoffs(in: .default, status: .released).map(\.conversationID) == ["conv-2"])
            #expect(try await store.handoffs(in: .default, status: .active) == [])
            #expect(try await store.handoffs(in: "globex", status: nil) == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theFirstPickupWinsLaterOnesNameTheAgentAndItsRepeatChangesNothing(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            for identity in ["amy", "bob"] {
                try await store.upsertAgent(.new(identity, tenant: "acme"))
            }
            let handoff = try await store.createHandoff(tenant: "acme", conversationID: "conv-1", customerName: "Ada", summary: nil, at: Clock.at(0))
                .handoff

            let expected = ChatHandoff(
                id: handoff.id,
                tenant: "acme",
                conversationID: "conv-1",
                customerName: "Ada",
                status: .active,
                pickedUpBy: "bob",
                pickedUpAt: Clock.at(5),
                createdAt: Clock.at(0)
            )
            #expect(try await store.pickUpHandoff(id: handoff.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(5)) == .pickedUp(expected))
            #expect(
                try await store.pickUpHandoff(id: handoff.id, tenant: "acme", agentIdentity: "amy", at: Clock.at(6)) == .alreadyPickedUp(by: "bob")
            )
            #expect(try await store.pickUpHandoff(id: handoff.id, tenant: "acme", agentIdentity: "bob", at: Clock.at(7)) == .pickedUp(expected))
            #expect(
                try await store.pickUpHandoff(id: handoff.id.uppercased(), tenant: "acme", agentIdentity: "amy", at: Clock.at(8))
                    == .alreadyPickedUp(by: "bob")
            )
            #expect(try await store.handoffs(in: "acme", status: nil) == [expected])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAgentAtCapacityCannotPickUpUntilItReleasesOne(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            var amy = Agent.new("amy")
            amy.chatCapacity = 2
            try await store.upsertAgent(amy)
            try await store.upsertAgent(.new("bob"))
            var handoffs: [ChatHandoff] = []
            for index in 1...4 {
                handoffs.append(
                    try await store.createHandoff(
                        tenant: .default,
                        conversationID: "conv-\(index)",
                        customerName: nil,
                        summary: nil,
                        at: Clock.at(index)
                    ).handoff
                )
            }
            #expect(try await store.pickUpHandoff(id: handoffs[0].id, tenant: .default, agentIdentity: "amy", at: Clock.at(10)).isPickedUp)
            #expect(try await store.pickUpHandoff(id: handoffs[1].id, tenant: .default, agentIdentity: "amy", at: Clock.at(11)).isPickedUp)
            #expect(
                try await store.pickUpHandoff(id: handoffs[2].id, tenant: .default, agentIdentity: "amy", at: Clock.at(12))
                    == .atCapacity(active: 2, capacity: 2)
            )
            #expect(try await store.handoffs(in: .default, status: .pending).map(\.conversationID) == ["conv-3", "conv-4"])
            // Another agent's chats do not count against amy's capacity, nor hers against his.
            #expect(try await store.pickUpHandoff(id: handoffs[3].id, tenant: .default, agentIdentity: "bob", at: Clock.at(13)).isPickedUp)

            let released = try await store.releaseHandoff(id: handoffs[0].id, tenant: .default, agentIdentity: "amy", at: Clock.at(20))
            var expected = handoffs[0]
            expected.status = .released
            expected.pickedUpBy = "amy"
            expected.pickedUpAt = Clock.at(10)
            expected.releasedAt = Clock.at(20)
            #expect(released == expected)
            #expect(try await store.pickUpHandoff(id: handoffs[2].id, tenant: .default, agentIdentity: "amy", at: Clock.at(21)).isPickedUp)
            #expect(try await store.handoffs(in: .default, status: .active).map(\.conversationID) == ["conv-2", "conv-3", "conv-4"])

            // A lower capacity applies at once; zero takes no chats at all.
            amy.chatCapacity = 0
            try await store.upsertAgent(amy)
            let fifth = try await store.createHandoff(tenant: .default, conversationID: "conv-5", customerName: nil, summary: nil, at: Clock.at(30))
                .handoff
            #expect(
                try await store.pickUpHandoff(id: fifth.id, tenant: .default, agentIdentity: "amy", at: Clock.at(31))
                    == .atCapacity(active: 2, capacity: 0)
            )
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReleasedHandoffCannotBePickedUpAgainNorReleasedTwice(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            let handoff = try await store.createHandoff(tenant: .default, conversationID: "conv-1", customerName: nil, summary: nil, at: Clock.at(0))
                .handoff
            #expect(try await store.pickUpHandoff(id: handoff.id, tenant: .default, agentIdentity: "amy", at: Clock.at(1)).isPickedUp)
            let released = try await store.releaseHandoff(id: handoff.id, tenant: .default, agentIdentity: "amy", at: Clock.at(2))

            // Closed, for the releaser as for anyone else: not "already picked up" by someone who has it.
            #expect(try await store.pickUpHandoff(id: handoff.id, tenant: .default, agentIdentity: "bob", at: Clock.at(3)) == .released(by: "amy"))
            #expect(try await store.pickUpHandoff(id: handoff.id, tenant: .default, agentIdentity: "amy", at: Clock.at(3)) == .released(by: "amy"))
            await #expect(throws: StoreError.conflict) {
                try await store.releaseHandoff(id: handoff.id, tenant: .default, agentIdentity: "amy", at: Clock.at(4))
            }
            #expect(try await store.handoffs(in: .default, status: nil) == [released])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func releasingAHandoffThatIsNotActiveWithThisAgentIsAConflict(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            try await store.upsertAgent(.new("bob"))
            let pending = try await store.createHandoff(tenant: .default, conversationID: "conv-1", customerName: nil, summary: nil, at: Clock.at(0))
                .handoff
            let held = try await store.createHandoff(tenant: .default, conversationID: "conv-2", customerName: nil, summary: nil, at: Clock.at(1))
                .handoff
            #expect(try await store.pickUpHandoff(id: held.id, tenant: .default, agentIdentity: "amy", at: Clock.at(2)).isPickedUp)

            await #expect(throws: StoreError.conflict) {
                try await store.releaseHandoff(id: held.id, tenant: .default, agentIdentity: "bob", at: Clock.at(3))
            }
            await #expect(throws: StoreError.conflict) {
                try await store.releaseHandoff(id: pending.id, tenant: .default, agentIdentity: "amy", at: Clock.at(3))
            }
            await #expect(throws: StoreError.conflict) {
                try await store.releaseHandoff(id: held.id, tenant: .default, agentIdentity: "ghost", at: Clock.at(3))
            }
            #expect(try await store.handoffs(in: .default, status: .active).map(\.pickedUpBy) == ["amy"])
            #expect(try await store.handoffs(in: .default, status: .pending).map(\.id) == [pending.id])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anUnknownHandoffOrAgentIsNotFound(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            let handoff = try await store.createHandoff(tenant: .default, conversationID: "conv-1", customerName: nil, summary: nil, at: Clock.at(0))
                .handoff
            for id in [UUID().uuidString, "not-a-uuid", ""] {
                await #expect(throws: StoreError.notFound) {
                    try await store.pickUpHandoff(id: id, tenant: .default, agentIdentity: "amy", at: Clock.at(1))
                }
                await #expect(throws: StoreError.notFound) {
                    try await store.releaseHandoff(id: id, tenant: .default, agentIdentity: "amy", at: Clock.at(1))
                }
            }
            await #expect(throws: StoreError.notFound) {
                try await store.pickUpHandoff(id: handoff.id, tenant: .default, agentIdentity: "ghost", at: Clock.at(1))
            }
            #expect(try await store.handoffs(in: .default, status: nil) == [handoff])
        }
    }

    /// A conversation has one open handoff at most: creating it again (a retried request, a bot handing
    /// the chat over twice) finds the open one, pending or active, unchanged; once released, the
    /// conversation can be handed over again. Tenants do not share conversations.
    @Test(arguments: StoreKind.allCases)
    func aConversationHasOneOpenHandoffAtATime(kind: StoreKind) async throws {
        try await kind.withStore { store async throws in
            try await store.upsertAgent(.new("amy"))
            func create(in tenant: TenantID = .default, _ name: String?, _ summary: String?, at seconds: Int) async throws -> HandoffCreation {
                try await store.createHandoff(tenant: tenant, conversationID: "conv-1", customerName: name, summary: summary, at: Clock.at(seconds))
            }
            let first = try await create("Ada", "refund", at: 1)
            guard case .created(let pending) = first else {
                Issue.record("the first create found \(first)")
                return
            }
            #expect(pending.conversationID == "conv-1" && pending.status == .pending && pending.customerName == "Ada")
            #expect(try await create("Bea", nil, at: 2) == .alreadyOpen(pending), "a repeat finds the pending handoff, unchanged")

            let elsewhere = try await create(in: "acme", nil, nil, at: 3)
            guard case .created(let acme) = elsewhere else {
                Issue.record("another tenant's conversation found \(elsewhere)")
                return
            }
            #expect(acme.id != pending.id && acme.tenant == "acme")

            let outcome = try await store.pickUpHandoff(id: pending.id, tenant: .default, agentIdentity: "amy", at: Clock.at(4))
            guard case .pickedUp(let active) = outcome else {
                Issue.record("pickup: \(outcome)")
                return
            }
            #expect(try await create(nil, nil, at: 5) == .alreadyOpen(active), "a repeat finds the active handoff, unchanged")

            let released = try await store.releaseHandoff(id: pending.id, tenant: .default, agentIdentity: "amy", at: Clock.at(6))
            let again = try await create("Ada", "again", at: 7)
            guard case .created(let second) = again else {
                Issue.record("after the release, a create found \(again)")
                return
            }
            #expect(second.id != pending.id && second.status == .pending && second.summary == "again")
            #expect(try await store.handoffs(in: .default, status: nil) == [released, second])
        }
    }
}

extension PickupOutcome {
    /// Whether this is ``pickedUp(_:)``.
    var isPickedUp: Bool {
        if case .pickedUp = self { return true }
        return false
    }
}
