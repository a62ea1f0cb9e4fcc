import ArgumentParser
import SwitchboardCore
import SwitchboardSQLite

/// `switchboard numbers add NUMBER --tenant T [--move]` maps a called number to a tenant;
/// `switchboard numbers remove NUMBER` unmaps it; `switchboard numbers list` prints the mappings.
struct NumbersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers",
        abstract: "Map called numbers to tenants. With no numbers mapped, every call belongs to the default tenant.",
        subcommands: [Add.self, Remove.self, List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print each mapped number and its tenant, a line each.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let opened = try await store.open()
            let mappings = try await opened.store.numberMappings()
            try await opened.close()
            StandardStreams.writeOut(mappings.map { "\($0.number)\t\($0.tenant)\n" }.joined())
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unmap a number: its calls then belong to no tenant and go to voicemail.",
            discussion: "Removing the last mapped number puts every call back in the default tenant, as before any was mapped; the command says so."
        )

        @Argument(help: "The number, such as +15005550006.")
        var number: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let opened = try await store.open()
            let store = opened.store
            guard let owner = try await store.unmapNumber(number) else {
                try await opened.close()
                StandardStreams.writeError("switchboard numbers remove: \(number) is not mapped\n")
                throw ExitCode(1)
            }
            StandardStreams.writeOut("\(number) no longer belongs to \(owner)\n")
            // Said once the removal is done; a store that cannot count now leaves the removal standing.
            if let left = try? await store.numberMappings().count, left == 0 {
                StandardStreams.writeOut("no numbers are mapped now: every call belongs to the default tenant\n")
            }
            try await opened.close()
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Map a number (E.164) to a tenant.")

        @Argument(help: "The number, such as +15005550006.")
        var number: String

        @Option(help: "The tenant that owns it.")
        var tenant: String

        @Flag(help: "Give the number to --tenant although another tenant owns it (its calls go to the new tenant at once).")
        var move = false

        @OptionGroup var store: StoreOptions

        func validate() throws {
            let digits = number.dropFirst()
            guard number.hasPrefix("+"), (2...15).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                digits.first != "0"
            else {
                throw ValidationError("\(number) is not an E.164 number (+ then 2 to 15 digits, the first not 0)")
            }
            if let problem = TenantID(tenant).problem { throw ValidationError(problem) }
        }

        func run() async throws {
            let opened = try await store.open(creating: true)
            let store = opened.store
            // Another tenant that owns the number, if one does.
            let mappings = try await store.numberMappings()
            let owner = mappings.first { $0.number == number && $0.tenant != TenantID(tenant) }?.tenant
            if let owner, !move {
                try await opened.close()
                // Re-pointing a live number sends its callers to another tenant's agents: never by accident.
                StandardStreams.writeError("switchboard numbers add: \(number) belongs to tenant \(owner); add --move to give it to \(tenant)\n")
                throw ExitCode(1)
            }
            try await store.mapNumber(number, to: TenantID(tenant))
            try await opened.close()
            if let owner {
                StandardStreams.writeOut("\(number) moved from \(owner) to \(tenant)\n")
            } else {
                StandardStreams.writeOut("\(number) belongs to \(tenant)\n")
            }
            if mappings.isEmpty {
                // The reverse of what `numbers remove` says of the last number.
                StandardStreams.writeOut(
                    "the first mapped number: from now on a call belongs to the tenant its number is mapped to, and a call to a number no tenant owns goes to voicemail (the default tenant's calls too, unless their numbers are mapped to it)\n"
                )
            }
        }
    }
}
