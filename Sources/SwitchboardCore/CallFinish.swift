/// What ``CallStore/finishCall(_:at:)`` found: whether the call is finished and unanswered, whether
/// this request is the one that finished it (of two requests that finish one call at once, exactly one
/// is), and whether the store knows the call at all.
public enum CallFinish: Equatable, Sendable {
    /// This request finished it.
    case finishedNow
    /// It was finished already, by an earlier request.
    case finishedBefore
    /// It is not finished: an agent answered it first (an answered call is never finished).
    case notFinished
    /// The store has no record of the call (its ringing record never reached the store); nothing is
    /// created.
    case unknown

    /// Whether the call is finished and unanswered, now or from before.
    public var isFinished: Bool { self == .finishedNow || self == .finishedBefore }
}
