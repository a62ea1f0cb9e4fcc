import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import SwitchboardWebhooks
import Testing

/// An agent who misses N rings in a row is set away, through Twilio's client-status callbacks.
@Suite struct MissedRingsTests {
    static func missed(_ callSid: String, _ identity: String, status: String = "no-answer") -> FormParameters {
        [
            "AccountSid": "AC1", "CallSid": "CAleg\(callSid)", "ParentCallSid": callSid, "CallStatus": status,
            "To": "client:\(identity)", "From": "+14155551234", "Direction": "outbound-dial",
        ]
    }

    @Test(arguments: StoreUnderTest.all)
    func threeMissedRingsInARowSetTheAgentAway(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, desk: DeskHarness.desk(missedRingsBeforeAway: 3)).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                for index in 1...3 {
                    let callSid = "CAmiss\(index)"
                    try await store.recordRinging(DeskHarness.ringing(callSid, agents: [DeskHarness.ann]))
                    let response = try await client.twilio("/twilio/client-status", Self.missed(callSid, DeskHarness.ann))
                    #expect(response.status == .ok)
                    let presence = try await store.agent(identity: DeskHarness.ann, in: "acme").presence
                    #expect(presence == (index < 3 ? .available : .away), "after \(index) missed")
                }
                // The event every dashboard sees says why.
                let away = try await store.ringEvents(in: "acme", after: 0, limit: 100).filter { $0.kind == .away }
                #expect(away.map(\.agentIdentity) == [DeskHarness.ann])
                #expect(away.first?.detail == "missed 3 rings in a row")
                #expect(away.first?.callSid == "CAmiss3")
            }
        }
    }

    /// In a ring-all, Twilio cancels the legs of every agent another agent beat to the answer: an agent
    /// who is beaten three times, or whose rings a hanging-up caller cut short, stays available, and such
    /// a ring starts the count again.
    @Test(arguments: StoreUnderTest.all)
    func ringsCanceledByAnotherAgentsAnswerDoNotSetTheAgentAway(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, desk: DeskHarness.desk(missedRingsBeforeAway: 3)).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                let statuses = ["canceled", "canceled", "canceled", "no-answer", "no-answer", "busy", "no-answer", "failed"]
                for (index, status) in statuses.enumerated() {
                    let callSid = "CAbeaten\(index)"
                    try await store.recordRinging(DeskHarness.ringing(callSid, agents: [DeskHarness.ann, DeskHarness.bob]))
                    #expect(try await client.twilio("/twilio/client-status", Self.missed(callSid, DeskHarness.ann, status: status)).status == .ok)
                }
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").presence == .available)
                #expect(try await store.ringEvents(in: "acme", after: 0, limit: 100).filter { $0.kind == .missed }.count == statuses.count)
                // A third ring in a row that rings out sets her away.
                try await store.recordRinging(DeskHarness.ringing("CAout", agents: [DeskHarness.ann]))
                _ = try await client.twilio("/twilio/client-status", Self.missed("CAout", DeskHarness.ann))
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").presence == .away)
            }
        }
    }

    @Test(arguments: StoreUnderTest.all)
    func aDeclineBetweenMissesStartsTheCountAgain(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, desk: DeskHarness.desk(missedRingsBeforeAway: 2), redirector: RecordingRedirector()).test(.router)
            {
                client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                try await store.recordRinging(DeskHarness.ringing("CAm1", agents: [DeskHarness.ann, DeskHarness.bob]))
                try await store.recordRinging(DeskHarness.ringing("CAd", agents: [DeskHarness.ann, DeskHarness.bob]))
                try await store.recordRinging(DeskHarness.ringing("CAm2", agents: [DeskHarness.ann, DeskHarness.bob]))
                _ = try await client.twilio("/twilio/client-status", Self.missed("CAm1", DeskHarness.ann))
                #expect(try await client.api(.post, "/api/calls/CAd/decline", token: DeskHarness.annToken).status == .ok)
                _ = try await client.twilio("/twilio/client-status", Self.missed("CAm2", DeskHarness.ann))
                #expect(try await store.agent(identity: DeskHarness.ann, in: "acme").presence == .available)
            }
        }
    }

    /// Rung for two calls at once, Ann answers one and lets the other ring out. Her answer is in the
    /// store (her claim) before its ring event is recorded, so her last rings still read as missed: the
    /// rule must not set away an agent who is on a call.
    @Test(arguments: StoreUnderTest.all)
    func anAgentOnACallIsNotSetAwayByMissedRings(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            try await DeskHarness.app(store: store, desk: DeskHarness.desk(missedRingsBeforeAway: 3)).test(.router) { client in
                _ = try await client.api(.post, "/api/agents/sync", token: DeskHarness.annToken)
                for callSid in ["CAm1", "CAm2", "CAm3"] {
                    try await store.recordRinging(DeskHarness.ringing(callSid, agents: [DeskHarness.ann]))
                }
                _ = try await client.twilio("/twilio/client-status", Self.missed("CAm1", DeskHarness.ann))
                _ = try await client.twilio("/twilio/client-status", Self.missed("CAm2", DeskHarness.ann))
                #expect(try await store.claimCall("CAanswered", tenant: "acme", agentIdentity: DeskHarness.ann, at: Date()) == .won)
                #expect(try await client.twilio("/twilio/client-status", Self.missed("CAm3", DeskHarness.ann)).status == .ok)
                let ann = try await store.agent(identity: DeskHarness.ann, in: "acme")
                #expect(ann.presence == .available && ann.currentCallSid == "CAanswered")
                #expect(try await store.ringEvents(in: "acme", after: 0, limit: 100).filter { $0.kind == .away }.isEmpty)
            }
        }
    }
}
