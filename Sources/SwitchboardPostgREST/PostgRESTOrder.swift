/// One term of an `order=` parameter: a column, its direction and where nulls go.
public struct PostgRESTOrder: Sendable, Equatable {
    /// Where null values sort.
    public enum Nulls: String, Sendable, Equatable {
        case first = "nullsfirst"
        case last = "nullslast"
    }

    /// The column.
    public var column: String
    /// Ascending when true.
    public var ascending: Bool
    /// Where nulls sort; nil leaves PostgreSQL's default (last ascending, first descending).
    public var nulls: Nulls?

    /// Creates an ordering term.
    public init(_ column: String, ascending: Bool = true, nulls: Nulls? = nil) {
        self.column = column
        self.ascending = ascending
        self.nulls = nulls
    }

    /// `column.asc[.nullsfirst]`.
    public var term: String {
        var term = "\(PostgRESTFilter.identifier(column)).\(ascending ? "asc" : "desc")"
        if let nulls { term += ".\(nulls.rawValue)" }
        return term
    }
}
