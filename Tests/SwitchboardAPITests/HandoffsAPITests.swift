import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import Testing

/// Chat handoffs: creating, listing, picking up (one winner, capacity) and releasing.
@Suite struct HandoffsAPITests {
    static func create(_ client: some TestClientProtocol, _ conversation: String, token: String = DeskHarness.annToken) async throws -> String {
        let response = try await client.api(
            .post,
            "/api/handoffs",
            token: token,
            json: #"{"conversationID":"\#(conversation)","customerName":"Cy","summary":"Refund"}"#
        )
        #expect(response.status == .created)
        return try #require(try DeskHarness.object(response)["id"] as? String)
    }

    @Test(arguments: StoreUnderTest.all)
    func handoffsAreCreatedAndListedByStatus(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                let first = try await Self.create(client, "conv-1")
                let second = try await Self.create(client, "conv-2")
                #expect(try await client.api(.post, "/api/handoffs/\(first)/pickup", token: DeskHarness.annToken).status == .ok)
                let pending = try DeskHarness.object(try await client.api(.get, "/api/handoffs?status=pending", token: DeskHarness.bobToken))
                let pendingList = try #require(pending["handoffs"] as? [[String: Any]])
                #expect(pendingList.compactMap { $0["id"] as? String } == [second])
                #expect(pendingList.first?["conversationID"] as? String == "conv-2")
                #expect(pendingList.first?["customerName"] as? String == "Cy")
                #expect(pendingList.first?["status"] as? String == "pending")
                let all = try DeskHarness.object(try await client.api(.get, "/api/handoffs", token: DeskHarness.bobToken))
                #expect((all["handoffs"] as? [[String: Any]])?.count == 2)
                let active = try DeskHarness.object(try await client.api(.get, "/api/handoffs?status=active", token: DeskHarness.bobToken))
                #expect((active["handoffs"] as? [[String: Any]])?.first?["pickedUpBy"] as? String == DeskHarness.ann)
            }
        }
    }

    /// Handing one conversation over again while its handoff is open (a retried request, a bot's
    /// second attempt) answers that handoff, 200, and makes no second card; once it is released, the
    /// conversation can be handed over anew (201).
    @Test(arguments: StoreUnderTest.all)
    func aConversationHandedOverTwiceHasOneOpenHandoff(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                let id = try await Self.create(client, "conv-1")
                let repeated = try await client.api(.post, "/api/handoffs", token: DeskHarness.annToken, json: #"{"conversationID":"conv-1"}"#)
                #expect(repeated.status == .ok)
                let body = try DeskHarness.object(repeated)
                #expect(body["id"] as? String == id)
                #expect(body["customerName"] as? String == "Cy", "the open handoff, unchanged")
                #expect(try await client.api(.post, "/api/handoffs/\(id)/pickup", token: DeskHarness.annToken).status == .ok)
                let whileActive = try await client.api(.post, "/api/handoffs", token: DeskHarness.annToken, json: #"{"conversationID":"conv-1"}"#)
                #expect(whileActive.status == .ok)
                #expect(try DeskHarness.object(whileActive)["status"] as? String == "active")
                let all = try DeskHarness.object(try await client.api(.get, "/api/handoffs", token: DeskHarness.bobToken))
                #expect((all["handoffs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])

                #expect(try await client.api(.post, "/api/handoffs/\(id)/release", token: DeskHarness.annToken).status == .ok)
                let anew = try await Self.create(client, "conv-1")
                #expect(anew != id)
            }
        }
    }

    @Test func badHandoffRequestsAre400() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.router) { client in
            let badStatus = try await client.api(.get, "/api/handoffs?status=done", token: DeskHarness.annToken)
            #expect(badStatus.status == .badRequest)
            #expect(try DeskHarness.errorCode(badStatus) == "invalid_request")
            let long = String(repeating: "c", count: 257)
            for body in [
                "{}", #"{"conversationID":""}"#, #"{"conversationID":7}"#, "{", #"{"conversationID":"   "}"#, #"{"conversationID":"a\u0000b"}"#,
                #"{"conversationID":"a\nb"}"#, #"{"conversationID":"\#(long)"}"#, #"{"conversationID":"c1","summary":"a\u0000b"}"#,
                #"{"conversationID":"c1","customerName":"\u0000"}"#,
            ] {
                let response = try await client.api(.post, "/api/handoffs", token: DeskHarness.annToken, json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try DeskHarness.errorCode(response) == "invalid_request", "\(body)")
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func twoAgentsPickingUpOneHandoffHaveOneWinner(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.bobToken)
                let id = try await Self.create(client, "conv-race")
                let results = try await withThrowingTaskGroup(of: (agent: String, status: Int, error: String?, pickedUpBy: String?).self) { group in
                    for (identity, token) in [(DeskHarness.ann, DeskHarness.annToken), (DeskHarness.bob, DeskHarness.bobToken)] {
                        group.addTask {
                            let response = try await client.api(.post, "/api/handoffs/\(id)/pickup", token: token)
                            let body = try DeskHarness.object(response)
                            return (identity, response.status.code, body["error"] as? String, body["pickedUpBy"] as? String)
                        }
                    }
                    var all: [(agent: String, status: Int, error: String?, pickedUpBy: String?)] = []
                    for try await result in group { all.append(result) }
                    return all
                }
                let winner = try #require(results.first { $0.status == 200 })
                let loser = try #require(results.first { $0.status == 409 })
                #expect(winner.pickedUpBy == winner.agent)
                #expect(loser.error == "already_picked_up")
                #expect(loser.pickedUpBy == winner.agent)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func anAgentAtCapacityCannotPickUpUntilItReleasesOne(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                var agent = try await store.agent(identity: DeskHarness.ann, in: "acme")
                agent.chatCapacity = 2
                try await store.upsertAgent(agent)
                var ids: [String] = []
                for index in 0..<3 { ids.append(try await Self.create(client, "conv-\(index)")) }
                #expect(try await client.api(.post, "/api/handoffs/\(ids[0])/pickup", token: DeskHarness.annToken).status == .ok)
                #expect(try await client.api(.post, "/api/handoffs/\(ids[1])/pickup", token: DeskHarness.annToken).status == .ok)
                let full = try await client.api(.post, "/api/handoffs/\(ids[2])/pickup", token: DeskHarness.annToken)
                #expect(full.status == .conflict)
                let body = try DeskHarness.object(full)
                #expect(body["error"] as? String == "at_capacity")
                #expect(body["active"] as? Int == 2)
                #expect(body["capacity"] as? Int == 2)

                let released = try await client.api(.post, "/api/handoffs/\(ids[0])/release", token: DeskHarness.annToken)
                #expect(released.status == .ok)
                #expect(try DeskHarness.object(released)["status"] as? String == "released")
                #expect(try await client.api(.post, "/api/handoffs/\(ids[2])/pickup", token: DeskHarness.annToken).status == .ok)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func onlyTheHolderReleasesAnActiveHandoff(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store).test(.router) { client in
                let id = try await Self.create(client, "conv-r")
                let pending = try await client.api(.post, "/api/handoffs/\(id)/release", token: DeskHarness.annToken)
                #expect(pending.status == .conflict)
                #expect(try DeskHarness.errorCode(pending) == "handoff_not_active")
                #expect(try await client.api(.post, "/api/handoffs/\(id)/pickup", token: DeskHarness.annToken).status == .ok)
                let other = try await client.api(.post, "/api/handoffs/\(id)/release", token: DeskHarness.bobToken)
                #expect(other.status == .conflict)
                #expect(try DeskHarness.errorCode(other) == "handoff_not_active")
                let unknown = try await client.api(.post, "/api/handoffs/00000000-0000-4000-8000-000000000000/release", token: DeskHarness.annToken)
                #expect(unknown.status == .notFound)
                #expect(try DeskHarness.errorCode(unknown) == "handoff_not_found")
                let unknownPickup = try await client.api(
                    .post,
                    "/api/handoffs/00000000-0000-4000-8000-000000000000/pickup",
                    token: DeskHarness.annToken
                )
                #expect(unknownPickup.status == .notFound)
            }
        }
    }

    @Test func handoffsWorkOverRealLoopback() async throws {
        try await DeskHarness.app(store: InMemoryCallStore()).test(.live) { client in
            let id = try await Self.create(client, "conv-live")
            #expect(try await client.api(.get, "/api/handoffs?status=pending", token: DeskHarness.annToken).status == .ok)
            #expect(try await client.api(.post, "/api/handoffs/\(id)/pickup", token: DeskHarness.annToken).status == .ok)
            let again = try await client.api(.post, "/api/handoffs/\(id)/pickup", token: DeskHarness.bobToken)
            #expect(try DeskHarness.errorCode(again) == "already_picked_up")
            #expect(try await client.api(.post, "/api/handoffs/\(id)/release", token: DeskHarness.annToken).status == .ok)
            // Released: closed for everyone, the releaser included, and the answer names who released it.
            for token in [DeskHarness.bobToken, DeskHarness.annToken] {
                let closed = try await client.api(.post, "/api/handoffs/\(id)/pickup", token: token)
                #expect(closed.status == .conflict)
                #expect(try DeskHarness.errorCode(closed) == "handoff_released")
                #expect(String(buffer: closed.body).contains("released this handoff: it is closed"), "\(String(buffer: closed.body))")
            }
        }
    }
}
