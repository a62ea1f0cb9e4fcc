import SwitchboardCore
import SwitchboardDesk
import Testing

@Suite struct AgentProvisioningTests {
    func user(email: String? = "ann.lee@example.com", first: String? = nil, last: String? = nil) throws -> DeskUser {
        try DeskUser(
            claims: AccessClaims(
                subject: "11111111-2222-3333-4444-555555555555",
                email: email,
                tenantID: "acme",
                firstName: first,
                lastName: last
            )
        )
    }

    @Test func theNameIsTheFirstAndLastName() throws {
        let agent = AgentProvisioning.newAgent(for: try user(first: "Ann", last: "Lee"), chatCapacity: 5)
        #expect(agent.name == "Ann Lee")
        #expect(agent.identity == "agent_11111111222233334444555555555555")
        #expect(agent.tenant == TenantID("acme"))
        #expect(agent.email == "ann.lee@example.com")
        #expect(agent.presence == .available)
        #expect(agent.chatCapacity == 5)
        #expect(agent.id == "")
        #expect(agent.currentCallSid == nil)
    }

    @Test func eitherNameAloneWillDo() throws {
        #expect(AgentProvisioning.displayName(for: try user(first: " Ann ")) == "Ann")
        #expect(AgentProvisioning.displayName(for: try user(last: "Lee")) == "Lee")
    }

    /// Users edit their own names: a control character (a NUL, which PostgreSQL refuses in text, a line
    /// break) is left out, so the record can always be stored.
    @Test func controlCharactersAreLeftOutOfTheName() throws {
        #expect(AgentProvisioning.displayName(for: try user(first: "A\u{0}nn", last: "Lee\n")) == "Ann Lee")
        #expect(AgentProvisioning.displayName(for: try user(first: "\u{0}\u{7F}\u{85}")) == "ann.lee")
    }

    @Test func withoutNamesTheEmailsLocalPartIsUsed() throws {
        #expect(AgentProvisioning.displayName(for: try user()) == "ann.lee")
        #expect(AgentProvisioning.displayName(for: try user(first: "  ", last: "")) == "ann.lee")
    }

    @Test func withoutNamesOrEmailTheIdentityIsUsed() throws {
        #expect(AgentProvisioning.displayName(for: try user(email: nil)) == "agent_11111111222233334444555555555555")
    }

    @Test func theCapacityIsConfigurable() throws {
        #expect(AgentProvisioning.newAgent(for: try user(), chatCapacity: 2).chatCapacity == 2)
    }
}
