import ArgumentParser
import SwitchboardTwilioREST

/// Where and as whom the commands call Twilio's REST API, from a flag, else its environment variable,
/// else the default: one rule for `serve` and `park-slots prune`.
enum TwilioAPISettings {
    /// Twilio's own API, unless `--twilio-api-base-url` or `TWILIO_API_BASE_URL` says otherwise.
    static let defaultBaseURL = "https://api.twilio.com"

    /// The configuration for `accountSID` with `authToken` (required) and the base URL from `baseURL`,
    /// `TWILIO_API_BASE_URL` or ``defaultBaseURL``, which must be an http(s) URL.
    static func configuration(
        accountSID: String,
        authToken: String?,
        baseURL: String?,
        environment: [String: String]
    ) throws -> TwilioRESTConfiguration {
        guard let authToken, !authToken.isEmpty else {
            throw ValidationError("the Twilio account \(accountSID) needs its Auth Token: --auth-token or TWILIO_AUTH_TOKEN")
        }
        let base = baseURL ?? environment["TWILIO_API_BASE_URL"] ?? defaultBaseURL
        guard base.hasPrefix("https://") || base.hasPrefix("http://") else {
            throw ValidationError("the Twilio API base URL \(base) must start with https:// or http://")
        }
        return TwilioRESTConfiguration(baseURL: base, accountSID: accountSID, authToken: authToken)
    }
}
