import HTTPTypes
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDesk
import Testing

@testable import SwitchboardApp

@Suite struct RouteTableTests {
    @Test func everyRouteIsAPatternTheTableMatches() {
        let router = DeskHarness.router()
        let routes = router.routes.map { ($0.method, "\($0.path)") }
        let table = RouteTable(routes)
        // Otherwise the table would refuse nothing, and wrong methods would get the router's plain 404 again.
        #expect(table.isComplete)
        #expect(routes.contains { !RouteTable.isAPI($0.1) } && routes.contains { RouteTable.isAPI($0.1) })
        // Every route the router has, the table knows and lets through.
        for (method, path) in routes {
            let concrete = path.replacing(/\{[^}]*\}/, with: "x1")
            #expect(table.methods(for: concrete).contains(method), "\(method) \(concrete)")
            if RouteTable.isAPI(path) { #expect(table.refusal(method: method, path: concrete) == nil, "\(method) \(concrete)") }
        }
    }

    @Test func parametersMatchOneWholeSegment() {
        let table = RouteTable([(.post, "/api/calls/{callSid}/claim"), (.get, "/api/calls/ringing"), (.get, "/twilio/x")])
        #expect(table.methods(for: "/api/calls/CA1/claim") == [.post])
        #expect(table.methods(for: "/api/calls/ringing/claim") == [.post])
        #expect(table.methods(for: "/api/calls/CA1") == [])
        #expect(table.methods(for: "/api/calls/ringing") == [.get])
        #expect(table.methods(for: "/twilio/x") == [.get])
        #expect(table.methods(for: "/twilio/y") == [])
        #expect(table.refusal(method: .get, path: "/api/calls/CA1/claim") == .methodNotAllowed("GET", "/api/calls/CA1/claim", allowed: ["POST"]))
        #expect(table.refusal(method: .get, path: "/api/nothing") == .routeNotFound("GET", "/api/nothing"))
    }

    @Test func aPatternTheTableCannotMatchMakesItRefuseNothing() {
        let table = RouteTable([(.get, "/api/files/**"), (.get, "/api/calls/ringing")])
        #expect(!table.isComplete)
        #expect(table.refusal(method: .delete, path: "/api/calls/ringing") == nil)
        #expect(table.refusal(method: .get, path: "/api/nothing") == nil)
        #expect(table.methods(for: "/api/calls/ringing") == [])
    }
}
