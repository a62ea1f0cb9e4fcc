import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardWebhooks
import Testing

/// `GET /api/voicemails`: the tenant's voicemails, newest first, and only its own.
@Suite struct VoicemailsAPITests {
    static func voicemail(_ recordingSid: String, tenant: TenantID, at seconds: TimeInterval) -> Voicemail {
        Voicemail(
            recordingSid: recordingSid,
            callSid: "CA" + recordingSid,
            tenant: tenant,
            caller: "+14155551234",
            recordingURL: "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/\(recordingSid)",
            durationSeconds: 7,
            receivedAt: Date(timeIntervalSince1970: 1_800_000_000 + seconds)
        )
    }

    static func recordingSids(_ response: TestResponse) throws -> [String] {
        let list = try #require(try DeskHarness.object(response)["voicemails"] as? [[String: Any]])
        return list.compactMap { $0["recordingSid"] as? String }
    }

    @Test(arguments: StoreUnderTest.all)
    func theTenantsVoicemailsAreListedNewestFirst(store kind: StoreUnderTest) async throws {
        try await kind.withStore { store in
            for (sid, tenant, seconds) in [("RE1", "acme", 10.0), ("RE2", "acme", 30.0), ("RE3", "globex", 20.0), ("RE4", "acme", 20.0)] {
                #expect(try await store.saveVoicemail(Self.voicemail(sid, tenant: TenantID(tenant), at: seconds)))
            }
            try await DeskHarness.app(store: store).test(.router) { client in
                let all = try await client.api(.get, "/api/voicemails", token: DeskHarness.annToken)
                #expect(all.status == .ok)
                #expect(try Self.recordingSids(all) == ["RE2", "RE4", "RE1"])
                let first = try #require(try DeskHarness.object(all)["voicemails"] as? [[String: Any]]).first
                #expect(first?["recordingURL"] as? String == "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE2")
                #expect(first?["caller"] as? String == "+14155551234")
                #expect(first?["durationSeconds"] as? Int == 7)
                #expect(first?["receivedAt"] as? String == "2027-01-15T08:00:30Z")

                let newest = try await client.api(.get, "/api/voicemails?limit=1", token: DeskHarness.annToken)
                #expect(try Self.recordingSids(newest) == ["RE2"])
                #expect(try Self.recordingSids(try await client.api(.get, "/api/voicemails", token: DeskHarness.eveToken)) == ["RE3"])

                for bad in ["0", "1001", "ten", "-1"] {
                    let refused = try await client.api(.get, "/api/voicemails?limit=\(bad)", token: DeskHarness.annToken)
                    #expect(refused.status == .badRequest, "\(bad)")
                    #expect(try DeskHarness.errorCode(refused) == "invalid_request", "\(bad)")
                }
                #expect(try await client.api(.get, "/api/voicemails", token: nil).status == .unauthorized)
            }
        }
    }

    /// A voicemail Twilio reports through the signed route shows up in its tenant's list.
    @Test func aRecordedVoicemailIsListed() async throws {
        let store = InMemoryCallStore()
        try await DeskHarness.app(store: store).test(.live) { client in
            let form: FormParameters = [
                "AccountSid": "AC1", "CallSid": "CAvm", "RecordingSid": "REvm", "RecordingUrl": "https://api.twilio.com/REvm",
                "RecordingStatus": "completed", "RecordingDuration": "12",
            ]
            #expect(try await client.twilio("/twilio/recording-status?tenant=acme", form).status == .ok)
            let listed = try await client.api(.get, "/api/voicemails", token: DeskHarness.annToken)
            #expect(try Self.recordingSids(listed) == ["REvm"])
            #expect(try Self.recordingSids(try await client.api(.get, "/api/voicemails", token: DeskHarness.eveToken)).isEmpty)
        }
    }
}
