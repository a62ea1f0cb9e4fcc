/// Reads plain ``Element`` trees into typed elements, collecting every problem as a ``Diagnostic``
/// rather than stopping at the first, so one pass serves both `render` (fail on any) and `lint` (list all).
struct ElementDecoder {
    private(set) var diagnostics: [Diagnostic] = []
    let options: DecodingOptions
    private var paths: [String] = []
    private var positions: [SourcePosition?] = []

    init(options: DecodingOptions) {
        self.options = options
    }

    /// Every tag the model knows, to tell misplaced elements from unknown ones.
    static let knownTags: Set<String> = [
        "Response", "Say", "Play", "Pause", "Gather", "Dial", "Client", "Identity", "Parameter", "Number",
        "Queue", "Conference", "Sip", "Record", "Enqueue", "Task", "Leave", "Hangup", "Redirect", "Reject",
    ]

    mutating func report(_ rule: String, _ message: String) {
        diagnostics.append(Diagnostic(rule: rule, message: message, path: paths.last ?? "", position: positions.last ?? nil))
    }

    /// Decodes the root; the caller has checked the name.
    mutating func decodeRoot<M: ElementModel>(_ type: M.Type, from element: Element) -> M {
        paths.append(element.name)
        positions.append(element.position)
        defer {
            paths.removeLast()
            positions.removeLast()
        }
        return decodeCurrent(type, from: element)
    }

    /// Decodes the child that ``decodeChildren`` is visiting.
    mutating func decode<M: ElementModel>(_ type: M.Type, from element: Element) -> M {
        decodeCurrent(type, from: element)
    }

    private mutating func decodeCurrent<M: ElementModel>(_ type: M.Type, from element: Element) -> M {
        var model = M()
        decodeAttributes(of: element, into: &model)
        decodeText(of: element, into: &model)
        ElementRules.check(element, decoder: &self)
        decodeChildren(of: element, into: &model)
        return model
    }

    private mutating func decodeAttributes<M: ElementModel>(of element: Element, into model: inout M) {
        var seen: Set<String> = []
        for attribute in element.attributes {
            if !seen.insert(attribute.name).inserted {
                report("duplicate-attribute", "attribute \(attribute.name) is given more than once")
                continue
            }
            if let scalar = XMLCharacters.firstForbiddenScalar(in: attribute.value) {
                report("invalid-character", TwiMLError.invalidCharacter(scalar, element: element.name, attribute: attribute.name).message)
                continue
            }
            guard let spec = M.attributeSpecs.first(where: { $0.name == attribute.name }) else {
                if options.allowUnknownAttributes {
                    model.extraAttributes[attribute.name] = attribute.value
                } else {
                    report("unknown-attribute", "<\(element.name)> has no attribute \(attribute.name)")
                }
                continue
            }
            guard spec.decode(&model, attribute.value) else {
                report("bad-value", "\(attribute.name)=\"\(attribute.value)\" is not \(spec.expectation)")
                continue
            }
            checkValue(spec, of: model)
        }
    }

    private mutating func checkValue<M>(_ spec: AttributeSpec<M>, of model: M) {
        if let range = spec.range, let number = spec.integer(model), !range.contains(number) {
            report("range", "\(spec.name)=\"\(number)\" is outside \(range.lowerBound) to \(range.upperBound)")
        }
        if let maxLength = spec.maxLength, let text = spec.text(model), text.count > maxLength {
            report("length", "\(spec.name) is \(text.count) characters long; at most \(maxLength) are allowed")
        }
        if let allowed = spec.allowedCharacters, let text = spec.text(model),
            let bad = text.first(where: { !allowed.contains($0) })
        {
            report("characters", "\(spec.name) may only contain \(allowed), not \"\(bad)\"")
        }
    }

    private mutating func decodeText<M: ElementModel>(of element: Element, into model: inout M) {
        let rule = M.textRule
        guard let text = element.text, !text.isEmpty else {
            if rule.required { report("required", "<\(element.name)> needs \(rule.what)") }
            return
        }
        guard rule.allowed else {
            report("nesting", "<\(element.name)> takes no text")
            return
        }
        if let scalar = XMLCharacters.firstForbiddenScalar(in: text) {
            report("invalid-character", TwiMLError.invalidCharacter(scalar, element: element.name, attribute: nil).message)
            return
        }
        if let maxLength = rule.maxLength, text.count > maxLength {
            report("length", "\(rule.what) is \(text.count) characters long; at most \(maxLength) are allowed")
        }
        model.textContent = text
    }

    private mutating func decodeChildren<M: ElementModel>(of element: Element, into model: inout M) {
        var counts: [String: Int] = [:]
        let parentPath = paths.last ?? element.name
        for child in element.children {
            let index = (counts[child.name] ?? 0) + 1
            counts[child.name] = index
            paths.append("\(parentPath)/\(child.name)[\(index)]")
            positions.append(child.position)
            if M.childTags.contains(child.name) {
                model.appendChild(child, decoder: &self)
            } else if Self.knownTags.contains(child.name) {
                let allowed = M.childTags.isEmpty ? "nothing" : M.childTags.map { "<\($0)>" }.joined(separator: ", ")
                report("nesting", "<\(child.name)> is not allowed in <\(element.name)>, which takes \(allowed)")
            } else {
                report("unknown-element", "<\(child.name)> is not a TwiML voice element")
            }
            paths.removeLast()
            positions.removeLast()
        }
    }
}
