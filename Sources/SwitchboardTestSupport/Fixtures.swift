import Foundation
import Testing

/// Finds files under the package's `Fixtures/` folder and compares output with golden files. Used by
/// the test targets only.
///
/// Set `SWITCHBOARD_RECORD_FIXTURES=1` to write the actual output over a golden file; the recording
/// test then fails, so a recorded run is never a green run. Under CI (`CI` set) nothing is recorded.
public enum Fixtures {
    /// The package's `Fixtures/` folder, found by walking up from this file to `Package.swift`.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.appendingPathComponent("Fixtures")
            }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// The files in `Fixtures/folder` ending in `.suffix`, sorted, as names without the suffix.
    public static func names(in folder: String, suffix: String) -> [String] {
        let directory = root.appendingPathComponent(folder)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix("." + suffix) }.map { String($0.dropLast(suffix.count + 1)) }.sorted()
    }

    /// The bytes of `Fixtures/folder/file`.
    public static func read(_ folder: String, _ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(file)))
    }

    /// Expects `actual` to equal the golden file byte for byte, or records it when asked.
    public static func assertGolden(_ actual: [UInt8], _ folder: String, _ file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = root.appendingPathComponent(folder).appendingPathComponent(file)
        let environment = ProcessInfo.processInfo.environment
        if environment["SWITCHBOARD_RECORD_FIXTURES"] == "1" && environment["CI"] == nil {
            try Data(actual).write(to: url)
            Issue.record("recorded \(folder)/\(file); run again without SWITCHBOARD_RECORD_FIXTURES", sourceLocation: sourceLocation)
            return
        }
        let expected = Array(try Data(contentsOf: url))
        #expect(
            actual == expected,
            "\(folder)/\(file) differs:\n  actual:   \(String(decoding: actual, as: UTF8.self))\n  expected: \(String(decoding: expected, as: UTF8.self))",
            sourceLocation: sourceLocation
        )
    }
}
