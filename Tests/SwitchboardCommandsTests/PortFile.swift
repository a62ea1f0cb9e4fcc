import Foundation
import SwitchboardTestSupport

/// A file `switchboard serve --port 0 --port-file` writes the port it listens on to: the system picks a
/// free port, so servers started by tests never collide.
struct PortFile {
    let url: URL

    /// A new path in the temporary directory; nothing is created until the server writes it.
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-port-\(UUID().uuidString)")
    }

    /// The port, once the server has written it; throws after `timeout`, or as soon as `process` exits.
    func port(of process: Process, timeout: Duration = .seconds(20)) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let text = try? String(contentsOf: url, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return port
            }
            guard process.isRunning else { throw TestGatewayError.timedOut("serve exited (\(process.terminationStatus)) before writing \(url.path)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestGatewayError.timedOut("serve did not write its port to \(url.path) within \(timeout)")
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
