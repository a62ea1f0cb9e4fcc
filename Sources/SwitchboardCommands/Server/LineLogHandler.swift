import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The server's log handler: one line per record on standard error, in the layout of swift-log's
/// `StreamLogHandler` (`2026-11-23T03:40:00+0000 info switchboard: callSid=CA1 outcome=ring [SwitchboardVoice] call decision`),
/// metadata sorted by key.
///
/// It differs from `StreamLogHandler` in one way: metadata is formatted when a record is written, not
/// each time a value is set. The HTTP server sets a request ID on every request's logger, and formatting
/// the metadata then, for a line that is almost never written at the default level, cost more than the
/// voice route's whole routing decision.
public struct LineLogHandler: LogHandler {
    private let label: String
    /// The level below which records are dropped.
    public var logLevel: Logger.Level = .info
    /// Metadata of every record from this logger.
    public var metadata: Logger.Metadata = [:]
    /// Metadata added to every record from the task's context.
    public var metadataProvider: Logger.MetadataProvider?
    private let write: @Sendable (String) -> Void
    /// Serializes the lines written to standard error by every handler of the process.
    private static let standardError = Mutex(())

    /// A handler for `label` writing to standard error.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, metadataProvider: metadataProvider) { line in
            // One line at a time (a pipe keeps only short writes whole), and a failed write loses the
            // line, never the process.
            Self.standardError.withLock { _ in try? FileHandle.standardError.write(contentsOf: Data(line.utf8)) }
        }
    }

    /// A handler for `label` handing each finished line (with its newline) to `write`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = Self.timestamp()
        line += " \(event.level)\(label.isEmpty ? "" : " ")\(label):"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(Self.oneLine("\(value)"))"
        }
        line += " [\(event.source)] \(Self.oneLine("\(event.message)"))\n"
        write(line)
    }

    /// `text` with every control character and line separator escaped (`\n`, `\r`, `\t`, else
    /// `\u{1B}`; C0, DEL, C1, U+2028 and U+2029) and each backslash doubled, so a value that came from a
    /// request (a form field, a JSON body, an error quoting them) can neither end the line early nor
    /// forge another one, and an escape reads back unambiguously.
    static func oneLine(_ text: String) -> String {
        // Every byte of such a character is a control byte, a backslash, or (C1 and the separators, in
        // UTF-8) a lead byte 0xC2 or 0xE2: text without them is written as it is.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x5C || $0 == 0xC2 || $0 == 0xE2 }) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: escaped += "\\n"
            case 0x0D: escaped += "\\r"
            case 0x09: escaped += "\\t"
            case 0x5C: escaped += "\\\\"
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029:
                escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Now, as `StreamLogHandler` writes it: `%Y-%m-%dT%H:%M:%S%z` in local time.
    private static func timestamp() -> String {
        var buffer = [Int8](repeating: 0, count: 64)
        var timestamp = time(nil)
        var local = tm()
        localtime_r(&timestamp, &local)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
