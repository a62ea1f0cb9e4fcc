import CCurl

/// libcurl's process-wide state, set up once before the first handle.
enum CurlGlobal {
    /// `curl_global_init`, run exactly once (Swift runs a global's initializer once, thread-safely).
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// One readable byte for requests whose body is empty: libcurl needs a valid pointer either way.
    nonisolated(unsafe) static let emptyBody: UnsafeMutableRawPointer = {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        pointer.storeBytes(of: 0, as: UInt8.self)
        return pointer
    }()

    /// Sets libcurl up if it is not yet.
    static func initialize() {
        _ = initialized
    }
}
