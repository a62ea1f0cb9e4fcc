/// How one typed attribute of element type `Model` is named, read, written and checked. The table of
/// specs on each element is what decoding, encoding and the value rules share.
///
/// `@unchecked Sendable`: it holds only an immutable key path and constant data, never mutated after
/// creation.
struct AttributeSpec<Model>: @unchecked Sendable {
    let name: String
    /// Inclusive numeric bounds checked by the `range` rule.
    let range: ClosedRange<Int>?
    /// Longest text allowed, checked by the `length` rule.
    let maxLength: Int?
    /// Characters allowed, checked by the `characters` rule.
    let allowedCharacters: String?
    let expectation: String
    let decode: (inout Model, String) -> Bool
    let encode: (Model) -> String?
    let integer: (Model) -> Int?
    let text: (Model) -> String?

    init<Value: AttributeValue>(
        _ name: String,
        _ keyPath: WritableKeyPath<Model, Value?>,
        range: ClosedRange<Int>? = nil,
        maxLength: Int? = nil,
        allowedCharacters: String? = nil
    ) {
        self.name = name
        self.range = range
        self.maxLength = maxLength
        self.allowedCharacters = allowedCharacters
        self.expectation = Value.expectation
        self.decode = { model, string in
            guard let value = Value(attributeValue: string) else { return false }
            model[keyPath: keyPath] = value
            return true
        }
        self.encode = { $0[keyPath: keyPath]?.attributeValue }
        self.integer = { model in
            switch model[keyPath: keyPath] {
            case let number as Int: return number
            case let timeout as SpeechTimeout:
                if case .seconds(let seconds) = timeout { return seconds }
                return nil
            default: return nil
            }
        }
        self.text = { $0[keyPath: keyPath]?.attributeValue }
    }
}
