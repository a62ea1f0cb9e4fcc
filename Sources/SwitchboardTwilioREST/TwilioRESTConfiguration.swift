/// Where and as whom to call Twilio's REST API.
public struct TwilioRESTConfiguration: Sendable, Equatable {
    /// The API's base URL without trailing slash: `https://api.twilio.com` in production, a local
    /// server in tests.
    public var baseURL: String
    /// The account SID (`AC…`), also the basic-auth user.
    public var accountSID: String
    /// The account's Auth Token, the basic-auth password.
    public var authToken: String

    /// Creates a configuration.
    public init(baseURL: String = "https://api.twilio.com", accountSID: String, authToken: String) {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.baseURL = String(base)
        self.accountSID = accountSID
        self.authToken = authToken
    }
}
