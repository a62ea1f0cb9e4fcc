/// An error from a store. Match on the code: `catch let error as StoreError where error == .notFound`.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case notFound
        case conflict
        case invalid
        case unavailable
        case timeout
        case unauthorized
        case corrupt
    }

    private let code: Code
    /// A sentence saying what went wrong.
    public let message: String
    /// The underlying error, if any, for logs.
    public let cause: String?

    private init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The record does not exist (or belongs to another tenant).
    public static let notFound = StoreError(.notFound, "")
    /// The write conflicts with existing data (a duplicate identity, say).
    public static let conflict = StoreError(.conflict, "")
    /// The input breaks a rule of the data (an empty identity, say).
    public static let invalid = StoreError(.invalid, "")
    /// The store cannot be reached or refused to work.
    public static let unavailable = StoreError(.unavailable, "")
    /// The store did not answer in time.
    public static let timeout = StoreError(.timeout, "")
    /// The store refused the credentials.
    public static let unauthorized = StoreError(.unauthorized, "")
    /// The store answered something that cannot be read.
    public static let corrupt = StoreError(.corrupt, "")

    /// A not-found error.
    public static func notFound(_ message: String) -> StoreError { StoreError(.notFound, message) }
    /// A conflict error.
    public static func conflict(_ message: String) -> StoreError { StoreError(.conflict, message) }
    /// An invalid-input error.
    public static func invalid(_ message: String) -> StoreError { StoreError(.invalid, message) }
    /// An unavailable error, with its cause.
    public static func unavailable(_ message: String, cause: String? = nil) -> StoreError { StoreError(.unavailable, message, cause: cause) }
    /// A timeout error.
    public static func timeout(_ message: String) -> StoreError { StoreError(.timeout, message) }
    /// An unauthorized error.
    public static func unauthorized(_ message: String) -> StoreError { StoreError(.unauthorized, message) }
    /// A corrupt-answer error, with its cause.
    public static func corrupt(_ message: String, cause: String? = nil) -> StoreError { StoreError(.corrupt, message, cause: cause) }

    public var description: String { cause.map { "\(message) (\($0))" } ?? message }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
}

extension StoreError {
    /// Whether trying the same write again later may succeed: the store was down, slow or refused its
    /// credentials. Anything else would fail the same way every time. The background retries of
    /// voicemails and ring events wait only for these.
    public var isWorthRetrying: Bool { self == .unavailable || self == .timeout || self == .unauthorized }
}
