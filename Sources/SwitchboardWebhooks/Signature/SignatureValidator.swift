import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks the `X-Twilio-Signature` header of a webhook request, giving the same answer as twilio-python
/// 9.13.0's `RequestValidator.validate` (default HMAC-SHA1) on every input it accepts.
///
/// The string Twilio signs is the URL it requested followed, for a form POST, by every parameter as
/// `name + value`: names in byte (code-point) order, each name once, and under each name its distinct
/// values in byte order. The signature is the Base64 HMAC-SHA1 of that string, keyed with the account's
/// Auth Token. Because Twilio is inconsistent about ports, the URL is tried twice, as twilio-python does:
/// with any port removed, and with the scheme's default port (`:443` for https, `:80` otherwise) added
/// when none is present. A match on either passes. Both forms are what Python's `urlparse`/`geturl` round
/// trip gives, quirks included: the scheme is lower-cased, an empty `?` or `#` disappears, a `#fragment`
/// is kept, and `https://user:pass@host:8443/x` loses everything after `user` in its port-less form. Where
/// Python raises (a port that is not a number in 0–65535, unbalanced `[` `]`), the request is invalid.
/// One Python check is not reproduced: a non-ASCII host that NFKC normalization would turn into one
/// containing `/ ? # @ :` (which Python refuses) is handled like any other host.
///
/// **Which URL.** Pass the public URL Twilio requested: the configured public base URL (scheme, host,
/// optional port and path prefix) followed by the request's path and raw query, exactly as received
/// (``RequestURL`` joins them). Never build it from the `Host` or `X-Forwarded-*` headers: whoever sends
/// the request controls those. Leave out any `#fragment` (connection overrides are not signed; Twilio
/// never sends them in the request anyway).
///
/// **Tokens.** A validator holds one or more Auth Tokens (the primary, and during a rotation the
/// secondary being promoted); a signature made with any of them passes.
///
/// **Timing.** The Base64 signature is compared without early exit. The validator stops at the first
/// candidate (token and URL form) that matches, which reveals only which one matched.
///
/// **Cost.** One HMAC per candidate tried; the parameter block is built once, on the stack, and reused.
/// With the usual https URL without port, a valid request costs one HMAC-SHA1 of the string to sign.
public struct SignatureValidator: Sendable {
    /// One HMAC-SHA1 state per token, already keyed; copied for every message.
    private let keyedMACs: [KeyedSHA1]

    /// A validator for one Auth Token.
    ///
    /// - Precondition: `token` is not empty (see ``init(tokens:)``).
    public init(token: String) {
        self.init(tokens: [token])
    }

    /// A validator accepting signatures made with any of `tokens`, tried in order (put the primary
    /// first).
    ///
    /// An empty list, or an empty token, is a programming error and stops the process: with no token
    /// nothing could pass, and an empty key would make signatures anyone can compute. The executable's
    /// entry point must refuse such configuration before building a validator.
    ///
    /// - Precondition: `tokens` is not empty and none of its strings is empty.
    public init(tokens: [String]) {
        precondition(!tokens.isEmpty, "SignatureValidator needs at least one Auth Token")
        precondition(!tokens.contains(where: \.isEmpty), "SignatureValidator was given an empty Auth Token")
        keyedMACs = tokens.map { KeyedSHA1(key: Array($0.utf8)) }
    }

    /// Whether `signature` signs a form-encoded request (POST) or a request without body (GET, whose
    /// parameters are in the URL's query: pass empty `parameters`).
    ///
    /// A `bodySHA256` in the URL's query has no special meaning here, as in twilio-python when it is given
    /// parameters rather than a raw body.
    ///
    /// - Parameters:
    ///   - signature: The `X-Twilio-Signature` header; nil (header missing) is never valid.
    ///   - url: The public URL Twilio requested, query included (see the type's documentation).
    ///   - parameters: The decoded form body, every pair, repeated names included.
    public func isValid(signature: String?, url: String, parameters: FormParameters) -> Bool {
        withHeader(signature) { header in
            withURLVariants(url) { signingURL, variants in
                let capacity = SignedParameters.capacity(for: parameters)
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { output in
                    let count = SignedParameters.write(parameters, to: output)
                    return matches(header, urls: variants, suffix: UnsafeRawBufferPointer(start: output.baseAddress, count: count))
                }
            }
        }
    }

    /// Whether `signature` signs a request whose body is not form-encoded (JSON), through `bodySHA256`.
    ///
    /// Twilio then adds `bodySHA256=<hex SHA-256 of the body>` to the URL's query and signs the URL alone.
    /// Valid when that query value equals the lower-case hex SHA-256 of `body` and the signature matches
    /// the URL with no parameters appended. Without `bodySHA256` in the query, only an empty body can be
    /// valid (signed as the URL alone; twilio-python raises for a non-empty one).
    ///
    /// - Parameters:
    ///   - signature: The `X-Twilio-Signature` header; nil (header missing) is never valid.
    ///   - url: The public URL Twilio requested, query included (see the type's documentation).
    ///   - body: The raw request body, exactly as received.
    public func isValid(signature: String?, url: String, body: some Collection<UInt8>) -> Bool {
        withHeader(signature) { header in
            withURLVariants(url) { signingURL, variants in
                if let expected = signingURL.bodySHA256 {
                    guard Self.sha256Matches(body, hex: expected) else { return false }
                } else if !body.isEmpty {
                    return false
                }
                return matches(header, urls: variants, suffix: UnsafeRawBufferPointer(start: nil, count: 0))
            }
        }
    }

    /// The signature Twilio would send for `url` and `parameters`: twilio-python's `compute_signature`.
    ///
    /// `url` is signed exactly as given (no port handling; that happens only in validation). For the
    /// `sign` command and tests.
    public static func signature(token: String, url: String, parameters: FormParameters) -> String {
        // swift-crypto's HMAC here, KeyedSHA1 in validation: two implementations the tests hold to the same vectors.
        let message = Array(stringToSign(url: url, parameters: parameters).utf8)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: Array(token.utf8)))
        return mac.withUnsafeBytes { SignatureEncoding.base64($0) }
    }

    /// The string HMAC-SHA1 covers: `url` followed by the sorted, de-duplicated `name + value` pairs.
    /// For diagnosing a mismatch; it contains the request's data, so do not log it in production.
    public static func stringToSign(url: String, parameters: FormParameters) -> String {
        let capacity = SignedParameters.capacity(for: parameters)
        let block = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { output in
            String(decoding: output[0..<SignedParameters.write(parameters, to: output)], as: UTF8.self)
        }
        return url + block
    }

    // MARK: Steps

    private func withHeader(_ signature: String?, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard var signature else { return false }
        // A Base64 HMAC-SHA1 is 28 characters; anything else cannot match (Python's compare checks lengths first).
        guard signature.utf8.count == SignatureEncoding.base64Count(Insecure.SHA1.Digest.byteCount) else { return false }
        return signature.withUTF8(body)
    }

    /// Cleans and splits `url` on the stack and gives the distinct URLs to try (one or two).
    private func withURLVariants(_ url: String, _ body: (SigningURL, URLVariants) -> Bool) -> Bool {
        var url = url
        return url.withUTF8 { raw in
            let variantCapacity = SigningURL.capacity(forCleanedCount: raw.count)
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: raw.count + 2 * variantCapacity) { buffer in
                let cleanedCount = SigningURL.clean(raw, into: buffer)
                guard let signingURL = SigningURL(UnsafeBufferPointer(rebasing: buffer[0..<cleanedCount])) else { return false }
                let first = UnsafeMutableBufferPointer(rebasing: buffer[raw.count..<raw.count + variantCapacity])
                let second = UnsafeMutableBufferPointer(rebasing: buffer[(raw.count + variantCapacity)...])
                let withoutPort = UnsafeRawBufferPointer(start: first.baseAddress, count: signingURL.write(.withoutPort, to: first))
                let withPort = UnsafeRawBufferPointer(start: second.baseAddress, count: signingURL.write(.withPort, to: second))
                let variants = URLVariants(withoutPort: withoutPort, withPort: withoutPort.elementsEqual(withPort) ? nil : withPort)
                return body(signingURL, variants)
            }
        }
    }

    /// The URLs `validate` signs; `withPort` is nil when it equals `withoutPort`.
    private struct URLVariants {
        var withoutPort: UnsafeRawBufferPointer
        var withPort: UnsafeRawBufferPointer?
    }

    /// Tries every token with every URL, true at the first match: the URL without port first (what
    /// Twilio signs for https voice webhooks), with each token, then the one with the port.
    private func matches(_ header: UnsafeBufferPointer<UInt8>, urls: URLVariants, suffix: UnsafeRawBufferPointer) -> Bool {
        for keyedMAC in keyedMACs where Self.matches(header, keyedMAC, url: urls.withoutPort, suffix: suffix) {
            return true
        }
        guard let withPort = urls.withPort else { return false }
        for keyedMAC in keyedMACs where Self.matches(header, keyedMAC, url: withPort, suffix: suffix) {
            return true
        }
        return false
    }

    private static func matches(
        _ header: UnsafeBufferPointer<UInt8>,
        _ keyedMAC: KeyedSHA1,
        url: UnsafeRawBufferPointer,
        suffix: UnsafeRawBufferPointer
    ) -> Bool {
        keyedMAC.authenticate(url, suffix) { SignatureEncoding.base64Matches($0, header: header) }
    }

    private static func sha256Matches(_ body: some Collection<UInt8>, hex: [UInt8]) -> Bool {
        var hasher = SHA256()
        if body.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) == nil {
            Array(body).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return hasher.finalize().withUnsafeBytes { SignatureEncoding.hexMatches($0, text: hex) }
    }
}
