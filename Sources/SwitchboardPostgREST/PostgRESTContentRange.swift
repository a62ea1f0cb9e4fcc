/// A read's `Content-Range` header as PostgREST writes it: `first-last/total`, where the range is `*`
/// when no row came back and the total is `*` unless the request asked for a count
/// (`Prefer: count=exact`). Pure.
public struct PostgRESTContentRange: Sendable, Equatable {
    /// The rows answered, as zero-based positions in the whole result; nil when none were.
    public var rows: ClosedRange<Int>?
    /// How many rows the request matched, limit and Max Rows aside; nil when not counted.
    public var total: Int?

    /// Creates a range.
    public init(rows: ClosedRange<Int>?, total: Int?) {
        self.rows = rows
        self.total = total
    }

    /// Reads a header value; nil when it is not of PostgREST's form (a range whose end is before its
    /// start, a negative or non-decimal number, a missing part).
    public init?(_ value: String) {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let range = parts[0].trimmingSpaces
        let total = parts[1].trimmingSpaces
        if total == "*" {
            self.total = nil
        } else {
            guard let count = Self.number(total) else { return nil }
            self.total = count
        }
        if range == "*" {
            rows = nil
        } else {
            let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, let first = Self.number(bounds[0]), let last = Self.number(bounds[1]), first <= last else { return nil }
            rows = first...last
        }
    }

    /// A decimal count of ASCII digits only (`Int` would also take a sign).
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text)
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
