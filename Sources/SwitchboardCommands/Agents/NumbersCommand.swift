import ArgumentParser
import SwitchboardCore
import SwitchboardSQLite

/// `switchboard numbers add NUMBER --tenant T`: maps a called number to a tenant.
struct NumbersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers",
        abstract: "Map called numbers to tenants. With no numbers mapped, every call belongs to the default tenant.",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Map a number (E.164) to a tenant.")

        @Argument(help: "The number, such as +15005550006.")
        var number: String

        @Option(help: "The tenant that owns it.")
        var tenant: String

        @OptionGroup var store: StoreOptions

        func validate() throws {
            let digits = number.dropFirst()
            guard number.hasPrefix("+"), (2...15).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
                throw ValidationError("\(number) is not an E.164 number (+ then 2 to 15 digits)")
            }
            guard !tenant.isEmpty else { throw ValidationError("the tenant is empty") }
        }

        func run() async throws {
            let opened = try await store.open()
            let store = opened.store
            try await store.mapNumber(number, to: TenantID(tenant))
            try await opened.close()
            StandardStreams.writeOut("\(number) belongs to \(tenant)\n")
        }
    }
}
