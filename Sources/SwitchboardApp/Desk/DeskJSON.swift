import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardDesk
import SwitchboardHTTP

/// JSON in and out for the agents' API, and the wrapper every route runs in: any ``DeskError`` becomes
/// its JSON error, anything else a logged 500 `internal_error`.
enum DeskJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// The largest JSON body accepted.
    static let bodyLimit = 64 * 1024

    /// A JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// Decodes the request's JSON body, or 400 `invalid_request` saying what is wrong. An empty body
    /// decodes as `{}`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws(DeskError) -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: bodyLimit)
        } catch {
            throw .invalidRequest("The body is larger than \(bodyLimit) bytes.")
        }
        var bytes = Array(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { bytes = Array("{}".utf8) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let DecodingError.keyNotFound(key, _) {
            throw .invalidRequest("The body needs \"\(key.stringValue)\".")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .invalidRequest("\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type.")
        } catch let DecodingError.valueNotFound(_, context) {
            throw .invalidRequest("\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" cannot be null.")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .invalidRequest(path.isEmpty ? "The body is not JSON." : "\"\(path)\" has an unknown value.")
        } catch {
            throw .invalidRequest("The body is not JSON.")
        }
    }

    /// The route's path parameter `name`, percent-decoded (`%5F` is `_`, and `+` stays `+`), or 400
    /// `invalid_request` when an escape is malformed, the bytes are not UTF-8, or they hold a control
    /// character (no identity, call SID or id has one, and a NUL would reach the store as its error).
    /// Hummingbird hands path parameters on as they came.
    static func parameter(_ name: String, of context: BasicRequestContext) throws(DeskError) -> String {
        guard let raw = context.parameters.get(name) else { throw .invalidRequest("The path has no \(name).") }
        guard let value = PercentEncoding.decode(raw[...]) else {
            throw .invalidRequest("The path's \(name) is not valid percent-encoded UTF-8.")
        }
        guard !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw .invalidRequest("The path's \(name) holds a control character.")
        }
        return value
    }

    /// Runs a route's work, answering its error as JSON.
    static func run(_ logger: Logger, _ work: () async throws -> Response) async -> Response {
        do {
            return try await work()
        } catch let error as DeskError {
            return error.response
        } catch {
            logger.error("agents API failed", metadata: ["error": "\(error)"])
            return DeskError.internalError.response
        }
    }
}

extension Router<BasicRequestContext> {
    /// Adds an agents' API route whose errors are answered as the API's JSON errors (``DeskJSON/run(_:_:)``).
    func api(
        _ method: HTTPRequest.Method,
        _ path: RouterPath,
        logger: Logger,
        _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
    ) {
        on(path, method: method) { request, context in
            await DeskJSON.run(logger) { try await handler(request, context) }
        }
    }
}
