import SwitchboardVoice

/// What the voice service retries in the background: stopped at shutdown (``OutboxShutdown``) and
/// counted by `/metrics`.
struct RetryQueues: Sendable {
    /// Voicemails the store refused.
    let voicemails: VoicemailOutbox
    /// Ring events the store could not record.
    let ringEvents: RingEventRetry

    /// Stops both at once; each logs what it leaves.
    func stop() async {
        async let ringEventsStopped: Void = ringEvents.stop()
        await voicemails.stop()
        await ringEventsStopped
    }
}
