import SQLiteNIO
import SwitchboardCore

extension SQLiteCallStore {
    /// The statements SQLite had to prepare again, with how many times; the voice route's statements
    /// should never need it.
    func statementReprepares() async throws(StoreError) -> [String: Int] {
        try await session.reprepares()
    }

    /// Runs `sql` as is (no binds) and returns its rows as column name → text, NULLs left out. For
    /// diagnostics and tests that look under the store: query plans, pragmas, damaged rows.
    func diagnosticRows(_ sql: String) async throws(StoreError) -> [[String: String]] {
        let rows = try await session.exclusively { (runner) throws(StoreError) in try runner.adHocRows(sql) }
        return rows.map { row in
            var values: [String: String] = [:]
            for column in row.namedValues {
                switch column.data {
                case .text(let text): values[column.name] = text
                case .integer(let integer): values[column.name] = String(integer)
                case .float(let double): values[column.name] = String(double)
                case .blob(let blob): values[column.name] = "<\(blob.readableBytes) bytes>"
                case .null: break
                }
            }
            return values
        }
    }
}
