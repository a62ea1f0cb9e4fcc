import Foundation
import SwitchboardCurl
import SwitchboardHTTP
import Testing

/// The libcurl transport against a real server on a loopback socket.
@Suite struct CurlTransportTests {
    func withTransport<T>(
        _ configuration: CurlTransport.Configuration = CurlTransport.Configuration(),
        _ body: (CurlTransport, LoopbackServer) async throws -> T
    ) async throws -> T {
        let transport = CurlTransport(configuration: configuration)
        defer { Task { await transport.shutdown() } }
        return try await LoopbackServer.with { server in try await body(transport, server) }
    }

    /// The echo server's answer: method, path, header lines, then the body.
    struct Echo {
        var method: String
        var path: String
        var headers: [String]
        var body: String

        init(_ response: HTTPResponse) {
            let parts = response.text.components(separatedBy: "\n\n")
            var lines = parts[0].components(separatedBy: "\n")
            method = lines.removeFirst()
            path = lines.removeFirst()
            headers = lines
            body = parts.dropFirst().joined(separator: "\n\n")
        }

        func header(_ name: String) -> String? {
            headers.first { $0.lowercased().hasPrefix(name.lowercased() + ":") }.map {
                String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
            }
        }
    }

    @Test(arguments: [HTTPRequest.Method.get, .post, .patch, .put, .delete])
    func sendsMethodPathHeadersAndBody(method: HTTPRequest.Method) async throws {
        try await withTransport { (transport, server) async throws in
            let body: [UInt8]? = method == .get ? nil : Array(#"{"a":1}"#.utf8)
            let response = try await transport.send(
                HTTPRequest(
                    method: method,
                    url: server.url("/echo/agents?select=id&name=eq.a%2Bb"),
                    headers: [HTTPHeader("apikey", "k"), HTTPHeader("Content-Type", "application/json")],
                    body: body
                )
            )
            #expect(response.status == 200)
            #expect(response.header("x-test") == "yes")
            let echo = Echo(response)
            #expect(echo.method == method.rawValue)
            #expect(echo.path == "/echo/agents?select=id&name=eq.a%2Bb")
            #expect(echo.header("apikey") == "k")
            #expect(echo.header("Expect") == nil, "no 100-continue round trip")
            #expect(echo.body == (method == .get ? "" : #"{"a":1}"#))
        }
    }

    @Test func headHasNoBody() async throws {
        try await withTransport { (transport, server) async throws in
            let response = try await transport.send(HTTPRequest(method: .head, url: server.url("/echo")))
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    @Test func emptyPostSendsContentLengthZero() async throws {
        try await withTransport { (transport, server) async throws in
            let echo = Echo(try await transport.send(HTTPRequest(method: .post, url: server.url("/echo"), body: [])))
            #expect(echo.header("Content-Length") == "0")
        }
    }

    @Test func reusesConnections() async throws {
        try await withTransport { (transport, server) async throws in
            for _ in 0..<25 {
                _ = try await transport.send(HTTPRequest(method: .get, url: server.url("/echo"))).successful()
            }
            #expect(server.connectionsAccepted == 1)
            #expect(transport.connectionsOpened == 1)
        }
    }

    @Test func concurrentRequestsOpenAtMostOneConnectionPerThread() async throws {
        try await withTransport(CurlTransport.Configuration(maxConcurrentRequests: 4)) { (transport, server) async throws in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask { try await transport.send(HTTPRequest(method: .get, url: server.url("/echo/\(index)"))).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(server.connectionsAccepted <= 4)
            #expect(transport.connectionsOpened == server.connectionsAccepted)
        }
    }

    @Test func statusesAreResponsesNotErrors() async throws {
        try await withTransport { (transport, server) async throws in
            let response = try await transport.send(HTTPRequest(method: .get, url: server.url("/status/503")))
            #expect(response.status == 503)
            #expect(throws: TransportError.status(503, body: Array(#"{"status":503}"#.utf8))) { try response.successful() }
        }
    }

    @Test func totalTimeout() async throws {
        try await withTransport { (transport, server) async throws in
            let start = ContinuousClock.now
            await #expect {
                try await transport.send(HTTPRequest(method: .get, url: server.url("/slow/3000"), timeouts: HTTPTimeouts(total: .milliseconds(200))))
            } throws: { error in
                if case .timeout = error as? TransportError { return true }
                return false
            }
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }

    @Test func refusedConnection() async throws {
        let port = try await LoopbackServer.with { server in server.port }  // closed now
        let transport = CurlTransport()
        defer { Task { await transport.shutdown() } }
        await #expect {
            try await transport.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/"))
        } throws: { error in
            if case .connectionRefused = error as? TransportError { return true }
            return false
        }
    }

    @Test func tlsFailureIsTyped() async throws {
        // An HTTPS request to a plain HTTP server: the handshake fails.
        try await withTransport(CurlTransport.Configuration(connectTimeout: .seconds(2))) { (transport, server) async throws in
            await #expect {
                try await transport.send(HTTPRequest(method: .get, url: "https://127.0.0.1:\(server.port)/echo"))
            } throws: { error in
                if case .tls = error as? TransportError { return true }
                return false
            }
        }
    }

    @Test func unresolvableHostIsADNSError() async throws {
        let transport = CurlTransport(configuration: CurlTransport.Configuration(connectTimeout: .seconds(3)))
        defer { Task { await transport.shutdown() } }
        await #expect {
            try await transport.send(HTTPRequest(method: .get, url: "http://switchboard-test.invalid/"))
        } throws: { error in
            if case .dns = error as? TransportError { return true }
            return false
        }
    }

    @Test func garbageIsABadResponse() async throws {
        try await withTransport { (transport, server) async throws in
            await #expect {
                try await transport.send(HTTPRequest(method: .get, url: server.url("/garbage")))
            } throws: { error in
                if case .badResponse = error as? TransportError { return true }
                return false
            }
        }
    }

    @Test func closingWithoutAnAnswerIsALostConnection() async throws {
        try await withTransport { (transport, server) async throws in
            await #expect {
                try await transport.send(HTTPRequest(method: .get, url: server.url("/reset")))
            } throws: { error in
                if case .connectionLost = error as? TransportError { return true }
                return false
            }
            // The transport recovers: the next request opens a new connection.
            #expect(try await transport.send(HTTPRequest(method: .get, url: server.url("/echo"))).status == 200)
        }
    }

    @Test func oversizedBodiesAreRefused() async throws {
        try await withTransport(CurlTransport.Configuration(maxResponseBytes: 1000)) { (transport, server) async throws in
            #expect(try await transport.send(HTTPRequest(method: .get, url: server.url("/big/1000"))).body.count == 1000)
            await #expect {
                try await transport.send(HTTPRequest(method: .get, url: server.url("/big/200000")))
            } throws: { error in
                if case .badResponse(let message) = error as? TransportError { return message.contains("1000 bytes") }
                return false
            }
        }
    }

    @Test func cancellationStopsTheTransfer() async throws {
        try await withTransport { (transport, server) async throws in
            let start = ContinuousClock.now
            let task = Task { try await transport.send(HTTPRequest(method: .get, url: server.url("/slow/4000"))) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            #expect(ContinuousClock.now - start < .seconds(3))
            #expect(throws: TransportError.self) { try result.get() }
        }
    }

    @Test func headerInjectionIsRefused() async throws {
        try await withTransport { (transport, server) async throws in
            await #expect(throws: TransportError.invalidRequest("Header X-Evil has a character HTTP forbids")) {
                try await transport.send(HTTPRequest(method: .get, url: server.url("/echo"), headers: [HTTPHeader("X-Evil", "a\r\nHost: b")]))
            }
        }
    }

    @Test func unsupportedSchemesAreRefused() async throws {
        let transport = CurlTransport()
        defer { Task { await transport.shutdown() } }
        await #expect {
            try await transport.send(HTTPRequest(method: .get, url: "file:///etc/passwd"))
        } throws: { error in
            if case .invalidRequest = error as? TransportError { return true }
            return false
        }
    }

    @Test func shutDownTransportRefusesRequests() async throws {
        let transport = CurlTransport()
        await transport.shutdown()
        await #expect {
            try await transport.send(HTTPRequest(method: .get, url: "http://127.0.0.1:1/"))
        } throws: { error in
            if case .cancelled = error as? TransportError { return true }
            return false
        }
    }
}
