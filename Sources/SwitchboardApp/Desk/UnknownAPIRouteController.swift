import Hummingbird
import SwitchboardDesk

/// Any other `/api/…` path: 404 `route_not_found` as JSON, like every other API error, instead of
/// the server's plain 404. (Hummingbird does not fall back to this catch-all from a partly matched
/// path such as `/api/calls/CA1`; those still get the plain 404.)
struct UnknownAPIRouteController: Sendable {
    func addRoutes(to router: Router<BasicRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/api/**", method: method) { request, _ in
                DeskError.routeNotFound(request.method.rawValue, request.uri.path).response
            }
        }
    }
}
