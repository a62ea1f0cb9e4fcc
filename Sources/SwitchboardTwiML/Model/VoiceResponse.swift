/// A TwiML voice document: `<Response>` and its verbs, run top to bottom.
///
/// ```swift
/// let document = VoiceResponse([.dial(Dial([.client(Client("alice"))], action: "/twilio/dial-status"))])
/// let xml = try document.render()
/// ```
public struct VoiceResponse: Equatable, Sendable {
    /// A verb at the top level of `<Response>`.
    public enum Verb: Equatable, Sendable {
        case say(Say)
        case play(Play)
        case pause(Pause)
        case gather(Gather)
        case dial(Dial)
        case record(Record)
        case enqueue(Enqueue)
        case leave(Leave)
        case hangup(Hangup)
        case redirect(Redirect)
        case reject(Reject)
    }

    /// The verbs, in the order Twilio runs them.
    public var verbs: [Verb]
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a document.
    @inlinable
    public init(_ verbs: [Verb] = [], extraAttributes: ExtraAttributes = [:]) {
        self.verbs = verbs
        self.extraAttributes = extraAttributes
    }
}

extension VoiceResponse: ElementModel {
    static let tag = "Response"
    static let textRule = TextRule.none
    static let childTags = ["Say", "Play", "Pause", "Gather", "Dial", "Record", "Enqueue", "Leave", "Hangup", "Redirect", "Reject"]
    static let attributeSpecs: [AttributeSpec<VoiceResponse>] = []
    init() { self.init([]) }

    mutating func appendChild(_ element: Element, decoder: inout ElementDecoder) {
        switch element.name {
        case "Say": verbs.append(.say(decoder.decode(Say.self, from: element)))
        case "Play": verbs.append(.play(decoder.decode(Play.self, from: element)))
        case "Pause": verbs.append(.pause(decoder.decode(Pause.self, from: element)))
        case "Gather": verbs.append(.gather(decoder.decode(Gather.self, from: element)))
        case "Dial": verbs.append(.dial(decoder.decode(Dial.self, from: element)))
        case "Record": verbs.append(.record(decoder.decode(Record.self, from: element)))
        case "Enqueue": verbs.append(.enqueue(decoder.decode(Enqueue.self, from: element)))
        case "Leave": verbs.append(.leave(decoder.decode(Leave.self, from: element)))
        case "Hangup": verbs.append(.hangup(decoder.decode(Hangup.self, from: element)))
        case "Redirect": verbs.append(.redirect(decoder.decode(Redirect.self, from: element)))
        default: verbs.append(.reject(decoder.decode(Reject.self, from: element)))
        }
    }

    func childElements() -> [Element] {
        verbs.map { verb in
            switch verb {
            case .say(let say): return say.element()
            case .play(let play): return play.element()
            case .pause(let pause): return pause.element()
            case .gather(let gather): return gather.element()
            case .dial(let dial): return dial.element()
            case .record(let record): return record.element()
            case .enqueue(let enqueue): return enqueue.element()
            case .leave(let leave): return leave.element()
            case .hangup(let hangup): return hangup.element()
            case .redirect(let redirect): return redirect.element()
            case .reject(let reject): return reject.element()
            }
        }
    }

    func render(into writer: inout TwiMLWriter) throws {
        writer.start("Response", extras: extraAttributes)
        try writer.endStart(empty: verbs.isEmpty)
        guard !verbs.isEmpty else { return }
        try verbs.forEachInPlace { verb in try verb.render(into: &writer) }
        writer.end("Response")
    }
}

extension VoiceResponse.Verb {
    func render(into writer: inout TwiMLWriter) throws {
        switch self {
        case .say(let say): try say.render(into: &writer)
        case .play(let play): try play.render(into: &writer)
        case .pause(let pause): try pause.render(into: &writer)
        case .gather(let gather): try gather.render(into: &writer)
        case .dial(let dial): try dial.render(into: &writer)
        case .record(let record): try record.render(into: &writer)
        case .enqueue(let enqueue): try enqueue.render(into: &writer)
        case .leave(let leave): try leave.render(into: &writer)
        case .hangup(let hangup): try hangup.render(into: &writer)
        case .redirect(let redirect): try redirect.render(into: &writer)
        case .reject(let reject): try reject.render(into: &writer)
        }
    }
}
