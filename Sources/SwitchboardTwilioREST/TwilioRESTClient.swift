import SwitchboardHTTP

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Twilio's REST API over any ``HTTPTransport``: HTTP basic auth with the account SID and Auth
/// Token, form-encoded bodies.
public struct TwilioRESTClient<Transport: HTTPTransport>: TwilioCallControl {
    /// Where and as whom.
    public let configuration: TwilioRESTConfiguration
    private let transport: Transport
    private let timeouts: HTTPTimeouts

    /// Creates a client.
    public init(configuration: TwilioRESTConfiguration, transport: Transport, timeouts: HTTPTimeouts = HTTPTimeouts(total: .seconds(5))) {
        self.configuration = configuration
        self.transport = transport
        self.timeouts = timeouts
    }

    /// `GET /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json`.
    public func fetchCall(_ callSid: String) async throws(TwilioRESTError) -> TwilioCall {
        let request = HTTPRequest(
            method: .get,
            url: configuration.baseURL + callPath(callSid),
            headers: [HTTPHeader("Authorization", basicAuthorization), HTTPHeader("Accept", "application/json")],
            timeouts: timeouts
        )
        let response = try await send(request)
        do {
            return try JSONDecoder().decode(TwilioCall.self, from: Data(response.body))
        } catch {
            // A GET changes nothing, whatever its answer.
            throw TwilioRESTError(status: response.status, message: "Twilio's call is not readable: \(error)", mayHaveBeenApplied: false)
        }
    }

    /// `POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json` with `Url` and `Method=POST`.
    public func redirectCall(_ callSid: String, to url: String) async throws(TwilioRESTError) {
        let body = Self.formEncode([("Url", url), ("Method", "POST")])
        let request = HTTPRequest(
            method: .post,
            url: configuration.baseURL + callPath(callSid),
            headers: [
                HTTPHeader("Authorization", basicAuthorization),
                HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                HTTPHeader("Accept", "application/json"),
            ],
            body: Array(body.utf8),
            timeouts: timeouts
        )
        _ = try await send(request)
    }

    /// `DELETE /2010-04-01/Accounts/{AccountSid}/Queues/{QueueSid}.json` (Twilio answers 204).
    public func deleteQueue(_ queueSid: String) async throws(TwilioRESTError) {
        let request = HTTPRequest(
            method: .delete,
            url: configuration.baseURL + queuesPath + "/\(Self.pathSegment(queueSid)).json",
            headers: [HTTPHeader("Authorization", basicAuthorization), HTTPHeader("Accept", "application/json")],
            timeouts: timeouts
        )
        _ = try await send(request)
    }

    /// Every call queue of the account: `GET /2010-04-01/Accounts/{AccountSid}/Queues.json`, 1,000 to a
    /// page, following `next_page_uri` to the last page (at most `maxPages`). A next page outside the
    /// account's queue list is refused rather than fetched with the account's credentials.
    public func listQueues(maxPages: Int = 1000) async throws(TwilioRESTError) -> [TwilioQueue] {
        var queues: [TwilioQueue] = []
        var next: String? = queuesPath + ".json?PageSize=1000"
        var pages = 0
        while let path = next {
            guard pages < maxPages else {
                throw TwilioRESTError(status: nil, message: "Twilio's queue list is longer than \(maxPages) pages", mayHaveBeenApplied: false)
            }
            guard path.hasPrefix(queuesPath + ".json") else {
                throw TwilioRESTError(
                    status: nil,
                    message: "Twilio's next page \(path) is not of the account's queue list",
                    mayHaveBeenApplied: false
                )
            }
            let request = HTTPRequest(
                method: .get,
                url: configuration.baseURL + path,
                headers: [HTTPHeader("Authorization", basicAuthorization), HTTPHeader("Accept", "application/json")],
                timeouts: timeouts
            )
            let response = try await send(request)
            let page: TwilioQueuePage
            do {
                page = try JSONDecoder().decode(TwilioQueuePage.self, from: Data(response.body))
            } catch {
                throw TwilioRESTError(status: response.status, message: "Twilio's queue list is not readable: \(error)", mayHaveBeenApplied: false)
            }
            queues += page.queues
            pages += 1
            next = page.nextPageURI.flatMap { $0.isEmpty ? nil : $0 }
        }
        return queues
    }

    private var queuesPath: String {
        "/2010-04-01/Accounts/\(Self.pathSegment(configuration.accountSID))/Queues"
    }

    private func callPath(_ callSid: String) -> String {
        "/2010-04-01/Accounts/\(Self.pathSegment(configuration.accountSID))/Calls/\(Self.pathSegment(callSid)).json"
    }

    /// Sends `request`; a response that is not 2xx is an error with Twilio's message.
    private func send(_ request: HTTPRequest) async throws(TwilioRESTError) -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw .transport(error)
        }
        guard response.isSuccess else {
            throw TwilioRESTError(status: response.status, message: Self.twilioMessage(response.body) ?? "Twilio answered \(response.status)")
        }
        return response
    }

    /// `Basic base64(accountSID:authToken)`.
    var basicAuthorization: String {
        "Basic " + Data("\(configuration.accountSID):\(configuration.authToken)".utf8).base64EncodedString()
    }

    /// `application/x-www-form-urlencoded`: unreserved bytes as they are, space as `+`, every other
    /// byte percent-encoded.
    static func formEncode(_ pairs: [(String, String)]) -> String { PercentEncoding.form(pairs) }

    static func pathSegment(_ text: String) -> String { PercentEncoding.encode(text) }

    private struct ErrorBody: Decodable {
        var code: Int?
        var message: String?
    }

    private static func twilioMessage(_ body: [UInt8]) -> String? {
        guard let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)), let message = decoded.message else { return nil }
        return decoded.code.map { "\(message) (Twilio error \($0))" } ?? message
    }
}
