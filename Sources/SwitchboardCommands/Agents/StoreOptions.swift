import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
import SwitchboardCurl
import SwitchboardPostgREST
import SwitchboardSQLite

/// `--store` with its options, for commands that work on a persistent store: the embedded SQLite
/// file (`--database`) or a Supabase project (`--store postgrest` and ``SupabaseOptions``).
struct StoreOptions: ParsableArguments {
    /// The persistent stores a command can open.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        /// The embedded SQLite file (the default).
        case sqlite
        /// A Supabase project's PostgREST API.
        case postgrest
    }

    @Option(name: .customLong("store"), help: "sqlite (default: the embedded file) or postgrest (a Supabase project) (env SWITCHBOARD_STORE).")
    var kind: Kind?

    @Option(help: "The embedded store's file (env SWITCHBOARD_DATABASE; default switchboard.sqlite).")
    var database: String?

    @OptionGroup var supabase: SupabaseOptions

    /// An open store and how to close it.
    struct Opened {
        /// The store.
        let store: any CallStore
        /// Closes the store (the SQLite file, or the HTTP transport's connections).
        let close: () async throws -> Void
    }

    /// The embedded store's file: the flag, then `SWITCHBOARD_DATABASE`, then `switchboard.sqlite`. An
    /// empty path is refused: SQLite would open a private temporary database per connection, so writes
    /// would vanish and a server's reads would find no tables.
    static func databasePath(_ flag: String?, environment: [String: String]) throws -> String {
        let path = flag ?? environment["SWITCHBOARD_DATABASE"] ?? "switchboard.sqlite"
        guard !path.isEmpty else {
            throw ValidationError(
                flag != nil
                    ? "--database cannot be empty: give the embedded store's file"
                    : "SWITCHBOARD_DATABASE is set but empty: give the embedded store's file, or unset it"
            )
        }
        return path
    }

    /// The store to open: the flag, then `SWITCHBOARD_STORE`, then the embedded file.
    func resolvedKind(environment: [String: String]) throws -> Kind {
        try Self.kind(kind, environment: environment) ?? .sqlite
    }

    /// The store kind `flag` names, else the one `SWITCHBOARD_STORE` names (refused when it names none of
    /// `Kind`'s), else nil: one reading for `serve`'s kinds and the other commands'.
    static func kind<Kind: RawRepresentable & CaseIterable>(_ flag: Kind?, environment: [String: String]) throws -> Kind?
    where Kind.RawValue == String {
        if let flag { return flag }
        guard let value = environment["SWITCHBOARD_STORE"] else { return nil }
        guard let kind = Kind(rawValue: value) else {
            throw ValidationError("SWITCHBOARD_STORE=\(value) is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    /// Opens the store, or explains why not and exits 1. `creating` lets the embedded store's file be
    /// made when missing (the commands that store something); a command that reads or changes what is
    /// there refuses a missing file, rather than making an empty database where a path was mistyped.
    func open(creating: Bool = false) async throws -> Opened {
        let environment = ProcessInfo.processInfo.environment
        switch try resolvedKind(environment: environment) {
        case .sqlite:
            let path = try Self.databasePath(database, environment: environment)
            if !creating, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
                StandardStreams.writeError("switchboard: no embedded store at \(path): `agents import` or `serve` makes one\n")
                throw ExitCode(1)
            }
            do {
                let store = try await SQLiteCallStore(path: path)
                return Opened(store: store, close: { try await store.close() })
            } catch {
                StandardStreams.writeError("switchboard: cannot open the store at \(path): \(error)\n")
                throw ExitCode(1)
            }
        case .postgrest:
            let configuration = try supabase.configuration(environment: environment)
            let transport = CurlTransport()
            return Opened(
                store: PostgRESTCallStore(
                    configuration: configuration,
                    transport: transport,
                    logger: Logger(label: "switchboard") { LineLogHandler(label: $0) }
                ),
                close: { await transport.shutdown() }
            )
        }
    }
}
