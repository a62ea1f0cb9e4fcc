/// How strictly a plain element tree is read into the typed model.
public struct DecodingOptions: Sendable {
    /// Keep attributes the model does not know as ``ExtraAttributes`` instead of reporting
    /// `unknown-attribute`. Off by default: an unknown name is far more often a typo than a new feature.
    public var allowUnknownAttributes: Bool

    /// Creates options.
    public init(allowUnknownAttributes: Bool = false) {
        self.allowUnknownAttributes = allowUnknownAttributes
    }
}
