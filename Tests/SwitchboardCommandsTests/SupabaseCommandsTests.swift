import Foundation
import SwitchboardTestSupport
import Testing

/// The agent and number commands on a Supabase project (`--store postgrest`), against the test
/// gateway: what an operator runs to load agents into production.
@Suite struct SupabaseCommandsTests {
    let cli = CommandLineTests()

    @Test func agentsImportListSetPresenceAndNumbersAddWorkOnSupabase() async throws {
        let gateway = try TestGateway.fromEnvironment()
        try await gateway.withDatabase { (url, _) async throws in
            let store = ["--store", "postgrest", "--supabase-url", url, "--supabase-service-role-key", gateway.serviceRoleKey]
            let agents =
                #"[{"identity": "alice", "name": "Alice", "email": "a@x.com", "presence": "available"}, {"identity": "bob", "name": "Bob", "email": "b@x.com", "presence": "away", "tenant": "acme"}]"#
            let imported = try cli.run(["agents", "import", "-"] + store, stdin: Array(agents.utf8))
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(String(decoding: imported.stdout, as: UTF8.self) == "imported 2 of 2 agents\n")
            #expect(try cli.run(["agents", "set-presence", "alice", "offline"] + store).status == 0)
            let list = try cli.run(["agents", "list"] + store)
            #expect(String(decoding: list.stdout, as: UTF8.self) == "acme\tbob\taway\tBob\tb@x.com\t-\ndefault\talice\toffline\tAlice\ta@x.com\t-\n")
            // Read one row per response, the list still comes whole.
            let paged = try cli.run(["agents", "list", "--supabase-max-rows", "1"] + store)
            #expect(paged.status == 0, "\(paged.stderr)")
            #expect(paged.stdout == list.stdout)
            let missing = try cli.run(["agents", "set-presence", "nobody", "away"] + store)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("nobody"))
            let number = try cli.run(["numbers", "add", "+15005550006", "--tenant", "acme"] + store)
            #expect(number.status == 0, "\(number.stderr)")
            let taken = try cli.run(["numbers", "add", "+15005550006", "--tenant", "globex"] + store)
            #expect(taken.status == 1)
            #expect(taken.stderr.contains("belongs to tenant acme"), "\(taken.stderr)")
            let numbers = try cli.run(["numbers", "list"] + store)
            #expect(String(decoding: numbers.stdout, as: UTF8.self) == "+15005550006\tacme\n")
        }
    }

    @Test func aMaxRowsThatIsNotAPositiveNumberIsRefused() throws {
        let result = try cli.run([
            "agents", "list", "--store", "postgrest", "--supabase-url", "https://abcd.supabase.co", "--supabase-service-role-key", "k",
            "--supabase-max-rows", "0",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("must be a whole number above 0"), "\(result.stderr)")
    }

    @Test func postgrestWithoutAKeySaysWhichVariableIsMissing() throws {
        let result = try cli.run(["agents", "list", "--store", "postgrest", "--supabase-url", "https://abcd.supabase.co"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("SUPABASE_SERVICE_ROLE_KEY"), "\(result.stderr)")
    }
}
