/// `<Gather>`: collects keypad digits or speech while playing prompts.
public struct Gather: Equatable, Sendable {
    /// What `<Gather>` may contain.
    public enum Child: Equatable, Sendable {
        case say(Say)
        case play(Play)
        case pause(Pause)
    }

    /// The prompts, in order.
    public var children: [Child]
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// Requested with the input.
    public var action: Optional<URLReference>
    /// How to request `action`.
    public var method: Optional<HTTPMethod>
    /// What to listen for.
    public var input: Optional<GatherInput>
    /// How many digits to collect.
    public var numDigits: Optional<Int>
    /// Seconds to wait for input.
    public var timeout: Optional<Int>
    /// Seconds of silence that end speech, or `auto`.
    public var speechTimeout: Optional<SpeechTimeout>
    /// The key that ends input (empty disables).
    public var finishOnKey: Optional<String>
    /// The speech language.
    public var language: Optional<String>
    /// Words and phrases to expect.
    public var hints: Optional<String>
    /// Whether to request `action` even with no input.
    public var actionOnEmptyResult: Optional<Bool>
    /// Whether to mask profanity.
    public var profanityFilter: Optional<Bool>
    /// The speech model.
    public var speechModel: Optional<String>
    /// Requested with partial speech results.
    public var partialResultCallback: Optional<URLReference>
    /// How to request `partialResultCallback`.
    public var partialResultCallbackMethod: Optional<HTTPMethod>
    /// Deprecated premium speech model switch.
    public var enhanced: Optional<Bool>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Gather>`.
    @inlinable
    public init(
        _ children: [Child] = [],
        action: URLReference? = nil,
        method: HTTPMethod? = nil,
        input: GatherInput? = nil,
        numDigits: Int? = nil,
        timeout: Int? = nil,
        speechTimeout: SpeechTimeout? = nil,
        finishOnKey: String? = nil,
        language: String? = nil,
        hints: String? = nil,
        actionOnEmptyResult: Bool? = nil,
        profanityFilter: Bool? = nil,
        speechModel: String? = nil,
        partialResultCallback: URLReference? = nil,
        partialResultCallbackMethod: HTTPMethod? = nil,
        enhanced: Bool? = nil,
        extraAttributes: ExtraAttributes = [:]
    ) {
        self.children = children
        self.action = action
        self.method = method
        self.input = input
        self.numDigits = numDigits
        self.timeout = timeout
        self.speechTimeout = speechTimeout
        self.finishOnKey = finishOnKey
        self.language = language
        self.hints = hints
        self.actionOnEmptyResult = actionOnEmptyResult
        self.profanityFilter = profanityFilter
        self.speechModel = speechModel
        self.partialResultCallback = partialResultCallback
        self.partialResultCallbackMethod = partialResultCallbackMethod
        self.enhanced = enhanced
        self.extraAttributes = extraAttributes
    }
}

extension Gather: ElementModel {
    static let tag = "Gather"
    static let textRule = TextRule.none
    static let childTags = ["Say", "Play", "Pause"]
    init() { self.init([]) }
    static let attributeSpecs: [AttributeSpec<Gather>] = [
        .init("action", \.action),
        .init("actionOnEmptyResult", \.actionOnEmptyResult),
        .init("enhanced", \.enhanced),
        .init("finishOnKey", \.finishOnKey, maxLength: 1, allowedCharacters: "0123456789#*"),
        .init("hints", \.hints),
        .init("input", \.input),
        .init("language", \.language),
        .init("method", \.method),
        .init("numDigits", \.numDigits, range: 1...100),
        .init("partialResultCallback", \.partialResultCallback),
        .init("partialResultCallbackMethod", \.partialResultCallbackMethod),
        .init("profanityFilter", \.profanityFilter),
        .init("speechModel", \.speechModel),
        .init("speechTimeout", \.speechTimeout, range: 1...60),
        .init("timeout", \.timeout, range: 1...60),
    ]

    mutating func appendChild(_ element: Element, decoder: inout ElementDecoder) {
        switch element.name {
        case "Say": children.append(.say(decoder.decode(Say.self, from: element)))
        case "Play": children.append(.play(decoder.decode(Play.self, from: element)))
        default: children.append(.pause(decoder.decode(Pause.self, from: element)))
        }
    }

    func childElements() -> [Element] {
        children.map { child in
            switch child {
            case .say(let say): return say.element()
            case .play(let play): return play.element()
            case .pause(let pause): return pause.element()
            }
        }
    }

    func render(into writer: inout TwiMLWriter) throws {
        writer.start("Gather", extras: extraAttributes)
        try writer.attribute("action", action)
        try writer.attribute("actionOnEmptyResult", actionOnEmptyResult)
        try writer.attribute("enhanced", enhanced)
        try writer.attribute("finishOnKey", finishOnKey)
        try writer.attribute("hints", hints)
        try writer.attribute("input", input)
        try writer.attribute("language", language)
        try writer.attribute("method", method)
        try writer.attribute("numDigits", numDigits)
        try writer.attribute("partialResultCallback", partialResultCallback)
        try writer.attribute("partialResultCallbackMethod", partialResultCallbackMethod)
        try writer.attribute("profanityFilter", profanityFilter)
        try writer.attribute("speechModel", speechModel)
        try writer.attribute("speechTimeout", speechTimeout)
        try writer.attribute("timeout", timeout)
        try writer.endStart(empty: children.isEmpty)
        guard !children.isEmpty else { return }
        try children.forEachInPlace { child in
            switch child {
            case .say(let say): try say.render(into: &writer)
            case .play(let play): try play.render(into: &writer)
            case .pause(let pause): try pause.render(into: &writer)
            }
        }
        writer.end("Gather")
    }
}
