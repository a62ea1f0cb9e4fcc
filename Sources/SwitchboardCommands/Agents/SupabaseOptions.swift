import ArgumentParser
import SwitchboardPostgREST

/// `--supabase-url`, `--supabase-service-role-key` and `--supabase-schema`, for commands that can work
/// on a Supabase project (`--store postgrest`). Each flag falls back to its environment variable.
struct SupabaseOptions: ParsableArguments {
    @Option(help: "With --store postgrest: the Supabase project URL, e.g. https://abcd.supabase.co (env SUPABASE_URL).")
    var supabaseURL: String?

    @Option(help: "With --store postgrest: the project's service-role key (env SUPABASE_SERVICE_ROLE_KEY). Prefer the variable: flags show in ps.")
    var supabaseServiceRoleKey: String?

    @Option(help: "With --store postgrest: the schema holding Switchboard's tables (env SUPABASE_SCHEMA; default public).")
    var supabaseSchema: String?

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
        return PostgRESTConfiguration(url: url, serviceRoleKey: key, schema: schema.isEmpty ? "public" : schema)
    }
}
