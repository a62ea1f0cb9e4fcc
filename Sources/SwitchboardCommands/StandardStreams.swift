import Foundation

/// Unbuffered writes to the process's standard output and error, and whole-file reads.
enum StandardStreams {
    static func writeOut(_ string: String) { write(Array(string.utf8), to: FileHandle.standardOutput) }
    static func writeOut(_ bytes: [UInt8]) { write(bytes, to: FileHandle.standardOutput) }
    static func writeError(_ string: String) { write(Array(string.utf8), to: FileHandle.standardError) }

    private static func write(_ bytes: [UInt8], to handle: FileHandle) {
        handle.write(Data(bytes))
    }

    /// The bytes of `path`, or of standard input for `-`.
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
