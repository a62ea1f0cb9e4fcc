import NIOConcurrencyHelpers
import SwitchboardHTTP

/// What one transfer accumulates while libcurl runs it: the response's status line, headers and body,
/// and whether the caller has cancelled. libcurl's callbacks reach it through an unretained pointer
/// that lives for exactly one `curl_easy_perform`.
final class CurlTransferState {
    /// Header fields of the latest response (an interim `100 Continue` or a redirect resets them).
    private(set) var headers: [HTTPHeader] = []
    /// The body received so far.
    private(set) var body: [UInt8] = []
    /// Whether the body outgrew its limit; the write callback then stops the transfer.
    private(set) var exceededLimit = false
    private let maxBodyBytes: Int
    private let cancellation: NIOLockedValueBox<Bool>

    init(maxBodyBytes: Int, cancellation: NIOLockedValueBox<Bool>) {
        self.maxBodyBytes = maxBodyBytes
        self.cancellation = cancellation
    }

    /// Whether the caller cancelled the request.
    var isCancelled: Bool { cancellation.withLockedValue { $0 } }

    /// Takes body bytes; returns false when they exceed the limit.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Takes one raw header line (status lines included, CRLF at the end).
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingWhitespace()
        headers.append(HTTPHeader(name, value))
    }
}

extension Substring {
    /// The text without leading and trailing spaces, tabs, CR and LF.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
