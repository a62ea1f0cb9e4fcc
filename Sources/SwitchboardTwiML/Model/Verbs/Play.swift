/// `<Play>`: plays an audio file, or sends DTMF digits.
public struct Play: Equatable, Sendable {
    // Spelled `Optional<T>`, not `T?`: see the note on ``ElementModel``.
    /// The audio URL.
    public var url: Optional<URLReference>
    /// How many times to play; 0 repeats until hang-up.
    public var loop: Optional<Int>
    /// DTMF digits to send instead of audio (`0-9 A-D w W # *`).
    public var digits: Optional<String>
    /// Attributes the model does not know.
    public var extraAttributes: ExtraAttributes

    /// Creates a `<Play>`.
    @inlinable
    public init(_ url: URLReference? = nil, loop: Int? = nil, digits: String? = nil, extraAttributes: ExtraAttributes = [:]) {
        self.url = url
        self.loop = loop
        self.digits = digits
        self.extraAttributes = extraAttributes
    }
}

extension Play: ElementModel {
    static let tag = "Play"
    static let textRule = TextRule.optional("the audio URL")
    static let attributeSpecs: [AttributeSpec<Play>] = [
        .init("digits", \.digits, allowedCharacters: "0123456789ABCDwW#*"),
        .init("loop", \.loop, range: 0...1000),
    ]
    init() { self.init(nil) }
    var textContent: String? {
        get { url?.string }
        set { url = newValue.map { URLReference($0) } }
    }

    func render(into writer: inout TwiMLWriter) throws {
        try writer.leaf("Play", extras: extraAttributes, text: url?.string) { writer in
            try writer.attribute("digits", digits)
            try writer.attribute("loop", loop)
        }
    }
}
