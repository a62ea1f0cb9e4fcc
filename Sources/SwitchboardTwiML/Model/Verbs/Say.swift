/// `<Say>`: speaks text to the caller.
public struct Say: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The words to speak.
    public var text: Optional<String>
    /// A voice such as `Polly.Joanna`, `man` or `woman`.
    public var voice: Optional<String>
    /// A language such as `en-US`.
    public var language: Optional<String>
    /// How many times to repeat; 0 repeats until hang-up.
    public var loop: Optional<Int>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Say>`.
    @inlinable
    public init(_ text: String? = nil, voice: String? = nil, language: String? = nil, loop: Int? = nil, extraAttributes: ExtraAttributes = [:]) {
        self.text = text
        self.voice = voice
        self.language = language
        self.loop = loop
        self.extraAttributes = extraAttributes
    }
}

extension Say: ElementModel {
    static let tag = "Say"
    static let textRule = TextRule.required("the text to speak")
    static let attributeSpecs: [AttributeSpec<Say>] = [
        .init("language", \.language),
        .init("loop", \.loop, range: 0...1000),
        .init("voice", \.voice),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { text }
        set { text = newValue }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Say", extras: extraAttributes, text: text) { writer in
            try writer.attribute("language", language)
            try writer.attribute("loop", loop)
            try writer.attribute("voice", voice)
        }
    }
}
