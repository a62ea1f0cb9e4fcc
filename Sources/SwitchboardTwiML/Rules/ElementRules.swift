/// The rules that look at one element as a whole rather than at a single attribute's value.
enum ElementRules {
    static func check(_ element: Element, decoder: inout ElementDecoder) {
        switch element.name {
        case "Response": checkReachability(element, decoder: &decoder)
        case "Dial": checkDial(element, decoder: &decoder)
        case "Client": checkClient(element, decoder: &decoder)
        case "Record":
            if element[attribute: "action"] == nil {
                decoder.report("record-without-action", "<Record> has no action, so Twilio requests this document again and loops")
            }
        case "Parameter":
            if element[attribute: "name"] == nil { decoder.report("required", "<Parameter> needs a name attribute") }
        case "Play":
            if (element.text ?? "").isEmpty && element[attribute: "digits"] == nil {
                decoder.report("required", "<Play> needs an audio URL or a digits attribute")
            }
        case "Enqueue":
            if (element.text ?? "").isEmpty && element[attribute: "workflowSid"] == nil {
                decoder.report("required", "<Enqueue> needs a queue name or a workflowSid attribute")
            }
        default: break
        }
        checkURLs(element, decoder: &decoder)
    }

    private static let urlAttributes: Set<String> = [
        "action", "url", "statusCallback", "recordingStatusCallback", "transcribeCallback", "waitUrl", "referUrl",
        "partialResultCallback", "amdStatusCallback", "eventCallbackUrl", "clientNotificationUrl",
    ]

    private static func checkURLs(_ element: Element, decoder: inout ElementDecoder) {
        for attribute in element.attributes where urlAttributes.contains(attribute.name) {
            if !URLReference(attribute.value).isPlausible {
                decoder.report("url", "\(attribute.name)=\"\(attribute.value)\" is not an http(s) or relative URL without spaces")
            }
        }
    }

    private static func checkDial(_ element: Element, decoder: inout ElementDecoder) {
        let ringing = element.children.count { $0.name == "Client" || $0.name == "Number" }
        if ringing > TwiMLRules.maximumDialNouns {
            decoder.report(
                "dial-noun-limit",
                "<Dial> rings \(ringing) <Client>/<Number> nouns; Twilio allows at most \(TwiMLRules.maximumDialNouns)"
            )
        }
        let hasText = !(element.text ?? "").isEmpty
        if !hasText && element.children.isEmpty {
            decoder.report("dial-target", "<Dial> names no one to call: give a phone number or nouns")
        } else if hasText && !element.children.isEmpty {
            decoder.report("dial-target", "<Dial> has both a plain phone number and nouns; use a <Number> noun instead")
        }
    }

    private static func checkClient(_ element: Element, decoder: inout ElementDecoder) {
        let identities = element.children.filter { $0.name == "Identity" }
        let text = element.text ?? ""
        if identities.count > 1 {
            decoder.report("client-identity", "<Client> has \(identities.count) <Identity> children; it takes one")
        }
        if !text.isEmpty && !identities.isEmpty {
            decoder.report("client-identity", "<Client> has both text and an <Identity> child; use one form")
        }
        guard let identity = text.isEmpty ? identities.first?.text : text else {
            decoder.report("client-identity", "<Client> has no identity")
            return
        }
        if !TwiMLRules.isValidClientIdentity(identity) {
            decoder.report("client-identity", "\"\(identity)\" is not a client identity: use 1 to 256 letters, digits and underscores")
        }
    }

    private static func checkReachability(_ element: Element, decoder: inout ElementDecoder) {
        for (index, verb) in element.children.enumerated() where index + 1 < element.children.count {
            let reason: String?
            switch verb.name {
            case "Dial" where verb[attribute: "action"] != nil: reason = "<Dial action> hands the call to its action URL"
            case "Enqueue" where verb[attribute: "action"] != nil: reason = "<Enqueue action> hands the call to its action URL"
            case "Record": reason = "<Record> always requests its action"
            case "Redirect": reason = "<Redirect> hands the call to its URL"
            case "Hangup": reason = "<Hangup> ends the call"
            case "Reject": reason = "<Reject> ends the call"
            default: reason = nil
            }
            if let reason {
                let rest = element.children[(index + 1)...].map { "<\($0.name)>" }.joined(separator: ", ")
                decoder.report("unreachable", "\(reason), so \(rest) after it never run")
                return
            }
        }
    }
}
