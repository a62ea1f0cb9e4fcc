import SwitchboardDesk
import SwitchboardTwilioREST

/// A redirect of a live call that failed: the agents' API error it becomes, and Twilio's own error
/// (nil when no redirect was asked for: Twilio is not configured, or the call was refused first).
struct RedirectFailure: Error {
    /// What the API answers.
    var error: DeskError
    /// What Twilio's REST API said to the redirect, if one was asked for.
    var twilio: TwilioRESTError?

    /// Whether Twilio refused because the leg is gone: 404 (no such call) or 400 (Twilio's 21220, a call
    /// that is not in progress cannot be redirected; the service's URLs are always valid). Other
    /// refusals (401, 429, a request never sent) say nothing about the leg.
    var legIsGone: Bool { twilio?.status == 404 || twilio?.status == 400 }
}
