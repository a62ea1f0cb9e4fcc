import SwitchboardHTTP
import SwitchboardTwilioREST
import Testing

/// The request the client builds, over a transport that records it.
@Suite struct TwilioRESTClientTests {
    final class Recorder: HTTPTransport, @unchecked Sendable {
        // Only touched by one request at a time in these tests.
        var requests: [HTTPRequest] = []
        let response: HTTPResponse

        init(response: HTTPResponse = HTTPResponse(status: 200, body: Array(#"{"sid":"CA1"}"#.utf8))) { self.response = response }

        func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            requests.append(request)
            return response
        }
    }

    static let configuration = TwilioRESTConfiguration(
        baseURL: "https://api.twilio.com/",
        accountSID: "AC00000000000000000000000000000001",
        authToken: "twilio-auth-token-1"
    )

    @Test func aRedirectIsAFormPostToTheCallResource() async throws {
        let recorder = Recorder()
        try await TwilioRESTClient(configuration: Self.configuration, transport: recorder)
            .redirectCall("CA9", to: "https://sb.example.com/twilio/park?tenant=acme&parked=1 2")
        let request = try #require(recorder.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Calls/CA9.json")
        #expect(request.header("authorization") == "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMTp0d2lsaW8tYXV0aC10b2tlbi0x")
        #expect(request.header("content-type") == "application/x-www-form-urlencoded")
        #expect(
            String(decoding: request.body ?? [], as: UTF8.self)
                == "Url=https%3A%2F%2Fsb.example.com%2Ftwilio%2Fpark%3Ftenant%3Dacme%26parked%3D1+2&Method=POST"
        )
    }

    @Test func pathSegmentsAreEscaped() async throws {
        let recorder = Recorder()
        try await TwilioRESTClient(configuration: Self.configuration, transport: recorder).redirectCall("CA/../x", to: "u")
        #expect(
            recorder.requests.first?.url == "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Calls/CA%2F..%2Fx.json"
        )
    }

    @Test func aNon2xxAnswerIsAnErrorWithTwiliosMessage() async throws {
        let body = #"{"code":21220,"message":"Call is not in-progress. Cannot redirect.","status":400}"#
        let recorder = Recorder(response: HTTPResponse(status: 400, body: Array(body.utf8)))
        let error = await #expect(throws: TwilioRESTError.self) {
            try await TwilioRESTClient(configuration: Self.configuration, transport: recorder).redirectCall("CA1", to: "u")
        }
        #expect(error?.status == 400)
        #expect(error?.message == "Call is not in-progress. Cannot redirect. (Twilio error 21220)")
        let bare = Recorder(response: HTTPResponse(status: 503, body: Array("oops".utf8)))
        let other = await #expect(throws: TwilioRESTError.self) {
            try await TwilioRESTClient(configuration: Self.configuration, transport: bare).redirectCall("CA1", to: "u")
        }
        #expect(other?.description == "HTTP 503: Twilio answered 503")
        // A 4xx is Twilio's refusal; a 5xx says nothing of whether the redirect happened.
        #expect(error?.mayHaveBeenApplied == false)
        #expect(other?.mayHaveBeenApplied == true)
    }

    @Test func aLookupIsAnAuthenticatedGetOfTheCallResource() async throws {
        let body = #"{"sid":"CA7","from":"client:agent_b","to":"+15005550006","status":"ringing","direction":"inbound","price":null}"#
        let recorder = Recorder(response: HTTPResponse(status: 200, body: Array(body.utf8)))
        let call = try await TwilioRESTClient(configuration: Self.configuration, transport: recorder).fetchCall("CA7")
        #expect(call == TwilioCall(sid: "CA7", from: "client:agent_b", to: "+15005550006", status: "ringing"))
        // Twilio may give null ends.
        let nulls = Recorder(
            response: HTTPResponse(
                status: 200,
                body: Array(#"{"sid":"CA8","from":"client:agent_b","to":null,"status":"queued","direction":null}"#.utf8)
            )
        )
        let sparse = try await TwilioRESTClient(configuration: Self.configuration, transport: nulls).fetchCall("CA8")
        #expect(sparse == TwilioCall(sid: "CA8", from: "client:agent_b", to: "", status: "queued", direction: ""))
        #expect(sparse.isLeg(of: "agent_b"))
        let request = try #require(recorder.requests.first)
        #expect(request.method == .get)
        #expect(request.url == "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Calls/CA7.json")
        #expect(request.header("authorization") == "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMTp0d2lsaW8tYXV0aC10b2tlbi0x")
        #expect(request.body == nil)
    }

    @Test func aLookupAnswerThatIsNotACallIsAnErrorThatChangedNothing() async throws {
        let recorder = Recorder(response: HTTPResponse(status: 200, body: Array(#"{"sid":"CA7"}"#.utf8)))
        let error = await #expect(throws: TwilioRESTError.self) {
            try await TwilioRESTClient(configuration: Self.configuration, transport: recorder).fetchCall("CA7")
        }
        #expect(error?.status == 200)
        #expect(error?.mayHaveBeenApplied == false)
    }

    /// Which calls are live and whose legs they are.
    @Test func aCallSaysWhetherItIsLiveAndWhoseLegItIs() {
        let placed = TwilioCall(sid: "CA1", from: "client:agent_b", to: "+15005550006", status: "in-progress")
        let rang = TwilioCall(sid: "CA2", from: "+14155550100", to: "client:agent_b", status: "ringing", direction: "outbound-dial")
        #expect(placed.isLeg(of: "agent_b") && rang.isLeg(of: "agent_b"))
        // A client picks the To of its own calls: an inbound call's To proves nothing.
        #expect(!TwilioCall(sid: "CA4", from: "client:agent_a", to: "client:agent_b", status: "in-progress").isLeg(of: "agent_b"))
        #expect(!TwilioCall(sid: "CA5", from: "+14155550100", to: "client:agent_b", status: "in-progress").isLeg(of: "agent_b"))
        // Nor does a From that Twilio did not vouch for: a call Twilio placed is judged by its To.
        #expect(
            !TwilioCall(sid: "CA6", from: "client:agent_b", to: "+14155550100", status: "ringing", direction: "outbound-api").isLeg(of: "agent_b")
        )
        #expect(!placed.isLeg(of: "agent_a") && !placed.isLeg(of: "agent_") && !placed.isLeg(of: "agent_bb"))
        #expect(!TwilioCall(sid: "CA3", from: "+14155550100", to: "+15005550006", status: "in-progress").isLeg(of: "agent_b"))
        for status in ["queued", "ringing", "in-progress"] {
            #expect(TwilioCall(sid: "CA", from: "", to: "", status: status).isLive, "\(status)")
        }
        for status in ["canceled", "completed", "failed", "busy", "no-answer", ""] {
            #expect(!TwilioCall(sid: "CA", from: "", to: "", status: status).isLive, "\(status)")
        }
    }

    /// A transport that fails every request with one error.
    struct Failing: HTTPTransport {
        let error: TransportError
        func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse { throw error }
    }

    /// Whether a redirect may have happened, for each way a request can fail without a response: only
    /// a request that never left (or that Twilio answered 4xx) certainly did nothing.
    @Test(arguments: [
        (TransportError.connectionRefused("refused"), false), (.dns("no such host"), false), (.tls("bad certificate"), false),
        (.invalidRequest("bad URL"), false), (.status(404, body: []), false), (.status(502, body: []), true),
        (.timeout("5 s"), true), (.connectionLost("reset"), true), (.badResponse("not HTTP"), true), (.cancelled("shut down"), true),
        (.failed(code: 99, message: "odd"), true),
    ])
    func aFailureWithoutAResponseSaysWhetherTheRedirectMayHaveHappened(failure: TransportError, mayHaveBeenApplied: Bool) async throws {
        let error = await #expect(throws: TwilioRESTError.self) {
            try await TwilioRESTClient(configuration: Self.configuration, transport: Failing(error: failure)).redirectCall("CA1", to: "u")
        }
        #expect(error?.status == nil)
        #expect(error?.mayHaveBeenApplied == mayHaveBeenApplied, "\(failure)")
    }

    /// A transport that answers its responses in turn, recording each request.
    final class Pages: HTTPTransport, @unchecked Sendable {
        // Only touched by one request at a time in these tests.
        var requests: [HTTPRequest] = []
        var responses: [HTTPResponse]

        init(_ bodies: [String]) { responses = bodies.map { HTTPResponse(status: 200, body: Array($0.utf8)) } }

        func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            requests.append(request)
            guard !responses.isEmpty else { throw .badResponse("no more pages") }
            return responses.removeFirst()
        }
    }

    @Test func aQueueDeletionIsAnAuthenticatedDeleteOfTheQueueResource() async throws {
        let recorder = Recorder(response: HTTPResponse(status: 204, body: []))
        try await TwilioRESTClient(configuration: Self.configuration, transport: recorder).deleteQueue("QU0123456789abcdef0123456789abcdef")
        let request = try #require(recorder.requests.first)
        #expect(request.method == .delete)
        #expect(
            request.url
                == "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Queues/QU0123456789abcdef0123456789abcdef.json"
        )
        #expect(request.header("authorization") == "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMTp0d2lsaW8tYXV0aC10b2tlbi0x")
        #expect(request.body == nil)
    }

    @Test func theQueueListFollowsTwiliosPagesToTheLast() async throws {
        let list = "/2010-04-01/Accounts/AC00000000000000000000000000000001/Queues.json"
        let pages = Pages([
            #"{"queues":[{"sid":"QU1","friendly_name":"park_CA1","current_size":0},{"sid":"QU2","friendly_name":"support","current_size":3}],"next_page_uri":"\#(list)?PageSize=1000&Page=1&PageToken=PAQU2"}"#,
            #"{"queues":[{"sid":"QU3","friendly_name":"park_CA3","current_size":null}],"next_page_uri":null}"#,
        ])
        let queues = try await TwilioRESTClient(configuration: Self.configuration, transport: pages).listQueues()
        #expect(
            queues == [
                TwilioQueue(sid: "QU1", friendlyName: "park_CA1", currentSize: 0), TwilioQueue(sid: "QU2", friendlyName: "support", currentSize: 3),
                TwilioQueue(sid: "QU3", friendlyName: "park_CA3", currentSize: 0),
            ]
        )
        #expect(
            pages.requests.map(\.url) == [
                "https://api.twilio.com\(list)?PageSize=1000", "https://api.twilio.com\(list)?PageSize=1000&Page=1&PageToken=PAQU2",
            ]
        )
        #expect(pages.requests.allSatisfy { $0.method == .get && $0.header("authorization") != nil })
    }

    /// The account's credentials go only to its own queue list, and a list that never ends is cut off.
    @Test func aNextPageOutsideTheQueueListOrBeyondTheLimitIsRefused() async throws {
        let elsewhere = Pages([#"{"queues":[],"next_page_uri":"/2010-04-01/Accounts/AC00000000000000000000000000000001/Calls.json"}"#])
        let refused = await #expect(throws: TwilioRESTError.self) {
            try await TwilioRESTClient(configuration: Self.configuration, transport: elsewhere).listQueues()
        }
        #expect(refused?.message.contains("not of the account's queue list") == true)
        #expect(elsewhere.requests.count == 1)
        let loop = "/2010-04-01/Accounts/AC00000000000000000000000000000001/Queues.json?PageToken=PA"
        let endless = Pages(Array(repeating: #"{"queues":[],"next_page_uri":"\#(loop)"}"#, count: 5))
        let cut = await #expect(throws: TwilioRESTError.self) {
            try await TwilioRESTClient(configuration: Self.configuration, transport: endless).listQueues(maxPages: 3)
        }
        #expect(cut?.message.contains("longer than 3 pages") == true)
        #expect(endless.requests.count == 3)
    }
}
