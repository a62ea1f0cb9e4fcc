import Foundation
import HTTPTypes
import HummingbirdTesting
import SwitchboardCore
import SwitchboardWebhooks
import Testing

/// A park slot's Twilio queue is deleted once its caller has left it, in the background of Twilio's
/// `<Enqueue action>` (`/twilio/park-status`); never while the caller may still be in it. Over the wire
/// in ``TwilioRESTLoopbackTests``.
@Suite struct ParkSlotDeletionTests {
    static let queueSid = "QU0123456789abcdef0123456789abcdef"

    /// Parks `callSid` answered by Ann, then posts the slot's `<Enqueue action>` with `form` added.
    static func leave(_ callSid: String, _ form: [String: String], twilio: RecordingRedirector) async throws -> TestResponse {
        let store = InMemoryCallStore()
        return try await DeskHarness.app(store: store, redirector: twilio).test(.router) { client in
            try await ParkingAPITests.answered(callSid, store: store, client: client)
            let id = try await ParkingAPITests.park(callSid, client: client)
            var status: FormParameters = ["CallSid": callSid, "QueueTime": "5"]
            for (name, value) in form.sorted(by: { $0.key < $1.key }) { status.append(name: name, value: value) }
            return try await client.twilio("/twilio/park-status?tenant=acme&parked=\(id)", status)
        }
    }

    @Test(arguments: ["hangup", "leave", "bridged", "system-error"])
    func theSlotItsCallerLeftIsDeleted(result: String) async throws {
        let twilio = RecordingRedirector()
        let response = try await Self.leave("CAslot", ["QueueResult": result, "QueueSid": Self.queueSid], twilio: twilio)
        #expect(response.status == .ok)
        #expect(await twilio.deletedQueues(awaiting: 1) == [Self.queueSid])
    }

    /// A bridge still under way may need the slot, as may a new park of the call after a redirect; a
    /// callback without a queue SID names none to delete.
    @Test(arguments: [
        ["QueueResult": "bridging-in-process", "QueueSid": queueSid], ["QueueResult": "redirected-from-bridged", "QueueSid": queueSid],
        ["QueueResult": "hangup"],
        ["QueueResult": "hangup", "QueueSid": "QU1/../../Calls/CA1"],
    ])
    func aSlotThatMayHoldItsCallerOrIsNotNamedIsKept(form: [String: String]) async throws {
        let twilio = RecordingRedirector()
        let response = try await Self.leave("CAkept", form, twilio: twilio)
        #expect(response.status == .ok)
        #expect(await twilio.deletedQueues(awaiting: 1, within: .milliseconds(300)).isEmpty)
    }
}
