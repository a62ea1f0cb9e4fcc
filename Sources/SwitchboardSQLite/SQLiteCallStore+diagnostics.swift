import SQLiteNIO
import SwitchboardCore

extension SQLiteCallStore {
    /// Runs `sql` as is (no binds) and returns its rows as column name → text, NULLs left out. For
    /// diagnostics and tests that look under the store: query plans, pragmas, damaged rows.
    func diagnosticRows(_ sql: String) async throws(StoreError) -> [[String: String]] {
        let rows = try await session.exclusively { (runner) async throws(StoreError) in try await runner.rows(sql) }
        return rows.map { row in
            var values: [String: String] = [:]
            for column in row.columns {
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
