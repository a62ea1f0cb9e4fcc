import Foundation
import SwitchboardCore
import SwitchboardHTTP
import SwitchboardPostgREST
import SwitchboardTestSupport
import Synchronization
import Testing

/// The Supabase store gives a call's voicemails their caller in separate updates, against a real
/// PostgreSQL behind the test gateway. A voicemail another instance stores between them must not end up
/// with the caller in the default tenant, where no later attach would find it to move it.
@Suite struct PostgRESTAttachGatewayTests {
    @Test func aVoicemailStoredBetweenTheUpdatesIsLeftForTheNextAttach() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let configuration = PostgRESTConfiguration(url: url, serviceRoleKey: gateway.serviceRoleKey)
            let other = PostgRESTCallStore(configuration: configuration, transport: TestGateway.transport)
            func voicemail(_ recordingSid: String) -> Voicemail {
                Voicemail(
                    recordingSid: recordingSid,
                    callSid: "CA-race",
                    tenant: .default,
                    caller: nil,
                    recordingURL: "https://api.twilio.com/\(recordingSid)",
                    durationSeconds: 5,
                    receivedAt: Clock.at(10)
                )
            }
            // Another instance stores this one once the first update of the attach is answered.
            let between = voicemail("RE-between")
            let hooked = AfterFirstMatch(
                inner: TestGateway.transport,
                matches: { $0.method == .patch && $0.url.contains("/voicemails?") },
                hook: { #expect((try? await other.saveVoicemail(between)) == true) }
            )
            let store = PostgRESTCallStore(configuration: configuration, transport: hooked)
            try await other.recordRinging(
                RingingCall(callSid: "CA-race", tenant: "acme", caller: "+15550001", called: "+15005550006", agentsRung: [], startedAt: Clock.at(1))
            )
            #expect(try await other.saveVoicemail(voicemail("RE-early")))

            let first = try await store.attachVoicemails(toCall: "CA-race")
            #expect(first == 1)
            #expect(hooked.ran)
            let unfiled = try await store.voicemails(in: .default)
            #expect(unfiled == [between], "given the caller in the default tenant")
            #expect(try await store.attachVoicemails(toCall: "CA-race") == 1, "the next attach finds it")
            #expect(
                try await store.voicemails(in: "acme").map { "\($0.recordingSid) \($0.caller ?? "-")" } == [
                    "RE-between +15550001", "RE-early +15550001",
                ]
            )
            #expect(try await store.voicemails(in: .default).isEmpty)
        }
    }
}

/// Passes requests to `inner`, and runs `hook` once, after the first request that `matches` is answered.
private final class AfterFirstMatch: HTTPTransport {
    let inner: any HTTPTransport
    let matches: @Sendable (HTTPRequest) -> Bool
    let hook: @Sendable () async -> Void
    private let state = Mutex(false)

    init(inner: any HTTPTransport, matches: @escaping @Sendable (HTTPRequest) -> Bool, hook: @escaping @Sendable () async -> Void) {
        self.inner = inner
        self.matches = matches
        self.hook = hook
    }

    /// Whether the hook has run.
    var ran: Bool { state.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let response = try await inner.send(request)
        let runs =
            matches(request)
            && state.withLock { (ran) in
                defer { ran = true }
                return !ran
            }
        if runs { await hook() }
        return response
    }
}
