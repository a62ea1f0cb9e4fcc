import SwitchboardVoice

/// What the voice service retries in the background: stopped at shutdown (``OutboxShutdown``) and
/// counted by `/metrics`.
struct RetryQueues: Sendable {
    /// Voicemails the store refused.
    let voicemails: VoicemailOutbox
    /// Ringing calls the store could not record.
    let ringingCalls: RingingCallRetry
    /// Ring events the store could not record.
    let ringEvents: RingEventRetry
    /// Ends of calls, and of agents' parts in them, that the store could not record.
    let callEnds: CallEndRetry
    /// Claims of answering legs that the store could not record.
    let claims: ClaimRetry

    /// How long a shutdown waits for the voicemails' outbox, which a stalled spool disk may hold for ever
    /// (see ``VoicemailOutbox/stop(within:)``).
    static let voicemailsStopLimit = Duration.seconds(5)

    /// Stops them all at once; each logs what it leaves.
    func stop() async {
        async let ringingCallsStopped: Void = ringingCalls.stop()
        async let ringEventsStopped: Void = ringEvents.stop()
        async let callEndsStopped: Void = callEnds.stop()
        async let claimsStopped: Void = claims.stop()
        await voicemails.stop(within: Self.voicemailsStopLimit)
        await ringingCallsStopped
        await ringEventsStopped
        await callEndsStopped
        await claimsStopped
    }
}
