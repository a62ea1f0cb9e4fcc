import Foundation
import Hummingbird
import Logging
import SwitchboardApp
import SwitchboardCore
import SwitchboardDesk
import Testing
import Yams

/// `docs/openapi.yaml` and the router agree: the same `/api` operations, and every error code.
@Suite struct OpenAPIDocumentTests {
    static func document() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func routerOperations() -> Set<String> {
        let router = DeskHarness.router()
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path)" }.filter { $0.contains(" /api/") && !$0.hasSuffix("/**") })
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any])
            for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let routed = Self.routerOperations()
        #expect(routed.count == 17)
        #expect(routed.subtracting(documented).isEmpty, "not documented: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
    }

    @Test func everyErrorCodeIsDocumented() throws {
        let components = try #require(try Self.document()["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let error = try #require(schemas["Error"] as? [String: Any])
        let properties = try #require(error["properties"] as? [String: Any])
        let code = try #require(properties["error"] as? [String: Any])
        let documented = Set(try #require(code["enum"] as? [String]))
        #expect(documented == Set(DeskError.Code.allCases.map(\.rawValue)))
    }

    @Test func everyOperationDocumentsTheAuthenticationErrors() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: Any])
        for (path, item) in paths {
            for (method, operation) in try #require(item as? [String: Any]) {
                let responses = try #require((operation as? [String: Any])?["responses"] as? [String: Any], "\(method) \(path)")
                #expect(responses["401"] != nil, "\(method) \(path)")
                #expect(responses["403"] != nil, "\(method) \(path)")
            }
        }
    }

    /// A path parameter with a malformed escape is answered 400 `invalid_request`.
    @Test func everyOperationWithAPathParameterDocumentsTheBadRequest() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: Any])
        for (path, item) in paths where path.contains("{") {
            for (method, operation) in try #require(item as? [String: Any]) {
                let responses = try #require((operation as? [String: Any])?["responses"] as? [String: Any], "\(method) \(path)")
                #expect(responses["400"] != nil, "\(method) \(path)")
            }
        }
    }
}
