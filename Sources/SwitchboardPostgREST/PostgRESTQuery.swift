import SwitchboardHTTP

/// The path and query string of one PostgREST request: a table or `rpc/<function>`, the columns to
/// return, filters, ordering, a limit and an offset, and an `on_conflict` target. Pure; renders percent-encoded.
public struct PostgRESTQuery: Sendable, Equatable {
    /// `agents` or `rpc/claim_call`.
    public var path: String
    /// Columns to return; empty means all.
    public var select: [String]
    /// Filters, all of which must hold.
    public var filters: [PostgRESTFilter]
    /// Ordering terms, in priority order.
    public var order: [PostgRESTOrder]
    /// The most rows to return.
    public var limit: Int?
    /// How many rows to skip first (with an order, for reading a long list in pages).
    public var offset: Int?
    /// The unique columns an upsert resolves conflicts on; nil means the primary key.
    public var onConflict: [String]?

    /// Creates a query on `path`.
    public init(
        _ path: String,
        select: [String] = [],
        filters: [PostgRESTFilter] = [],
        order: [PostgRESTOrder] = [],
        limit: Int? = nil,
        offset: Int? = nil,
        onConflict: [String]? = nil
    ) {
        self.path = path
        self.select = select
        self.filters = filters
        self.order = order
        self.limit = limit
        self.offset = offset
        self.onConflict = onConflict
    }

    /// The parameters in order, before encoding.
    public var parameters: [(name: String, value: String)] {
        var parameters: [(name: String, value: String)] = []
        if !select.isEmpty { parameters.append(("select", select.map(PostgRESTFilter.identifier).joined(separator: ","))) }
        parameters += filters.map(\.parameter)
        if !order.isEmpty { parameters.append(("order", order.map(\.term).joined(separator: ","))) }
        if let limit { parameters.append(("limit", String(max(limit, 0)))) }
        if let offset { parameters.append(("offset", String(max(offset, 0)))) }
        if let onConflict { parameters.append(("on_conflict", onConflict.map(PostgRESTFilter.identifier).joined(separator: ","))) }
        return parameters
    }

    /// `path?name=value&…`, each name and value percent-encoded (see ``percentEncoded(_:)``).
    public var pathAndQuery: String {
        let encodedPath = path.split(separator: "/", omittingEmptySubsequences: false).map { Self.percentEncoded(String($0)) }.joined(separator: "/")
        let query = parameters.map { "\(Self.percentEncoded($0.name))=\(Self.percentEncoded($0.value))" }.joined(separator: "&")
        return query.isEmpty ? encodedPath : "\(encodedPath)?\(query)"
    }

    /// `text` with every byte percent-encoded except ASCII letters, digits and `-._~,()*:`, which
    /// PostgREST's grammar uses and URLs allow as they are. `+` is always encoded: PostgREST decodes a
    /// literal `+` to a space.
    public static func percentEncoded(_ text: String) -> String {
        PercentEncoding.encode(text, allowing: grammarBytes)
    }

    /// Bytes PostgREST's grammar uses that URLs allow as they are.
    private static let grammarBytes: Set<UInt8> = Set(",()*:".utf8)
}
