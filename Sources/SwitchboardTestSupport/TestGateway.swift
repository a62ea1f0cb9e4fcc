import Foundation
import SwitchboardCurl
import SwitchboardHTTP

/// The PostgREST-compatible gateway the test command starts in front of a real PostgreSQL
/// (`scripts/test-postgres.sh`, `Tests/Gateway`). Each test gets a database of its own, copied from
/// a template with Switchboard's migrations applied, and drops it afterwards.
///
/// The gateway is a required component: without it these tests fail, naming the command to run.
public struct TestGateway: Sendable {
    /// The gateway's base URL, e.g. `http://127.0.0.1:54321`.
    public let url: String
    /// The service-role key the gateway accepts.
    public let serviceRoleKey: String
    /// The token for the gateway's test-only `/admin` routes.
    public let adminToken: String

    /// The transport the tests share for talking to the gateway.
    public static let transport = CurlTransport(configuration: CurlTransport.Configuration(maxConcurrentRequests: 32))

    /// The gateway named by the test environment.
    /// - Throws: ``TestGatewayError`` naming what is missing when the environment does not name one.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TestGateway {
        let names = ["SWITCHBOARD_TEST_GATEWAY_URL", "SWITCHBOARD_TEST_SUPABASE_KEY", "SWITCHBOARD_TEST_GATEWAY_ADMIN_TOKEN"]
        let values = names.map { environment[$0] ?? "" }
        if let missing = zip(names, values).first(where: { $0.1.isEmpty })?.0 {
            throw TestGatewayError(
                "\(missing) is not set: the Supabase store's tests need PostgreSQL and the test gateway. "
                    + "Run the whole suite with scripts/test.sh, or wrap swift test in: scripts/test-postgres.sh run -- swift test"
            )
        }
        return TestGateway(url: values[0], serviceRoleKey: values[1], adminToken: values[2])
    }

    /// A fresh database with the migrations applied: its Supabase-style URL (append `/rest/v1`) and
    /// its name.
    public func createDatabase() async throws -> (url: String, name: String) {
        let response = try await admin(.post, "/admin/databases")
        guard response.status == 201, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let url = object["url"] as? String, let name = object["name"] as? String
        else { throw TestGatewayError("the gateway did not create a database: HTTP \(response.status) \(response.text)") }
        return (url, name)
    }

    /// Drops a database made by ``createDatabase()``.
    public func dropDatabase(_ name: String) async throws {
        let response = try await admin(.delete, "/admin/databases/\(name)")
        guard response.isSuccess else { throw TestGatewayError("the gateway did not drop \(name): HTTP \(response.status) \(response.text)") }
    }

    /// Sets a fault on one database's `/rest/v1` routes: `none`, `slow` (with `delayMilliseconds`),
    /// `garbage`, `unavailable` or `reset`.
    public func setFault(_ mode: String, database: String, delayMilliseconds: Int = 0) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["database": database, "mode": mode, "delay_ms": delayMilliseconds])
        let response = try await admin(.post, "/admin/faults", body: Array(body))
        guard response.isSuccess else { throw TestGatewayError("the gateway refused fault \(mode): HTTP \(response.status) \(response.text)") }
    }

    /// TCP connections the gateway has accepted since it started.
    public func connectionsAccepted() async throws -> Int {
        let response = try await admin(.get, "/admin/stats")
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let count = object["connections_accepted"] as? Int
        else { throw TestGatewayError("the gateway's stats are unreadable: \(response.text)") }
        return count
    }

    /// Runs `body` with a fresh database's URL and name, and drops the database afterwards.
    public func withDatabase<T>(_ body: (_ url: String, _ name: String) async throws -> T) async throws -> T {
        let (url, name) = try await createDatabase()
        do {
            let result = try await body(url, name)
            try await dropDatabase(name)
            return result
        } catch {
            try? await dropDatabase(name)
            throw error
        }
    }

    private func admin(_ method: HTTPRequest.Method, _ path: String, body: [UInt8]? = nil) async throws -> HTTPResponse {
        var headers = [HTTPHeader("X-Gateway-Admin", adminToken)]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        return try await Self.transport.send(
            HTTPRequest(method: method, url: url + path, headers: headers, body: body, timeouts: HTTPTimeouts(total: .seconds(30)))
        )
    }
}

/// The test gateway is missing or misbehaved.
public struct TestGatewayError: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    public let description: String

    init(_ description: String) { self.description = description }

    /// Something the test waited for did not happen in time.
    public static func timedOut(_ what: String) -> TestGatewayError { TestGatewayError("timed out: \(what)") }
}
