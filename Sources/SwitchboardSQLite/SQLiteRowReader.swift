import SQLiteNIO
import SwitchboardCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads typed values out of a result row, strictly: a missing column, a NULL where a value is required
/// or a value of the wrong type is ``StoreError/corrupt``, naming the table and column.
struct SQLiteRowReader {
    /// The table the row came from, for error messages.
    let table: String
    let row: SQLiteResultRow

    func text(_ column: String) throws(StoreError) -> String {
        guard let value = try optionalText(column) else { throw .unreadable(table, column: column, found: .null) }
        return value
    }

    func optionalText(_ column: String) throws(StoreError) -> String? {
        switch row.column(column) {
        case .text(let value): return value
        case .null: return nil
        case let other: throw .unreadable(table, column: column, found: other)
        }
    }

    func integer(_ column: String) throws(StoreError) -> Int {
        guard let value = try optionalInteger(column) else { throw .unreadable(table, column: column, found: .null) }
        return value
    }

    func optionalInteger(_ column: String) throws(StoreError) -> Int? {
        switch row.column(column) {
        case .integer(let value): return Int(value)
        case .null: return nil
        case let other: throw .unreadable(table, column: column, found: other)
        }
    }

    func date(_ column: String) throws(StoreError) -> Date {
        guard let value = try optionalDate(column) else { throw .unreadable(table, column: column, found: .null) }
        return value
    }

    /// A date stored as Unix seconds (REAL; an INTEGER is accepted too).
    func optionalDate(_ column: String) throws(StoreError) -> Date? {
        switch row.column(column) {
        case .float(let seconds) where seconds.isFinite: return Date(timeIntervalSince1970: seconds)
        case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .null: return nil
        case let other: throw .unreadable(table, column: column, found: other)
        }
    }

    /// A date column's raw Unix seconds, as SQL compares them; nil for NULL.
    func optionalUnixSeconds(_ column: String) throws(StoreError) -> Double? {
        switch row.column(column) {
        case .float(let seconds) where seconds.isFinite: return seconds
        case .integer(let seconds): return Double(seconds)
        case .null: return nil
        case let other: throw .unreadable(table, column: column, found: other)
        }
    }

    /// A `RawRepresentable` value stored as its raw text.
    func value<Value: RawRepresentable>(_ column: String, as type: Value.Type) throws(StoreError) -> Value where Value.RawValue == String {
        let raw = try text(column)
        guard let value = Value(rawValue: raw) else { throw .unreadable(table, column: column, found: .text(raw)) }
        return value
    }
}

extension SQLiteData {
    /// A date as Unix seconds.
    init(_ date: Date) {
        self = .float(date.timeIntervalSince1970)
    }

    /// An optional date as Unix seconds or NULL.
    init(_ date: Date?) {
        self = date.map { .float($0.timeIntervalSince1970) } ?? .null
    }

    /// Optional text or NULL.
    init(_ text: String?) {
        self = text.map { .text($0) } ?? .null
    }

    /// An optional integer or NULL.
    init(_ integer: Int?) {
        self = integer.map { .integer($0) } ?? .null
    }
}
