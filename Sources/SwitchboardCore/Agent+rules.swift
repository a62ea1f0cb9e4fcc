extension Agent {
    /// The rules every store holds an agent to, checked before it is stored so that the error names the
    /// rule (the stores' own constraints enforce them again):
    /// - a tenant (an agent of no tenant is never rung) with a name as ``TenantID/problem`` allows;
    /// - an identity of 1 to 256 ASCII letters, digits or underscores (a Voice SDK client name);
    /// - a chat capacity of zero or more;
    /// - a retired agent is offline.
    /// - Throws: ``StoreError/invalid`` naming the rule broken.
    public func checkRules() throws(StoreError) {
        guard !tenant.rawValue.isEmpty else {
            throw .invalid("Agent \(identity) has no tenant: give it one, or leave it out for the default tenant")
        }
        if let problem = tenant.problem { throw .invalid("Agent \(identity): \(problem)") }
        let bytes = identity.utf8
        let allowed = bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
        guard (1...256).contains(bytes.count), allowed else {
            throw .invalid("Agent identity must be 1 to 256 ASCII letters, digits and underscores, not \"\(identity)\"")
        }
        guard retiredAt == nil || presence == .offline else {
            throw .invalid("Retired agent \(identity) must be offline, not \(presence.rawValue)")
        }
        guard chatCapacity >= 0 else {
            throw .invalid("Chat capacity cannot be negative (\(chatCapacity)) for agent \(identity)")
        }
    }
}
