#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A PostgREST error body: `code`, `message`, `details`, `hint`. Gateways in front of PostgREST (Kong's
/// key check) send only `message`, so every field is optional.
public struct PostgRESTErrorBody: Decodable, Sendable, Equatable {
    /// A PostgreSQL SQLSTATE (`23505`) or a PostgREST code (`PGRST116`).
    public var code: String?
    /// The primary message.
    public var message: String?
    /// PostgreSQL's DETAIL.
    public var details: String?
    /// PostgreSQL's HINT.
    public var hint: String?

    /// Creates a body.
    public init(code: String? = nil, message: String? = nil, details: String? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.hint = hint
    }

    /// The body in `bytes`, or nil when they are not a JSON object with any of the four keys.
    public static func decode(_ bytes: [UInt8]) -> PostgRESTErrorBody? {
        guard let body = try? JSONDecoder().decode(PostgRESTErrorBody.self, from: Data(bytes)),
            body.code != nil || body.message != nil
        else { return nil }
        return body
    }

    /// `message (details; hint)`, leaving out what is missing.
    public var summary: String {
        let extra = [details, hint.map { "hint: \($0)" }].compactMap { $0 }.filter { !$0.isEmpty }
        let base = [code, message].compactMap { $0 }.joined(separator: " ")
        return extra.isEmpty ? base : "\(base) (\(extra.joined(separator: "; ")))"
    }
}
