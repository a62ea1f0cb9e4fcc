import ArgumentParser
import Foundation
import SwitchboardSQLite

/// `--database PATH` for commands that work on the embedded store.
struct StoreOptions: ParsableArguments {
    @Option(help: "The embedded store's file (env SWITCHBOARD_DATABASE; default switchboard.sqlite).")
    var database: String?

    /// Opens the store, or explains why not and exits 1.
    func open() async throws -> SQLiteCallStore {
        let path = database ?? ProcessInfo.processInfo.environment["SWITCHBOARD_DATABASE"] ?? "switchboard.sqlite"
        do {
            return try await SQLiteCallStore(path: path)
        } catch {
            StandardStreams.writeError("switchboard: cannot open the store at \(path): \(error)\n")
            throw ExitCode(1)
        }
    }
}
