import SwitchboardCore
import SwitchboardHTTP

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sends PostgREST requests the way Supabase expects them (`apikey` and `Authorization: Bearer` with
/// the service-role key, JSON in and out, the schema as a profile header when not `public`), retries
/// idempotent ones per the ``RetryPolicy``, and turns every failure into a ``StoreError``.
struct PostgRESTClient: Sendable {
    let configuration: PostgRESTConfiguration
    let transport: any HTTPTransport
    /// Notices a project whose Max Rows is below ``PostgRESTConfiguration/maxRows`` (see ``allRows(_:as:key:limit:operation:)``).
    let maxRowsWatch: PostgRESTMaxRowsWatch
    /// Waits between retries; tests pass one that records instead of sleeping.
    let pause: @Sendable (Duration) async -> Void
    /// A random number in 0..<1 for retry jitter.
    let random: @Sendable () -> Double

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(PostgRESTTimestamp.format(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = PostgRESTTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a timestamp: \(text)")
            }
            return date
        }
        return decoder
    }()

    /// GETs the rows `query` selects.
    func rows<Row: Decodable>(_ query: PostgRESTQuery, as: Row.Type, operation: String) async throws(StoreError) -> [Row] {
        let response = try await send(.get, query, body: nil, preferences: nil, idempotent: true, operation: operation)
        return try decode([Row].self, from: response, operation: operation)
    }

    /// Every row `query` matches, or its first `limit`, read in pages of ``PostgRESTConfiguration/maxRows``,
    /// as many as one response holds, however long the list: a page that comes back full is followed by
    /// the next one, and a short one (or one holding only rows read before) ends the list. `query` must
    /// order its rows totally; `key` names a row (its primary key).
    ///
    /// A project whose Max Rows is below the configured one answers a shorter page than asked while more
    /// rows match, which would end the list there. So a short first page is checked: a whole list's first
    /// page asks for the number of rows the query matches (`count=exact`, in the same request, at most
    /// doubling the work of reading them all), and a limited list's short first page is followed by a
    /// request for the one row after it (`count=exact` would count every row the filter matches, however
    /// few are wanted), which shows a cut only if it is a row the page did not hold. A page the project
    /// cut is followed in pages of what it answered, and the ``PostgRESTMaxRowsWatch`` logs the setting
    /// to fix.
    ///
    /// Pages are taken by offset, so a list that changes while they are read can shift between two
    /// pages: a row added before the pages already read brings one of them back (kept once, by `key`),
    /// and a row that leaves the list before the page that held it can let the next row slip by until
    /// the next read. Short lists, the usual case, are one request and exact; a short limited list is two.
    func allRows<Row: Decodable>(
        _ query: PostgRESTQuery,
        as: Row.Type,
        key: (Row) -> String,
        limit: Int? = nil,
        operation: String
    ) async throws(StoreError) -> [Row] {
        if let limit, limit <= 0 { return [] }
        var pageSize = max(configuration.maxRows, 1)
        var rows: [Row] = []
        var keys: Set<String> = []
        var page = query
        var offset = 0
        while true {
            let asked = min(pageSize, limit.map { $0 - rows.count } ?? pageSize)
            guard asked > 0 else { break }
            page.limit = asked
            page.offset = offset == 0 ? nil : offset
            let first = offset == 0
            let counts = first && limit == nil
            let preferences = counts ? PostgRESTPreferences(countExact: true) : nil
            let response = try await send(.get, page, body: nil, preferences: preferences, idempotent: true, operation: operation)
            let next = try decode([Row].self, from: response, operation: operation)
            offset += next.count
            let before = rows.count
            rows += next.filter { keys.insert(key($0)).inserted }
            var full = next.count >= asked
            if first, !full {
                let cut: Bool
                if counts {
                    // An answer to a count that gives none (not PostgREST's) is taken as it comes.
                    let total = response.header("Content-Range").flatMap(PostgRESTContentRange.init)?.total ?? 0
                    guard next.count > 0 || total == 0 else {
                        throw .unavailable("Supabase answered no rows \(operation) while \(total) match", cause: nil)
                    }
                    cut = next.count < total
                } else {
                    // A row stored meanwhile before the page moves one of its rows along: not a cut.
                    let after = next.isEmpty ? nil : try await nextRow(query, at: offset, as: Row.self, operation: operation)
                    cut = after.map { !keys.contains(key($0)) } ?? false
                }
                if cut {
                    maxRowsWatch.report(answered: next.count, asked: asked, configured: pageSize, operation: operation)
                    pageSize = next.count
                    full = true
                }
            }
            // A page of rows all read before ends the list too: an answer that ignores the offset must not
            // be asked again and again.
            guard full, rows.count > before else { break }
        }
        return limit.map { Array(rows.prefix($0)) } ?? rows
    }

    /// The row `query` has at `offset`, if any (one row asked for).
    private func nextRow<Row: Decodable>(_ query: PostgRESTQuery, at offset: Int, as: Row.Type, operation: String) async throws(StoreError) -> Row? {
        var probe = query
        probe.limit = 1
        probe.offset = offset
        return try await rows(probe, as: Row.self, operation: operation).first
    }

    /// Calls the SQL function `name` with named `arguments` (POST /rpc/name) and decodes its result.
    /// `idempotent` marks a function that may be retried: one that only reads, or one whose repeat
    /// finds what the first call did (`create_handoff`).
    func rpc<Result: Decodable>(
        _ name: String,
        _ arguments: some Encodable,
        as: Result.Type,
        idempotent: Bool,
        operation: String
    ) async throws(StoreError) -> Result {
        let body = try encode(arguments, operation: operation)
        let response = try await send(
            .post,
            PostgRESTQuery("rpc/\(name)"),
            body: body,
            preferences: nil,
            idempotent: idempotent,
            operation: operation
        )
        return try decode(Result.self, from: response, operation: operation)
    }

    /// POSTs `rows` to the table in `query` with the given preferences; returns the response.
    func insert(
        _ query: PostgRESTQuery,
        _ rows: some Encodable,
        preferences: PostgRESTPreferences,
        operation: String
    ) async throws(StoreError) -> HTTPResponse {
        try await send(.post, query, body: try encode(rows, operation: operation), preferences: preferences, idempotent: false, operation: operation)
    }

    /// PATCHes the rows `query` selects with `changes`; returns the response.
    func update(
        _ query: PostgRESTQuery,
        _ changes: some Encodable,
        preferences: PostgRESTPreferences,
        operation: String
    ) async throws(StoreError) -> HTTPResponse {
        try await send(
            .patch,
            query,
            body: try encode(changes, operation: operation),
            preferences: preferences,
            idempotent: false,
            operation: operation
        )
    }

    /// DELETEs the rows `query` selects; returns the response. Not retried: a retry after a lost
    /// answer would find nothing and say so.
    func delete(_ query: PostgRESTQuery, preferences: PostgRESTPreferences, operation: String) async throws(StoreError) -> HTTPResponse {
        try await send(.delete, query, body: nil, preferences: preferences, idempotent: false, operation: operation)
    }

    /// Decodes a 2xx response's JSON body.
    func decode<Value: Decodable>(_ type: Value.Type, from response: HTTPResponse, operation: String) throws(StoreError) -> Value {
        do {
            return try Self.decoder.decode(Value.self, from: Data(response.body))
        } catch {
            throw .unavailable(
                "Supabase answered \(operation) with a body that is not the expected JSON",
                cause: "\(error); body: \(String(decoding: response.body.prefix(200), as: UTF8.self))"
            )
        }
    }

    /// Sends one request, retrying when `idempotent` and the failure is one a retry can cure.
    func send(
        _ method: HTTPRequest.Method,
        _ query: PostgRESTQuery,
        body: [UInt8]?,
        preferences: PostgRESTPreferences?,
        idempotent: Bool,
        operation: String
    ) async throws(StoreError) -> HTTPResponse {
        let request = request(method, query, body: body, preferences: preferences)
        let attempts = idempotent ? max(1, configuration.retry.maxAttempts) : 1
        var attempt = 1
        while true {
            let failure: StoreError
            let retryable: Bool
            do {
                let response = try await transport.send(request)
                if response.isSuccess { return response }
                failure = .postgREST(status: response.status, body: response.body, operation: operation)
                retryable = [502, 503, 504].contains(response.status)
            } catch {
                failure = .transport(error, operation: operation)
                switch error {
                case .connectionRefused, .connectionLost, .dns: retryable = true
                default: retryable = false
                }
            }
            guard retryable, attempt < attempts, !Task.isCancelled else { throw failure }
            attempt += 1
            await pause(configuration.retry.delay(beforeAttempt: attempt, random: random()))
        }
    }

    /// The HTTP request for `query`, with Supabase's headers.
    func request(_ method: HTTPRequest.Method, _ query: PostgRESTQuery, body: [UInt8]?, preferences: PostgRESTPreferences?) -> HTTPRequest {
        var headers = [
            HTTPHeader("apikey", configuration.serviceRoleKey),
            HTTPHeader("Authorization", "Bearer \(configuration.serviceRoleKey)"),
            HTTPHeader("Accept", "application/json"),
            HTTPHeader("X-Client-Info", "switchboard"),
        ]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        if configuration.schema != "public" {
            let reads = method == .get || method == .head
            headers.append(HTTPHeader(reads ? "Accept-Profile" : "Content-Profile", configuration.schema))
        }
        if let prefer = preferences?.headerValue { headers.append(HTTPHeader("Prefer", prefer)) }
        return HTTPRequest(method: method, url: "\(configuration.restBase)/\(query.pathAndQuery)", headers: headers, body: body)
    }

    private func encode(_ value: some Encodable, operation: String) throws(StoreError) -> [UInt8] {
        do {
            return Array(try Self.encoder.encode(value))
        } catch {
            throw .invalid("Cannot encode the request \(operation): \(error)")
        }
    }
}
