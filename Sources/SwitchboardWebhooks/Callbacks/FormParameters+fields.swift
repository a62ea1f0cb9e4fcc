/// Reading typed fields for the callbacks; every failure names Twilio's parameter.
extension FormParameters {
    func required(_ name: String, for callback: String) throws(WebhookError) -> String {
        guard let value = self[name] else { throw .missing(name, in: callback) }
        return value
    }

    /// A non-negative decimal integer such as `DialCallDuration=42`, or nil when absent or empty.
    func integer(_ name: String) throws(WebhookError) -> Int? {
        guard let value = self[name], !value.isEmpty else { return nil }
        guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let number = Int(value) else {
            throw .invalid(name, value: value, expected: "a non-negative integer")
        }
        return number
    }

    /// ``integer(_:)``, but nil rather than an error when the value is not an integer: for a field the
    /// callback can do without.
    func integerIfValid(_ name: String) -> Int? { (try? integer(name)) ?? nil }

    func requiredInteger(_ name: String, for callback: String) throws(WebhookError) -> Int {
        let value = try required(name, for: callback)
        guard let number = try integer(name) else { throw .invalid(name, value: value, expected: "a non-negative integer") }
        return number
    }

    /// `true` or `false` in any case (Twilio sends lower case), or nil when absent or empty.
    func boolean(_ name: String) throws(WebhookError) -> Bool? {
        guard let value = self[name], !value.isEmpty else { return nil }
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw .invalid(name, value: value, expected: "true or false")
        }
    }
}
