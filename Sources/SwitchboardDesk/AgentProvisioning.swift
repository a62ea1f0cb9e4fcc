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

    /// The display name rule on its own. The names come from the user's own metadata, which the user
    /// may edit: control characters are left out (a NUL would make the Supabase store refuse the record,
    /// and the user could never be provisioned there).
    public static func displayName(for user: DeskUser) -> String {
        let parts = [user.firstName, user.lastName].compactMap { $0.map(withoutControls)?.trimmed }.filter { !$0.isEmpty }
        if !parts.isEmpty { return parts.joined(separator: " ") }
        if let at = user.email.firstIndex(of: "@"), at != user.email.startIndex {
            return String(user.email[..<at])
        }
        if !user.email.isEmpty, !user.email.contains("@") { return user.email }
        return user.identity
    }
}

/// `text` without its control characters (C0, DEL and C1).
private func withoutControls(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
    var kept = String.UnicodeScalarView()
    kept.append(contentsOf: text.unicodeScalars.lazy.filter { $0.properties.generalCategory != .control })
    return String(kept)
}

extension String {
    fileprivate var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
