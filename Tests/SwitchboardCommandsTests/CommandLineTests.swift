import Foundation
import SwitchboardTestSupport
import Testing

/// Runs the real `switchboard` binary that `swift build` put next to the test bundle, checking exit
/// codes and the exact bytes on stdout.
@Suite struct CommandLineTests {
    init() {}

    static var binary: URL {
        let directory = Bundle.main.executableURL?.deletingLastPathComponent() ?? Bundle.main.bundleURL
        return directory.appendingPathComponent("switchboard")
    }

    struct Run {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    func run(_ arguments: [String], stdin: [UInt8] = []) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        let error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: Array(out), stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func theBinaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the switchboard product first: \(Self.binary.path)")
    }

    @Test func renderReadsAFileAndPrintsTheGoldenBytes() throws {
        let result = try run(["render", Fixtures.root.appendingPathComponent("twiml/ring-all-10.json").path])
        #expect(result.status == 0)
        #expect(result.stdout == (try Fixtures.read("twiml", "ring-all-10.xml")))
    }

    @Test func renderReadsStandardInput() throws {
        let result = try run(["render", "-"], stdin: Array(#"{"name": "Response", "children": [{"name": "Hangup"}]}"#.utf8))
        #expect(result.status == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self) == #"<?xml version="1.0" encoding="UTF-8"?><Response><Hangup /></Response>"#)
    }

    @Test func renderErrorsGoToStandardErrorWithExitCodeOne() throws {
        let result = try run(["render", "-"], stdin: Array(#"{"name": "Response", "children": [{"name": "Hangup", "text": "x"}]}"#.utf8))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "-: Response/Hangup[1]: nesting: <Hangup> takes no text\n")
    }

    @Test func aMissingFileExitsOne() throws {
        let result = try run(["render", "/nonexistent/x.json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read /nonexistent/x.json"))
    }

    @Test(arguments: [["render", "--bogus"], ["lint"], ["nosuchcommand"], ["render", "a", "b"]])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let result = try run(arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }

    @Test func lintExitsOneAndPrintsEachViolation() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.xml")
        let bad = directory.appendingPathComponent("bad.xml")
        try Data(#"<Response><Hangup/></Response>"#.utf8).write(to: good)
        try Data("<Response>\n<Record/>\n</Response>".utf8).write(to: bad)
        let clean = try run(["lint", good.path])
        #expect(clean.status == 0)
        #expect(clean.stdout.isEmpty)
        let dirty = try run(["lint", good.path, bad.path])
        #expect(dirty.status == 1)
        #expect(String(decoding: dirty.stdout, as: UTF8.self).hasPrefix("\(bad.path):2:"))
    }

    @Test func helpExitsZero() throws {
        let result = try run(["--help"])
        #expect(result.status == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self).contains("render"))
    }
}
