import ArgumentParser
import Testing

@testable import SwitchboardCommands

/// Which store a command opens: its `--store` flag, then `SWITCHBOARD_STORE`, then the embedded file;
/// one reading for `serve`'s three kinds and the other commands' two.
@Suite struct StoreKindTests {
    @Test func theFlagThenTheEnvironmentThenTheEmbeddedFile() throws {
        #expect(try StoreOptions.parse([]).resolvedKind(environment: [:]) == .sqlite)
        #expect(try StoreOptions.parse([]).resolvedKind(environment: ["SWITCHBOARD_STORE": "postgrest"]) == .postgrest)
        #expect(try StoreOptions.parse(["--store", "sqlite"]).resolvedKind(environment: ["SWITCHBOARD_STORE": "postgrest"]) == .sqlite)
        #expect(try StoreOptions.kind(ServeCommand.StoreKind?.none, environment: ["SWITCHBOARD_STORE": "memory"]) == .memory)
        #expect(try StoreOptions.kind(ServeCommand.StoreKind.postgrest, environment: ["SWITCHBOARD_STORE": "memory"]) == .postgrest)
        #expect(try StoreOptions.kind(ServeCommand.StoreKind?.none, environment: [:]) == nil)
    }

    /// A value that names no kind is refused with the kinds there are: `memory` is one for `serve` only.
    @Test func anUnknownKindIsRefusedNamingTheKindsThereAre() {
        #expect {
            try StoreOptions.parse([]).resolvedKind(environment: ["SWITCHBOARD_STORE": "memory"])
        } throws: { error in
            "\(error)" == "SWITCHBOARD_STORE=memory is not one of sqlite, postgrest"
        }
        #expect {
            try StoreOptions.kind(ServeCommand.StoreKind?.none, environment: ["SWITCHBOARD_STORE": "Postgres"])
        } throws: { error in
            "\(error)" == "SWITCHBOARD_STORE=Postgres is not one of sqlite, memory, postgrest"
        }
    }
}
