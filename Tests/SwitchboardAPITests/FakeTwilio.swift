import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A local stand-in for Twilio's REST API: `POST /2010-04-01/Accounts/{sid}/Calls/{call}.json`
/// answers 200 only with the right basic auth (checked against a header written out by hand) and a
/// form body, and records every request it accepted; `GET` of the same path answers the calls it was
/// given.
actor FakeTwilio {
    struct Received: Equatable {
        var account: String
        var call: String
        var form: [String: String]
        var contentType: String?
    }

    static let accountSID = "AC00000000000000000000000000000001"
    static let authToken = "twilio-auth-token-1"
    /// `Basic base64("AC00000000000000000000000000000001:twilio-auth-token-1")`, computed outside Swift.
    static let expectedAuthorization = "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMTp0d2lsaW8tYXV0aC10b2tlbi0x"

    private(set) var received: [Received] = []
    private(set) var refused = 0
    /// How long an accepted redirect takes to be answered (it is carried out at once, as a slow Twilio
    /// would).
    let answerDelay: Duration

    /// The calls `GET …/Calls/{call}.json` knows, by SID: (from, to, status). Any other is 404.
    let calls: [String: (from: String, to: String, status: String)]

    init(answerDelay: Duration = .zero, calls: [String: (from: String, to: String, status: String)] = [:]) {
        self.answerDelay = answerDelay
        self.calls = calls
    }

    /// A call resource as Twilio's API documents it (every field, most of them unused here), written out by
    /// hand rather than by the client's decoder.
    static func callJSON(_ sid: String, from: String, to: String, status: String) -> String {
        """
        {"account_sid":"\(accountSID)","annotation":null,"answered_by":null,"api_version":"2010-04-01",\
        "caller_name":null,"date_created":"Tue, 24 Nov 2026 08:00:00 +0000","date_updated":"Tue, 24 Nov 2026 08:00:05 +0000",\
        "direction":"inbound","duration":"0","end_time":null,"forwarded_from":null,"from":"\(from)",\
        "from_formatted":"\(from)","group_sid":null,"parent_call_sid":null,"phone_number_sid":null,"price":null,\
        "price_unit":"USD","sid":"\(sid)","start_time":"Tue, 24 Nov 2026 08:00:01 +0000","status":"\(status)",\
        "subresource_uris":{"recordings":"/2010-04-01/Accounts/\(accountSID)/Calls/\(sid)/Recordings.json"},\
        "to":"\(to)","to_formatted":"\(to)","trunk_sid":null,"uri":"/2010-04-01/Accounts/\(accountSID)/Calls/\(sid).json",\
        "queue_time":"0"}
        """
    }

    func accept(_ received: Received) { self.received.append(received) }
    func refuse() { refused += 1 }

    /// Decodes `a=b&c=d` with `+` as space, independently of the client's encoder.
    static func decodeForm(_ text: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                (part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding) ?? String(part)
            }
            form[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return form
    }

    /// The fake's application, for `.test(.live)`.
    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/2010-04-01/Accounts/:account/Calls/:file") { request, context -> Response in
            guard request.headers[.authorization] == Self.expectedAuthorization else {
                await self.refuse()
                return Response(
                    status: .unauthorized,
                    headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"code":20003,"message":"Authenticate","status":401}"#))
                )
            }
            var request = request
            let body = try await request.collectBody(upTo: 10_000)
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".json") else { return Response(status: .notFound) }
            await self.accept(
                Received(
                    account: try context.parameters.require("account"),
                    call: String(file.dropLast(5)),
                    form: Self.decodeForm(String(buffer: body)),
                    contentType: request.headers[.contentType]
                )
            )
            try await Task.sleep(for: self.answerDelay)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"sid":"CA1","status":"in-progress"}"#))
            )
        }
        router.get("/2010-04-01/Accounts/:account/Calls/:file") { request, context -> Response in
            guard request.headers[.authorization] == Self.expectedAuthorization else {
                return Response(status: .unauthorized)
            }
            let file = try context.parameters.require("file")
            let sid = String(file.dropLast(".json".count))
            guard file.hasSuffix(".json"), let call = self.calls[sid] else {
                let notFound = #"{"code":20404,"message":"The requested resource was not found","status":404}"#
                return Response(status: .notFound, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: notFound)))
            }
            let json = Self.callJSON(sid, from: call.from, to: call.to, status: call.status)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        var logger = Logger(label: "fake-twilio")
        logger.logLevel = .critical
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    }
}
