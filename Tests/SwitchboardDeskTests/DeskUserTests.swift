import SwitchboardCore
import SwitchboardDesk
import Testing

@Suite struct DeskUserTests {
    let uuid = "11111111-2222-3333-4444-555555555555"

    @Test func aTokenWithTenantAndNoRoleIsAnAgentOfThatTenant() throws {
        let user = try DeskUser(claims: AccessClaims(subject: uuid, email: "ann@example.com", tenantID: "acme"))
        #expect(user.identity == "agent_11111111222233334444555555555555")
        #expect(user.tenant == TenantID("acme"))
        #expect(user.role == .agent)
        #expect(!user.isSupervisor)
        #expect(user.email == "ann@example.com")
    }

    @Test func theSupervisorRoleComesFromAppMetadata() throws {
        let user = try DeskUser(claims: AccessClaims(subject: uuid, tenantID: "acme", role: "supervisor"))
        #expect(user.isSupervisor)
    }

    @Test func anUnknownRoleIsAnInvalidToken() {
        #expect(throws: DeskError.invalidToken()) { try DeskUser(claims: AccessClaims(subject: uuid, tenantID: "acme", role: "admin")) }
    }

    @Test func aTokenWithoutTenantIsRefused() {
        #expect(throws: DeskError.tenantMissing) { try DeskUser(claims: AccessClaims(subject: uuid)) }
        #expect(throws: DeskError.tenantMissing) { try DeskUser(claims: AccessClaims(subject: uuid, tenantID: "")) }
    }

    @Test func anEmptySubjectIsAnInvalidToken() {
        #expect(throws: DeskError.invalidToken()) { try DeskUser(claims: AccessClaims(subject: "", tenantID: "acme")) }
    }
}
