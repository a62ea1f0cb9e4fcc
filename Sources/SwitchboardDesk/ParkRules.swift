/// Where a parked caller waits and when the park times out.
public enum ParkRules {
    /// The Twilio queue a parked call waits in: one queue per call (`park_` and the call SID), so that
    /// `<Dial><Queue>` (which takes the caller at the head of a queue) retrieves exactly that caller.
    public static func slot(forCall callSid: String) -> String {
        String(("park_" + callSid).prefix(64))
    }

    /// Whether a caller who has waited `queueTime` seconds (Twilio's `QueueTime`) has waited too
    /// long for a park timeout of `timeoutSeconds`.
    public static func hasTimedOut(queueTime: Int, timeoutSeconds: Int) -> Bool {
        queueTime >= timeoutSeconds
    }
}
