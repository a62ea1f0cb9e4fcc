import ArgumentParser
import SwitchboardDesk
import SwitchboardTwilioREST

/// `serve`'s options for the agents' API (`/api/…`). Each flag falls back to its environment
/// variable. The API is on when a JWT secret is given.
struct DeskOptions: ParsableArguments {
    @Option(help: "The Supabase project's JWT secret; turns the agents' API on (env SUPABASE_JWT_SECRET). Prefer the variable.")
    var jwtSecret: String?

    @Option(help: "The audience access tokens must be issued for (env SUPABASE_JWT_AUDIENCE; default authenticated).")
    var jwtAudience: String?

    @Flag(
        inversion: .prefixedNo,
        help: "Create a signed-in user's agent record on their first request (env SWITCHBOARD_AUTO_PROVISION=true|false; default on)."
    )
    var autoProvision: Bool?

    @OptionGroup var twilioAPI: TwilioAPIOptions

    @Option(help: "Seconds of wrap-up after a call (env SWITCHBOARD_WRAP_UP_SECONDS; default 30).")
    var wrapUpSeconds: Int?

    @Option(help: "Rings missed in a row before an agent is set away; 0 turns it off (env SWITCHBOARD_MISSED_RINGS_BEFORE_AWAY; default 3).")
    var missedRingsBeforeAway: Int?

    @Option(help: "Seconds a call stays parked before it rings its parker again (env SWITCHBOARD_PARK_TIMEOUT_SECONDS; default 120).")
    var parkTimeoutSeconds: Int?

    @Option(help: "The hold music parked callers hear (env SWITCHBOARD_HOLD_MUSIC_URL).")
    var holdMusicURL: String?

    /// What the agents' API needs: its configuration, and Twilio's REST API when an account SID is given.
    struct Resolved {
        var desk: DeskConfiguration
        var twilio: TwilioRESTConfiguration?
    }

    /// The configuration from flags, then environment, then defaults; nil when no JWT secret turns the
    /// API on. `twilioAuthToken` is the primary Auth Token the webhooks are checked with.
    func resolve(environment: [String: String], twilioAuthToken: String?) throws -> Resolved? {
        guard let secret = jwtSecret ?? environment["SUPABASE_JWT_SECRET"], !secret.isEmpty else { return nil }
        var desk = DeskConfiguration(
            token: TokenConfiguration(secret: secret, audience: jwtAudience ?? environment["SUPABASE_JWT_AUDIENCE"] ?? "authenticated")
        )
        if let flag = autoProvision {
            desk.autoProvisioning = flag
        } else if let value = environment["SWITCHBOARD_AUTO_PROVISION"] {
            switch value.lowercased() {
            case "true", "1", "yes", "on": desk.autoProvisioning = true
            case "false", "0", "no", "off": desk.autoProvisioning = false
            default: throw ValidationError("SWITCHBOARD_AUTO_PROVISION=\(value) is not true or false")
            }
        }
        desk.wrapUpSeconds = try Self.integer(wrapUpSeconds, environment, "SWITCHBOARD_WRAP_UP_SECONDS", range: 0...3600) ?? desk.wrapUpSeconds
        desk.missedRingsBeforeAway =
            try Self.integer(missedRingsBeforeAway, environment, "SWITCHBOARD_MISSED_RINGS_BEFORE_AWAY", range: 0...100) ?? desk.missedRingsBeforeAway
        desk.parkTimeoutSeconds =
            try Self.integer(parkTimeoutSeconds, environment, "SWITCHBOARD_PARK_TIMEOUT_SECONDS", range: 10...86400) ?? desk.parkTimeoutSeconds
        if let music = holdMusicURL ?? environment["SWITCHBOARD_HOLD_MUSIC_URL"], !music.isEmpty { desk.holdMusicURL = music }
        var twilio: TwilioRESTConfiguration?
        if let sid = twilioAPI.accountSID(environment: environment) {
            twilio = try twilioAPI.configuration(accountSID: sid, authToken: twilioAuthToken, environment: environment)
        }
        return Resolved(desk: desk, twilio: twilio)
    }

    private static func integer(_ flag: Int?, _ environment: [String: String], _ name: String, range: ClosedRange<Int>) throws -> Int? {
        let value: Int?
        if let flag {
            value = flag
        } else if let text = environment[name] {
            guard let number = Int(text) else { throw ValidationError("\(name)=\(text) is not a number") }
            value = number
        } else {
            value = nil
        }
        if let value, !range.contains(value) {
            throw ValidationError("\(name) \(value) is outside \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
