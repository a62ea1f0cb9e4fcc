import Foundation
import SwitchboardHTTP

/// A transport that answers from a script, in order, and records every request it was sent.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var replies: [Result<HTTPResponse, TransportError>]
    private var sent: [HTTPRequest] = []

    init(_ replies: [Result<HTTPResponse, TransportError>]) {
        self.replies = replies
    }

    /// A transport answering every request with `status` and `json`.
    convenience init(status: Int = 200, json: String, repeating count: Int = 1) {
        self.init(Array(repeating: .success(HTTPResponse(status: status, body: Array(json.utf8))), count: count))
    }

    var requests: [HTTPRequest] { lock.withLock { sent } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let reply: Result<HTTPResponse, TransportError> = lock.withLock {
            sent.append(request)
            return replies.isEmpty ? .failure(.failed(code: -1, message: "the script has no more replies")) : replies.removeFirst()
        }
        return try reply.get()
    }
}

/// Pauses recorded instead of slept.
final class PauseRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    var pauses: [Duration] { lock.withLock { recorded } }

    func pause(_ duration: Duration) async {
        lock.withLock { recorded.append(duration) }
    }
}
