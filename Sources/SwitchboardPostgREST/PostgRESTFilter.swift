/// A row filter in PostgREST's query grammar. Values can never change the query: inside lists and
/// logic trees every value is double-quoted with `\` and `"` escaped, and at the top level PostgREST
/// takes the rest of the parameter verbatim; the whole parameter is then percent-encoded (see
/// ``PostgRESTQuery``).
public indirect enum PostgRESTFilter: Sendable, Equatable {
    /// The comparison operators that take one value.
    public enum Operator: String, Sendable, Equatable {
        case eq, neq, gt, gte, lt, lte, like, ilike
    }

    /// The values `is` accepts.
    public enum IsValue: String, Sendable, Equatable {
        case null, `true`, `false`, unknown
    }

    /// `column op value`.
    case compare(String, Operator, String)
    /// `column IS value`.
    case `is`(String, IsValue)
    /// `column = ANY(values)`; an empty list matches nothing.
    case `in`(String, [String])
    /// The negation of a filter.
    case not(PostgRESTFilter)
    /// Any of the filters.
    case or([PostgRESTFilter])
    /// All of the filters.
    case and([PostgRESTFilter])

    /// `column = value`.
    public static func eq(_ column: String, _ value: String) -> PostgRESTFilter { .compare(column, .eq, value) }

    /// The query parameter this filter becomes at the top level of a query: name and value, before
    /// percent-encoding.
    public var parameter: (name: String, value: String) {
        switch self {
        case .or(let filters): ("or", Self.group(filters))
        case .and(let filters): ("and", Self.group(filters))
        case .not(.or(let filters)): ("not.or", Self.group(filters))
        case .not(.and(let filters)): ("not.and", Self.group(filters))
        case .not(.not(let filter)): filter.parameter
        case .not(let filter):
            filter.leaf(quotingValues: false).map { (Self.identifier($0.column), "not.\($0.predicate)") } ?? filter.parameter
        default:
            leaf(quotingValues: false).map { (Self.identifier($0.column), $0.predicate) } ?? ("", "")
        }
    }

    /// The filter as an element of an `or=(…)` or `and=(…)` group, with its value quoted.
    var groupElement: String {
        switch self {
        case .or(let filters): "or\(Self.group(filters))"
        case .and(let filters): "and\(Self.group(filters))"
        case .not(.not(let filter)): filter.groupElement
        case .not(.or(let filters)): "not.or\(Self.group(filters))"
        case .not(.and(let filters)): "not.and\(Self.group(filters))"
        case .not(let filter):
            filter.leaf(quotingValues: true).map { "\(Self.identifier($0.column)).not.\($0.predicate)" } ?? filter.groupElement
        default:
            leaf(quotingValues: true).map { "\(Self.identifier($0.column)).\($0.predicate)" } ?? ""
        }
    }

    /// A single-column filter's column and `op.value` part; nil for groups and negations.
    private func leaf(quotingValues: Bool) -> (column: String, predicate: String)? {
        switch self {
        case .compare(let column, let op, let value): (column, "\(op.rawValue).\(quotingValues ? Self.quoted(value) : value)")
        case .is(let column, let value): (column, "is.\(value.rawValue)")
        case .in(let column, let values): (column, "in.\(Self.list(values))")
        case .not, .or, .and: nil
        }
    }

    /// `"value"`, with backslashes and double quotes escaped as PostgREST's list grammar reads them.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for character in value {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        result.append("\"")
        return result
    }

    /// A column name, double-quoted when it holds anything but letters, digits and underscores.
    static func identifier(_ name: String) -> String {
        let plain =
            !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
        return plain ? name : quoted(name)
    }

    private static func list(_ values: [String]) -> String {
        "(" + values.map(quoted).joined(separator: ",") + ")"
    }

    private static func group(_ filters: [PostgRESTFilter]) -> String {
        "(" + filters.map(\.groupElement).joined(separator: ",") + ")"
    }
}
