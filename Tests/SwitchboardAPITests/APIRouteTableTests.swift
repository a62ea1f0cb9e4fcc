import HTTPTypes
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDesk
import Testing

@testable import SwitchboardApp

@Suite struct APIRouteTableTests {
    @Test func everyRouteOfTheAPIIsAPatternTheTableMatches() {
        let router = DeskHarness.router()
        let routes = router.routes.map { ($0.method, "\($0.path)") }
        let table = APIRouteTable(routes)
        // Otherwise the table would refuse nothing, and wrong methods would get the router's plain 404 again.
        #expect(table.isComplete)
        // Every route the router has, the table lets through.
        for (method, path) in routes where APIRouteTable.isAPI(path) {
            let concrete = path.replacing(/\{[^}]*\}/, with: "x1")
            #expect(table.refusal(method: method, path: concrete) == nil, "\(method) \(concrete)")
        }
    }

    @Test func parametersMatchOneWholeSegment() {
        let table = APIRouteTable([(.post, "/api/calls/{callSid}/claim"), (.get, "/api/calls/ringing"), (.get, "/twilio/x")])
        #expect(table.methods(for: "/api/calls/CA1/claim") == [.post])
        #expect(table.methods(for: "/api/calls/ringing/claim") == [.post])
        #expect(table.methods(for: "/api/calls/CA1") == [])
        #expect(table.methods(for: "/api/calls/ringing") == [.get])
        #expect(table.refusal(method: .get, path: "/api/calls/CA1/claim") == .methodNotAllowed("GET", "/api/calls/CA1/claim", allowed: ["POST"]))
        #expect(table.refusal(method: .get, path: "/api/nothing") == .routeNotFound("GET", "/api/nothing"))
    }

    @Test func aPatternTheTableCannotMatchMakesItRefuseNothing() {
        let table = APIRouteTable([(.get, "/api/files/**"), (.get, "/api/calls/ringing")])
        #expect(!table.isComplete)
        #expect(table.refusal(method: .delete, path: "/api/calls/ringing") == nil)
        #expect(table.refusal(method: .get, path: "/api/nothing") == nil)
    }
}
