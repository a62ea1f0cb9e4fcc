/// Checks a plain TwiML element tree against the model and Twilio's rules without building anything:
/// what `switchboard lint` runs.
///
/// The first group of rules below are errors (the tree does not fit the model and cannot be rendered);
/// the rest are warnings (see ``Diagnostic/Severity``). Rules, by name:
/// - `root`: the root is `<Response>`.
/// - `unknown-element`, `unknown-attribute`, `duplicate-attribute`, `nesting`: only elements and
///   attributes the model knows, nested where Twilio allows.
/// - `bad-value`: typed values (integers, `true`/`false`, enumerated words).
/// - `range`, `length`, `characters`: numeric bounds (Dial `timeout` 5 to 600, Record `maxLength`, Pause
///   `length`, …), text lengths and allowed characters.
/// - `required`: text an element needs (Say's words, Number's digits, …) and required attributes.
/// - `invalid-character`: characters XML 1.0 forbids.
/// - `dial-noun-limit`: at most 10 `<Client>`/`<Number>` nouns in one `<Dial>`.
/// - `client-identity`: identities of 1 to 256 letters, digits and underscores.
/// - `dial-target`: a `<Dial>` names someone to call.
/// - `unreachable`: verbs after a `<Dial action>`, `<Enqueue action>`, `<Record>`, `<Redirect>`,
///   `<Hangup>` or `<Reject>` never run.
/// - `url`: URL attributes are empty, relative, or `http(s)://host…`, without whitespace.
/// - `record-without-action`: a `<Record>` without `action` requests the same document again and loops.
public enum TwiMLRules {
    /// Every problem in `element`, in document order.
    public static func check(_ element: Element, options: DecodingOptions = DecodingOptions()) -> [Diagnostic] {
        VoiceResponse.decode(element, options: options).1
    }

    /// The most `<Client>` and `<Number>` nouns one `<Dial>` may ring.
    public static let maximumDialNouns = 10

    /// Whether `identity` is a safe client identity: 1 to 256 ASCII letters, digits or underscores.
    public static func isValidClientIdentity(_ identity: some StringProtocol) -> Bool {
        let utf8 = identity.utf8
        guard !utf8.isEmpty, utf8.count <= 256 else { return false }
        return utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
    }
}
