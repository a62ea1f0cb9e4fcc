/// Where the Supabase project is and how to talk to it. Read at the entry point (`serve --store
/// postgrest`, `SUPABASE_URL`, `SUPABASE_SERVICE_ROLE_KEY`) and passed in.
public struct PostgRESTConfiguration: Sendable, Equatable {
    /// The project URL, e.g. `https://abcd.supabase.co`; requests go to `<url>/rest/v1/…`.
    public var url: String
    /// The service-role key, sent as `apikey` and as the bearer token. Never logged.
    public var serviceRoleKey: String
    /// The schema Switchboard's tables live in; other than `public` it is sent as
    /// `Accept-Profile`/`Content-Profile`.
    public var schema: String
    /// How idempotent reads are retried.
    public var retry: RetryPolicy

    /// Creates a configuration.
    public init(url: String, serviceRoleKey: String, schema: String = "public", retry: RetryPolicy = RetryPolicy()) {
        self.url = url
        self.serviceRoleKey = serviceRoleKey
        self.schema = schema
        self.retry = retry
    }

    /// `<url>/rest/v1`, without a trailing slash.
    public var restBase: String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/rest/v1"
    }
}
