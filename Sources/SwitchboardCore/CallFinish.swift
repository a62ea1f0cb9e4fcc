/// What ``CallStore/finishCall(_:at:)`` found: whether the call is finished and unanswered, and
/// whether this request is the one that finished it (of two requests that finish one call at once,
/// exactly one is).
public enum CallFinish: Equatable, Sendable {
    /// This request finished it.
    case finishedNow
    /// It was finished already, by an earlier request.
    case finishedBefore
    /// It is not finished: an agent answered it first (an answered call is never finished), or the
    /// call is unknown.
    case notFinished

    /// Whether the call is finished and unanswered, now or from before.
    public var isFinished: Bool { self != .notFinished }
}
