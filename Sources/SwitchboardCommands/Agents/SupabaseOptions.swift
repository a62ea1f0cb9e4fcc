import ArgumentParser
import SwitchboardPostgREST

/// `--supabase-url`, `--supabase-service-role-key`, `--supabase-schema` and `--supabase-max-rows`, for commands that can work
/// on a Supabase project (`--store postgrest`). Each flag falls back to its environment variable.
struct SupabaseOptions: ParsableArguments {
    @Option(help: "With --store postgrest: the Supabase project URL, e.g. https://abcd.supabase.co (env SUPABASE_URL).")
    var supabaseURL: String?

    @Option(help: "With --store postgrest: the project's service-role key (env SUPABASE_SERVICE_ROLE_KEY). Prefer the variable: flags show in ps.")
    var supabaseServiceRoleKey: String?

    @Option(help: "With --store postgrest: the schema holding Switchboard's tables (env SUPABASE_SCHEMA; default public).")
    var supabaseSchema: String?

    @Option(
        help:
            "With --store postgrest: the project's Max Rows, the most rows one response holds; longer lists are read in pages of this size, or of what the project answers when that is less, with a warning (env SUPABASE_MAX_ROWS; default 1000, Supabase's own default)."
    )
    var supabaseMaxRows: Int?

    /// The Supabase store's configuration from flags, then environment.
    func configuration(environment: [String: String]) throws -> PostgRESTConfiguration {
        guard let url = supabaseURL ?? environment["SUPABASE_URL"], !url.isEmpty else {
            throw ValidationError("--store postgrest needs the project URL: --supabase-url or SUPABASE_URL")
        }
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw ValidationError("the Supabase URL \(url) must start with https:// (or http:// for a local stack)")
        }
        guard let key = supabaseServiceRoleKey ?? environment["SUPABASE_SERVICE_ROLE_KEY"], !key.isEmpty else {
            throw ValidationError("--store postgrest needs the service-role key: SUPABASE_SERVICE_ROLE_KEY (or --supabase-service-role-key)")
        }
        let schema = supabaseSchema ?? environment["SUPABASE_SCHEMA"] ?? "public"
        var maxRows = 1_000
        if let given = supabaseMaxRows.map(String.init) ?? environment["SUPABASE_MAX_ROWS"], !given.isEmpty {
            guard let value = Int(given), value > 0 else {
                throw ValidationError("the Supabase Max Rows \(given) must be a whole number above 0 (--supabase-max-rows or SUPABASE_MAX_ROWS)")
            }
            maxRows = value
        }
        return PostgRESTConfiguration(url: url, serviceRoleKey: key, schema: schema.isEmpty ? "public" : schema, maxRows: maxRows)
    }
}
