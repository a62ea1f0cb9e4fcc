#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The spool directory could not be read or written.
public struct SpoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file or directory.
    public var path: String
    /// What went wrong, as the system says it.
    public var reason: String
    /// The system's error number, when the system said it.
    public var code: Int32?

    /// Creates an error.
    public init(path: String, reason: String, code: Int32? = nil) {
        self.path = path
        self.reason = reason
        self.code = code
    }

    /// The error the system's `errno` names for `path`, read before anything else can change it.
    static func system(_ path: String) -> SpoolError {
        let code = errno
        return SpoolError(path: path, reason: String(cString: strerror(code)), code: code)
    }

    /// The path, then the reason.
    public var description: String { "\(path): \(reason)" }
}
