import HTTPTypes
import Hummingbird
import SwitchboardDesk

/// The service's routes as method and path pattern (`/api/calls/{callSid}/claim`), to tell a wrong
/// method from a wrong path. A segment matches a `{name}` parameter or itself, as in Hummingbird's
/// router; the service has no wildcard routes.
struct RouteTable: Sendable {
    private let routes: [(method: HTTPRequest.Method, segments: [Substring])]
    /// Whether every route is made of literal segments and whole-segment parameters, the only patterns
    /// the table matches; when not, it refuses nothing and leaves every request to the router.
    let isComplete: Bool

    /// The table of `routes`, given as Hummingbird describes them (`/api/calls/{callSid}/claim`).
    init(_ routes: [(HTTPRequest.Method, String)]) {
        self.routes = routes.map { method, path in (method, Self.segments(path)) }
        isComplete = self.routes.allSatisfy { route in
            route.segments.allSatisfy { segment in
                Self.isParameter(segment) || !segment.contains(where: { "{}*:!".contains($0) })
            }
        }
    }

    /// A whole-segment parameter, `{name}`.
    private static func isParameter(_ segment: Substring) -> Bool {
        segment.count > 2 && segment.first == "{" && segment.last == "}" && !segment.dropFirst().dropLast().contains(where: { "{}*".contains($0) })
    }

    static func isAPI(_ path: String) -> Bool { path == "/api" || path.hasPrefix("/api/") }

    private static func segments(_ path: String) -> [Substring] { path.split(separator: "/", omittingEmptySubsequences: true) }

    /// The methods the service answers on `path`, in a fixed order; empty when no route has that path
    /// (or the table is not complete).
    func methods(for path: String) -> [HTTPRequest.Method] {
        guard isComplete else { return [] }
        let wanted = Self.segments(path)
        var methods: [HTTPRequest.Method] = []
        for route in routes where route.segments.count == wanted.count && !methods.contains(route.method) {
            let matches = zip(route.segments, wanted).allSatisfy { pattern, segment in Self.isParameter(pattern) || pattern == segment }
            if matches { methods.append(route.method) }
        }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    /// The agents' API's error for `method` on the API path `path`, or nil when a route answers it.
    func refusal(method: HTTPRequest.Method, path: String) -> DeskError? {
        guard isComplete else { return nil }
        let allowed = methods(for: path)
        if allowed.contains(method) { return nil }
        guard !allowed.isEmpty else { return .routeNotFound(method.rawValue, path) }
        return .methodNotAllowed(method.rawValue, path, allowed: allowed.map(\.rawValue))
    }
}
