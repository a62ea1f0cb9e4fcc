import Foundation
import Hummingbird
import Logging
import NIOCore

/// A local stand-in for Twilio's REST API, for tests over real sockets:
/// - `POST /2010-04-01/Accounts/{sid}/Calls/{call}.json` answers 200 only with the right basic auth
///   (checked against a header written out by hand) and a form body, and records every request it
///   accepted; `GET` of the same path answers the calls it was given;
/// - `GET …/Queues.json` lists the queues it was given, a few to a page as Twilio pages them, and
///   `DELETE …/Queues/{sid}.json` deletes an empty one (204), refuses one with a caller (400) and
///   answers 404 for an unknown one.
public actor FakeTwilio {
    /// A redirect the fake accepted.
    public struct Received: Equatable, Sendable {
        public var account: String
        public var call: String
        public var form: [String: String]
        public var contentType: String?

        /// Creates a record.
        public init(account: String, call: String, form: [String: String], contentType: String?) {
            self.account = account
            self.call = call
            self.form = form
            self.contentType = contentType
        }
    }

    /// A queue of the fake's account.
    public struct Queue: Equatable, Sendable {
        public var sid: String
        public var name: String
        public var size: Int

        /// Creates a queue.
        public init(sid: String, name: String, size: Int = 0) {
            self.sid = sid
            self.name = name
            self.size = size
        }
    }

    /// The account the fake serves.
    public static let accountSID = "AC00000000000000000000000000000001"
    /// Its Auth Token.
    public static let authToken = "twilio-auth-token-1"
    /// `Basic base64("AC00000000000000000000000000000001:twilio-auth-token-1")`, computed outside Swift.
    static let expectedAuthorization = "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMTp0d2lsaW8tYXV0aC10b2tlbi0x"

    /// The redirects accepted, in order.
    public private(set) var received: [Received] = []
    /// How many requests were refused for their credentials.
    public private(set) var refused = 0
    /// How long an accepted redirect takes to be answered (it is carried out at once, as a slow Twilio
    /// would).
    let answerDelay: Duration

    /// The calls `GET …/Calls/{call}.json` knows, by SID: (from, to, status). Any other is 404.
    let calls: [String: (from: String, to: String, status: String)]

    /// The account's queues, in the order Twilio lists them.
    public private(set) var queues: [Queue]
    /// The SIDs of every `DELETE` of a queue, in order, whatever its answer.
    public private(set) var deleteRequests: [String] = []
    /// The most queues a page of the list holds, whatever `PageSize` asks.
    let queuesPerPage: Int

    /// Creates a fake with these calls and queues.
    public init(
        answerDelay: Duration = .zero,
        calls: [String: (from: String, to: String, status: String)] = [:],
        queues: [Queue] = [],
        queuesPerPage: Int = 2
    ) {
        self.answerDelay = answerDelay
        self.calls = calls
        self.queues = queues
        self.queuesPerPage = queuesPerPage
    }

    /// The `DELETE` requests once there are `count` of them, or after `limit`.
    public func deleteRequests(awaiting count: Int, within limit: Duration = .seconds(2)) async -> [String] {
        await polled(within: limit, reading: { deleteRequests }, until: { $0.count >= count })
    }

    /// Deletes queue `sid` as Twilio does; answers the HTTP status of the answer.
    func deleteQueue(_ sid: String) -> Int {
        deleteRequests.append(sid)
        guard let index = queues.firstIndex(where: { $0.sid == sid }) else { return 404 }
        guard queues[index].size == 0 else { return 400 }
        queues.remove(at: index)
        return 204
    }

    /// The page of the queue list that starts at `start`, and where the next one starts, if any.
    func queuePage(start: Int, size: Int) -> (queues: [Queue], next: Int?) {
        let end = min(queues.count, start + max(1, min(size, queuesPerPage)))
        guard start < end else { return ([], nil) }
        return (Array(queues[start..<end]), end < queues.count ? end : nil)
    }

    /// A queue resource as Twilio's API documents it, written out by hand.
    static func queueJSON(_ queue: Queue) -> String {
        """
        {"date_updated":"Tue, 24 Nov 2026 08:00:05 +0000","current_size":\(queue.size),"friendly_name":"\(queue.name)",\
        "uri":"/2010-04-01/Accounts/\(accountSID)/Queues/\(queue.sid).json","account_sid":"\(accountSID)","average_wait_time":0,\
        "sid":"\(queue.sid)","date_created":"Tue, 24 Nov 2026 08:00:00 +0000","max_size":1000,\
        "subresource_uris":{"members":"/2010-04-01/Accounts/\(accountSID)/Queues/\(queue.sid)/Members.json"}}
        """
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

    /// The fake's application, for HummingbirdTesting's `.test(.live)`.
    public func application() -> some ApplicationProtocol {
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
        router.get("/2010-04-01/Accounts/:account/Queues.json") { request, _ -> Response in
            guard request.headers[.authorization] == Self.expectedAuthorization else { return Response(status: .unauthorized) }
            let query = request.uri.queryParameters
            let start = query["PageToken"].flatMap { Int($0.dropFirst(2)) } ?? 0
            let size = query["PageSize"].flatMap { Int($0) } ?? 50
            let page = await self.queuePage(start: start, size: size)
            let listPath = "/2010-04-01/Accounts/\(Self.accountSID)/Queues.json"
            let next = page.next.map { "\"\(listPath)?PageSize=\(size)&Page=1&PageToken=PA\($0)\"" } ?? "null"
            let json = """
                {"end":\(start + page.queues.count - 1),"first_page_uri":"\(listPath)?PageSize=\(size)&Page=0",\
                "next_page_uri":\(next),"page":0,"page_size":\(size),"previous_page_uri":null,\
                "queues":[\(page.queues.map(Self.queueJSON).joined(separator: ","))],"start":\(start),"uri":"\(listPath)"}
                """
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        router.delete("/2010-04-01/Accounts/:account/Queues/:file") { request, context -> Response in
            guard request.headers[.authorization] == Self.expectedAuthorization else { return Response(status: .unauthorized) }
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".json") else { return Response(status: .notFound) }
            switch await self.deleteQueue(String(file.dropLast(".json".count))) {
            case 204:
                return Response(status: .noContent)
            case 400:
                let refused = #"{"code":20001,"message":"Queue is not empty","status":400}"#
                return Response(
                    status: .badRequest,
                    headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: refused))
                )
            default:
                let notFound = #"{"code":20404,"message":"The requested resource was not found","status":404}"#
                return Response(status: .notFound, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: notFound)))
            }
        }
        var logger = Logger(label: "fake-twilio")
        logger.logLevel = .critical
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    }
}
