import SwitchboardCore

/// How a signed-in user's agent record is made when it does not exist yet.
public enum AgentProvisioning {
    /// The new agent for `user`: its derived identity and tenant, a name from the first and last
    /// names (either alone will do), else the email's local part, else the identity; available; the
    /// given chat capacity. The id is left empty for the store to assign.
    public static func newAgent(for user: DeskUser, chatCapacity: Int) -> Agent {
        Agent(
            id: "",
            tenant: user.tenant,
            identity: user.identity,
            name: displayName(for: user),
            email: user.email,
            presence: .available,
            chatCapacity: chatCapacity
        )
    }

    /// The display name rule on its own.
    public static func displayName(for user: DeskUser) -> String {
        let parts = [user.firstName, user.lastName].compactMap { $0?.trimmed }.filter { !$0.isEmpty }
        if !parts.isEmpty { return parts.joined(separator: " ") }
        if let at = user.email.firstIndex(of: "@"), at != user.email.startIndex {
            return String(user.email[..<at])
        }
        if !user.email.isEmpty, !user.email.contains("@") { return user.email }
        return user.identity
    }
}

extension String {
    fileprivate var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
