/// The spool directory could not be read or written.
public struct SpoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file or directory.
    public var path: String
    /// What went wrong, as the system says it.
    public var reason: String

    /// The path, then the reason.
    public var description: String { "\(path): \(reason)" }
}
