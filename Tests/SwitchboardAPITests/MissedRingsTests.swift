import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import SwitchboardWebhooks
import Testing

/// An agent who misses N rings in a row is set away, through Twilio's client-status callbacks.
@Suite struct MissedRingsTests {
    static func missed(_ callSid: String, _ identity: String) -> FormParameters {
        [
            "AccountSid": "AC1", "CallSid": "CAleg\(callSid)", "ParentCallSid": callSid, "CallStatus": "no-answer",
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
}
