import ArgumentParser
import SwitchboardTwilioREST

/// Where and as whom a command calls Twilio's REST API: the account and base URL flags `serve` and
/// `park-slots prune` share, each falling back to its environment variable. The Auth Token is the
/// command's own (`serve` checks webhooks with it too).
struct TwilioAPIOptions: ParsableArguments {
    @Option(
        help: "The Twilio account SID for the REST API (env TWILIO_ACCOUNT_SID); serve uses it for parking, and voicemail once every agent declined."
    )
    var twilioAccountSID: String?

    @Option(help: "Twilio's REST API base URL (env TWILIO_API_BASE_URL; default https://api.twilio.com).")
    var twilioAPIBaseURL: String?

    /// The account SID from the flag, else `TWILIO_ACCOUNT_SID`; nil when neither gives one.
    func accountSID(environment: [String: String]) -> String? {
        guard let sid = twilioAccountSID ?? environment["TWILIO_ACCOUNT_SID"], !sid.isEmpty else { return nil }
        return sid
    }

    /// The configuration for `accountSID` with `authToken` (required) and the base URL from the flag,
    /// `TWILIO_API_BASE_URL` or Twilio's own, which must be an http(s) URL.
    func configuration(accountSID: String, authToken: String?, environment: [String: String]) throws -> TwilioRESTConfiguration {
        guard let authToken, !authToken.isEmpty else {
            throw ValidationError("the Twilio account \(accountSID) needs its Auth Token: --auth-token or TWILIO_AUTH_TOKEN")
        }
        let base = twilioAPIBaseURL ?? environment["TWILIO_API_BASE_URL"] ?? "https://api.twilio.com"
        guard base.hasPrefix("https://") || base.hasPrefix("http://") else {
            throw ValidationError("the Twilio API base URL \(base) must start with https:// or http://")
        }
        return TwilioRESTConfiguration(baseURL: base, accountSID: accountSID, authToken: authToken)
    }
}
