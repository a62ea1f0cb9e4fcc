import SwitchboardHTTP

/// Maps a libcurl result code (`CURLcode`) to the ``TransportError`` it means. Pure, so every code's
/// meaning is tested without a network.
enum CurlFailure {
    /// The error for a failed transfer's `code`, with libcurl's message (its error buffer, or
    /// `curl_easy_strerror`), corrected by whether any of the request was sent (`CURLINFO_REQUEST_SIZE`;
    /// nil when unknown), so that callers can tell a request that never left from one the server may
    /// have acted on:
    /// - a timeout before anything was sent (the connection or TLS was not ready in time) is
    ///   ``TransportError/connectionRefused(_:)``: nothing accepted the request;
    /// - a connection, name or TLS failure after a request was sent (libcurl sends a request again on a
    ///   new connection when a reused one answered nothing) is ``TransportError/connectionLost(_:)``.
    static func error(code: Int, message: String, requestSent: Bool?) -> TransportError {
        let error = error(code: code, message: message)
        switch (error, requestSent) {
        case (.timeout, false?): return .connectionRefused("\(message) (no connection within the time allowed)")
        case (.connectionRefused, true?), (.dns, true?), (.tls, true?): return .connectionLost("\(message) (after a request was sent)")
        default: return error
        }
    }

    /// The error a libcurl result `code` means by itself.
    static func error(code: Int, message: String) -> TransportError {
        switch code {
        case 28: .timeout(message)  // CURLE_OPERATION_TIMEDOUT
        case 7: .connectionRefused(message)  // CURLE_COULDNT_CONNECT
        case 5, 6: .dns(message)  // CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST
        // CURLE_SSL_CONNECT_ERROR, _ENGINE_NOTFOUND, _ENGINE_SETFAILED, _CERTPROBLEM, _CIPHER,
        // CURLE_PEER_FAILED_VERIFICATION, _ENGINE_INITFAILED, _CACERT_BADFILE, _SHUTDOWN_FAILED,
        // _CRL_BADFILE, _ISSUER_ERROR, _PINNEDPUBKEYNOTMATCH, _INVALIDCERTSTATUS, _CLIENTCERT
        case 35, 53, 54, 58, 59, 60, 66, 77, 80, 82, 83, 90, 91, 98: .tls(message)
        // CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR
        case 18, 52, 55, 56: .connectionLost(message)
        // CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING,
        // CURLE_WRITE_ERROR (our body limit), CURLE_FILESIZE_EXCEEDED, CURLE_HTTP3
        // CURLE_UNSUPPORTED_PROTOCOL: the transport checks the scheme first, so libcurl reports this
        // for a reply that is not HTTP ("Received HTTP/0.9 when not allowed").
        case 1, 8, 16, 92, 61, 23, 63, 95: .badResponse(message)
        // CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT
        case 3, 43: .invalidRequest(message)
        case 42: .cancelled(message)  // CURLE_ABORTED_BY_CALLBACK
        default: .failed(code: code, message: message)
        }
    }
}
