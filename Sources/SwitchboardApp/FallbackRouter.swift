import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardDesk
import SwitchboardHTTP

/// The router, answering every request it has no route for with a body that says so, rather than
/// the server's bare 404: under `/api/…` in the API's JSON (405 `method_not_allowed` with `Allow` when
/// the path exists for other methods, 404 `route_not_found` when it does not exist at all); anywhere
/// else in one line of text: 405 with `Allow` and `use POST` (a Twilio route fetched with GET, say),
/// or 404 naming the method and path (a mistyped Twilio webhook URL, say). Every method is answered
/// so, HEAD, OPTIONS and TRACE included.
///
/// Hummingbird's router answers these with its own bare 404 before any middleware sees the request, so
/// the check wraps the router's responder: an API request the table has no route for never reaches the
/// router, and the router's bare 404 for any other is replaced here (so a request a route answers
/// costs no look-up in the table).
struct FallbackRouter: HTTPResponderBuilder {
    let router: Router<BasicRequestContext>

    func buildResponder() -> FallbackResponder<Router<BasicRequestContext>.Responder> {
        FallbackResponder(inner: router.buildResponder(), table: RouteTable(router.routes.map { ($0.method, "\($0.path)") }))
    }
}

/// The router's responder, with an answer that has a body for requests it has no route for.
struct FallbackResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    let inner: Inner
    let table: RouteTable

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let path = request.uri.path
        let isAPI = RouteTable.isAPI(path)
        if isAPI, let refusal = table.refusal(method: request.method, path: path) {
            return refusal.response
        }
        let response = try await inner.respond(to: request, context: context)
        // The router's own answer for no route: 404 with no body (no route of this service answers so).
        guard response.status == .notFound, response.body.contentLength == 0, !isAPI else { return response }
        let allowed = table.methods(for: path).map(\.rawValue).joined(separator: ", ")
        if !allowed.isEmpty {
            return Response(
                status: .methodNotAllowed,
                headers: [.allow: allowed, .contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "use \(allowed)\n"))
            )
        }
        // Every byte outside printable ASCII percent-encoded, so that the one-line body stays one line.
        let printable = PercentEncoding.encode(path, allowing: printableASCII)
        return Response(
            status: .notFound,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "no route \(request.method.rawValue) \(printable)\n"))
        )
    }
}

/// The bytes a one-line body may hold as they are.
private let printableASCII = Set(UInt8(0x20)...UInt8(0x7E))
