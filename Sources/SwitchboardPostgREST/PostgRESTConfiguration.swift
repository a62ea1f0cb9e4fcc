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
    /// The project's Max Rows (Supabase's API settings, PostgREST's `db-max-rows`; 1,000 unless changed):
    /// the most rows one response holds, whatever the request asks. The store reads every list that can
    /// grow past it (agents, numbers, ringing calls, handoffs, parked calls, voicemails) in pages of this
    /// size, so none is cut short. A value above the project's setting is noticed and read around (see
    /// ``PostgRESTCallStore/observedMaxRows``).
    public var maxRows: Int

    /// Creates a configuration.
    public init(url: String, serviceRoleKey: String, schema: String = "public", retry: RetryPolicy = RetryPolicy(), maxRows: Int = 1_000) {
        self.url = url
        self.serviceRoleKey = serviceRoleKey
        self.schema = schema
        self.retry = retry
        self.maxRows = max(maxRows, 1)
    }

    /// `<url>/rest/v1`, without a trailing slash.
    public var restBase: String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/rest/v1"
    }
}
