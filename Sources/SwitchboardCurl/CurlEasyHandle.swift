import CCurl
import NIOConcurrencyHelpers
import SwitchboardHTTP

/// One libcurl easy handle. A handle keeps its connections open between transfers, so reusing
/// handles (see ``CurlHandlePool``) reuses connections. Used by one thread at a time.
final class CurlEasyHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    /// libcurl writes a failed transfer's message here (`CURLOPT_ERRORBUFFER`).
    private let errors: UnsafeMutablePointer<CChar>

    /// Creates a handle, or nil when libcurl cannot.
    init?() {
        CurlGlobal.initialize()
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errors = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errors.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        errors.deallocate()
    }

    /// Runs `request` to completion on the calling thread (blocking).
    /// - Returns: the response and how many new connections the transfer opened.
    func perform(
        _ request: HTTPRequest,
        configuration: CurlTransport.Configuration,
        cancellation: NIOLockedValueBox<Bool>
    ) throws(TransportError) -> (response: HTTPResponse, connectionsOpened: Int) {
        curl_easy_reset(handle)  // options only: live connections and the DNS cache stay
        let state = CurlTransferState(maxBodyBytes: configuration.maxResponseBytes, cancellation: cancellation)
        let context = Unmanaged.passUnretained(state).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }

        let scheme = request.url.prefix(8).lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else {
            throw .invalidRequest("Only http and https URLs are supported: \(Self.redacted(request.url))")
        }
        for header in request.headers {
            let forbidden: (UInt8) -> Bool = { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 }
            guard !header.name.isEmpty, !header.name.utf8.contains(where: { forbidden($0) || $0 == UInt8(ascii: ":") }),
                !header.value.utf8.contains(where: forbidden)
            else {
                throw .invalidRequest("Header \(header.name) has a character HTTP forbids")
            }
            headerList = curl_slist_append(headerList, header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        // No `Expect: 100-continue` round trip before bodies.
        headerList = curl_slist_append(headerList, "Expect:")

        let body = request.body ?? []
        return try body.withUnsafeBytes { (bodyBytes) -> Result<(response: HTTPResponse, connectionsOpened: Int), TransportError> in
            Result { () throws(TransportError) in
                errors[0] = 0
                var setup = SetupErrors()
                setup.check(switchboard_curl_set_string(handle, CURLOPT_URL, request.url))
                setup.check(switchboard_curl_set_long(handle, CURLOPT_NOSIGNAL, 1))
                setup.check(
                    switchboard_curl_set_long(
                        handle,
                        CURLOPT_CONNECTTIMEOUT_MS,
                        milliseconds(request.timeouts.connect ?? configuration.connectTimeout)
                    )
                )
                setup.check(switchboard_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.timeouts.total ?? configuration.totalTimeout)))
                setup.check(switchboard_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0))
                setup.check(switchboard_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0))
                if let caPath = configuration.caCertificatePath {
                    setup.check(switchboard_curl_set_string(handle, CURLOPT_CAINFO, caPath))
                }
                setup.check(switchboard_curl_set_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
                setup.check(switchboard_curl_set_long(handle, CURLOPT_TCP_NODELAY, 1))
                setup.check(switchboard_curl_set_string(handle, CURLOPT_USERAGENT, configuration.userAgent))
                setup.check(switchboard_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
                setup.check(switchboard_curl_set_headers(handle, headerList))
                setup.check(switchboard_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errors))
                setup.check(switchboard_curl_set_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
                setup.check(switchboard_curl_set_pointer(handle, CURLOPT_WRITEDATA, context))
                setup.check(switchboard_curl_set_data_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
                setup.check(switchboard_curl_set_pointer(handle, CURLOPT_HEADERDATA, context))
                setup.check(switchboard_curl_set_long(handle, CURLOPT_NOPROGRESS, 0))
                setup.check(switchboard_curl_set_progress_callback(handle, curlProgress))
                setup.check(switchboard_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context))
                switch request.method {
                case .get:
                    setup.check(switchboard_curl_set_long(handle, CURLOPT_HTTPGET, 1))
                case .head:
                    setup.check(switchboard_curl_set_long(handle, CURLOPT_NOBODY, 1))
                case .post, .patch, .put, .delete:
                    if request.method != .post {
                        setup.check(switchboard_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
                    }
                    if request.body != nil || request.method == .post {
                        setup.check(switchboard_curl_set_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyBytes.count)))
                        // libcurl reads the body from this pointer during the transfer; it outlives it.
                        setup.check(
                            switchboard_curl_set_pointer(
                                handle,
                                CURLOPT_POSTFIELDS,
                                UnsafeMutableRawPointer(mutating: bodyBytes.baseAddress ?? UnsafeRawPointer(CurlGlobal.emptyBody))
                            )
                        )
                    }
                }
                if let failure = setup.failure {
                    throw .invalidRequest("libcurl refused an option: \(String(cString: curl_easy_strerror(failure)))")
                }

                let code = curl_easy_perform(handle)
                var connects = 0
                _ = switchboard_curl_get_long(handle, CURLINFO_NUM_CONNECTS, &connects)
                guard code == CURLE_OK else {
                    if state.exceededLimit {
                        throw .badResponse("The response body is larger than \(configuration.maxResponseBytes) bytes")
                    }
                    let detail = errors[0] != 0 ? String(cString: errors) : String(cString: curl_easy_strerror(code))
                    var sent = 0
                    let known = switchboard_curl_get_long(handle, CURLINFO_REQUEST_SIZE, &sent) == CURLE_OK
                    throw CurlFailure.error(
                        code: Int(code.rawValue),
                        message: "\(request.method.rawValue) \(Self.redacted(request.url)): \(detail)",
                        requestSent: known ? sent > 0 : nil
                    )
                }
                var status = 0
                _ = switchboard_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
                return (HTTPResponse(status: status, headers: state.headers, body: state.body), connects)
            }
        }.get()
    }

    /// The URL without its query, for error messages (queries can hold caller data).
    static func redacted(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }

    private func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// Remembers the first option libcurl refused.
private struct SetupErrors {
    var failure: CURLcode?
    mutating func check(_ code: CURLcode) {
        if code != CURLE_OK, failure == nil { failure = code }
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let state = Unmanaged<CurlTransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    return state.appendBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let length = size * count
    if length > 0, let data {
        Unmanaged<CurlTransferState>.fromOpaque(context).takeUnretainedValue()
            .appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    }
    return length
}

private func curlProgress(_ context: UnsafeMutableRawPointer?, _: curl_off_t, _: curl_off_t, _: curl_off_t, _: curl_off_t) -> Int32 {
    guard let context else { return 0 }
    return Unmanaged<CurlTransferState>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
}
