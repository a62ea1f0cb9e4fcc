import Crypto

/// HMAC-SHA1 (RFC 2104) keyed once: the inner and outer SHA-1 states after absorbing the padded key,
/// copied for every message.
///
/// The construction is written out on top of swift-crypto's `Insecure.SHA1` rather than using `HMAC`,
/// whose generic `update(data:)` instantiates generic metadata on every call (it was a tenth of a
/// validation). Checked against twilio-python's signatures and the reference vectors, including a key
/// longer than the 64-byte block (hashed first, as RFC 2104 says).
struct KeyedSHA1 {
    private static let blockSize = 64
    private let inner: Insecure.SHA1
    private let outer: Insecure.SHA1

    init(key: [UInt8]) {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        if key.count > Self.blockSize {
            var hasher = Insecure.SHA1()
            key.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            hasher.finalize().withUnsafeBytes { digest in
                for (index, byte) in digest.enumerated() { block[index] = byte }
            }
        } else {
            block.replaceSubrange(0..<key.count, with: key)
        }
        var inner = Insecure.SHA1()
        block.map { $0 ^ 0x36 }.withUnsafeBytes { inner.update(bufferPointer: $0) }
        var outer = Insecure.SHA1()
        block.map { $0 ^ 0x5C }.withUnsafeBytes { outer.update(bufferPointer: $0) }
        self.inner = inner
        self.outer = outer
    }

    /// The MAC of `first` followed by `second`, handed to `body` as 20 bytes.
    func authenticate<Result>(
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        var inner = self.inner
        inner.update(bufferPointer: first)
        inner.update(bufferPointer: second)
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize().withUnsafeBytes(body)
    }
}
