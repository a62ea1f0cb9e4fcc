import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardRouting
import SwitchboardWebhooks
import Testing

/// A call of a tenant other than the default one names its tenant in every callback URL Twilio gets
/// (`?tenant=…`), so its claim, ring events and voicemail land in that tenant even when the store never
/// recorded the call (the ringing record failed): before, they fell back to the default tenant, where
/// the tenant's agents could not claim it and its voicemail was filed in another tenant's inbox.
@Suite struct TenantCallbackTests {
    static let acme: TenantID = "acme"

    static func store() -> InMemoryCallStore {
        InMemoryCallStore(
            agents: [Agent(id: "id-ann", tenant: acme, identity: "ann", name: "Ann", email: "ann@example.com")],
            numbers: ["+15005550006": acme]
        )
    }

    /// The value of every `name="…"` attribute in a TwiML body, in order.
    static func attributes(_ name: String, in body: String) -> [String] {
        body.components(separatedBy: " \(name)=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// A URL of the service as the path (and query) to post to.
    static func path(_ url: String) -> String {
        String(url.dropFirst(AppTests.publicURL.count))
    }

    @Test(arguments: [TestingSetup.router, .live])
    func callbacksOfAnUnrecordedCallLandInTheTenantTheirURLNames(setup: TestingSetup) async throws {
        let store = Self.store()
        try await AppTests.app(store: store).test(setup) { client async throws in
            let ring = String(buffer: try await AppTests.post(client, "/twilio/voice", AppTests.voiceForm).body)
            let action = try #require(Self.attributes("action", in: ring).first)
            let screen = try #require(Self.attributes("url", in: ring).first)
            let status = try #require(Self.attributes("statusCallback", in: ring).first)
            #expect(action == AppTests.publicURL + "/twilio/dial-status?tenant=acme")
            #expect(screen == AppTests.publicURL + "/twilio/screen?tenant=acme")
            #expect(status == AppTests.publicURL + "/twilio/client-status?tenant=acme")

            // Another call of the same number whose ringing record the store never got.
            let leg: FormParameters = [
                "CallSid": "CAleg", "ParentCallSid": "CAlost", "AccountSid": "AC1", "From": "+14155551234", "To": "client:ann",
            ]
            #expect(String(buffer: try await AppTests.post(client, Self.path(screen), leg).body).hasSuffix("<Response />"))
            var missed = leg
            missed.append(name: "CallStatus", value: "no-answer")
            _ = try await AppTests.post(client, Self.path(status), missed)

            let dial: FormParameters = ["CallSid": "CAlost", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "no-answer"]
            let prompt = String(buffer: try await AppTests.post(client, Self.path(action), dial).body)
            let recording = try #require(Self.attributes("recordingStatusCallback", in: prompt).first)
            #expect(recording == AppTests.publicURL + "/twilio/recording-status?tenant=acme")
            let voicemail: FormParameters = [
                "CallSid": "CAlost", "AccountSid": "AC1", "RecordingSid": "RE1", "RecordingUrl": "https://x/RE1", "RecordingStatus": "completed",
            ]
            #expect(try await AppTests.post(client, Self.path(recording), voicemail).status == .ok)
        }
        #expect(try await store.callWinner("CAlost") == "ann")
        #expect(try await store.voicemails(in: Self.acme).map(\.recordingSid) == ["RE1"])
        #expect(try await store.voicemails(in: .default).isEmpty)
        #expect(try await store.ringEvents(in: Self.acme, after: 0, limit: 10).map(\.agentIdentity) == ["ann"])
        #expect(try await store.ringEvents(in: .default, after: 0, limit: 10).isEmpty)
    }

    /// The tenant is signed with the rest of the URL: a request whose query was changed after signing
    /// is refused, so nobody can file a callback under another tenant.
    @Test(arguments: [TestingSetup.router, .live])
    func aTenantChangedAfterSigningIsRefused(setup: TestingSetup) async throws {
        try await AppTests.app(store: Self.store()).test(setup) { client async throws in
            let voicemail: FormParameters = [
                "CallSid": "CA1", "AccountSid": "AC1", "RecordingSid": "RE1", "RecordingUrl": "https://x/RE1", "RecordingStatus": "completed",
            ]
            let headers = AppTests.signedHeaders("/twilio/recording-status?tenant=acme", voicemail)
            let response = try await AppTests.post(client, "/twilio/recording-status?tenant=globex", voicemail, headers: headers)
            #expect(response.status == .forbidden)
        }
    }

    /// A tenant whose name needs escaping (a space, `+`, `&`, `=`, non-ASCII) survives the round trip:
    /// written into the URLs, signed, sent over HTTP and read back.
    @Test(arguments: [TestingSetup.router, .live])
    func aTenantNameThatNeedsEscapingComesBackWhole(setup: TestingSetup) async throws {
        let tenant: TenantID = "Acme & Co+Ünïcode=1"
        let store = InMemoryCallStore(
            agents: [Agent(id: "id-ann", tenant: tenant, identity: "ann", name: "Ann", email: "ann@example.com")],
            numbers: ["+15005550006": tenant]
        )
        try await AppTests.app(store: store).test(setup) { client async throws in
            let ring = String(buffer: try await AppTests.post(client, "/twilio/voice", AppTests.voiceForm).body)
            let screen = try #require(Self.attributes("url", in: ring).first)
            #expect(RoutingConfiguration.tenant(inQuery: screen.split(separator: "?")[1]) == tenant)
            let leg: FormParameters = [
                "CallSid": "CAleg", "ParentCallSid": "CAlost", "AccountSid": "AC1", "From": "+14155551234", "To": "client:ann",
            ]
            #expect(String(buffer: try await AppTests.post(client, Self.path(screen), leg).body).hasSuffix("<Response />"))
        }
        #expect(try await store.callWinner("CAlost") == "ann")
    }

    /// A default-tenant call's URLs name no tenant, so a deployment with one tenant sees the same
    /// URLs as before.
    @Test func theDefaultTenantsURLsNameNoTenant() async throws {
        let ring = String(
            buffer: try await AppTests.app(store: InMemoryCallStore(agents: AppTests.agents(1))).test(.router) { client in
                try await AppTests.post(client, "/twilio/voice", AppTests.voiceForm)
            }.body
        )
        #expect(!ring.contains("?tenant="))
        #expect(Self.attributes("url", in: ring) == [AppTests.publicURL + "/twilio/screen"])
    }
}
