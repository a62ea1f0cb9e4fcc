import SwitchboardDesk
import SwitchboardTwilioREST

/// A redirect of a live call that failed: the agents' API error it becomes, and whether it shows that
/// the leg is gone.
struct RedirectFailure: Error {
    /// What the API answers.
    var error: DeskError
    /// Whether the leg is known to be gone: Twilio refused the redirect with 404 (no such call) or 400
    /// (Twilio's 21220, a call that is not in progress cannot be redirected; the service's URLs are always
    /// valid). Other refusals (401, 429, a request never sent) and a call refused before any redirect (not
    /// the agent's live leg, or not looked up) say nothing about the leg.
    var legIsGone: Bool

    /// A failure of Twilio's redirect: `error`, gone by Twilio's status.
    init(error: DeskError, twilio: TwilioRESTError?) {
        self.error = error
        self.legIsGone = twilio?.status == 404 || twilio?.status == 400
    }

    /// A failure decided before any redirect was asked for.
    init(error: DeskError, legIsGone: Bool) {
        self.error = error
        self.legIsGone = legIsGone
    }
}
