import SwitchboardDesk
import Testing

@Suite struct AgentIdentityTests {
    @Test func aUUIDBecomesItsHexDigitsAfterAPrefix() {
        #expect(AgentIdentity.derive(fromUserID: "0B7D3C1E-9F00-4A6B-8C2D-1234567890AB") == "agent_0b7d3c1e9f004a6b8c2d1234567890ab")
    }

    @Test func theSameUUIDInEitherCaseGivesTheSameIdentity() {
        let upper = AgentIdentity.derive(fromUserID: "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE")
        let lower = AgentIdentity.derive(fromUserID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
        #expect(upper == lower)
        #expect(upper == "agent_aaaaaaaabbbbccccddddeeeeeeeeeeee")
    }

    @Test func otherIdsEscapeEveryByteThatIsNotALetterOrDigit() {
        #expect(AgentIdentity.derive(fromUserID: "auth0|abc") == "agent_u_auth0_7cabc")
        #expect(AgentIdentity.derive(fromUserID: "a_b") == "agent_u_a_5fb")
        #expect(AgentIdentity.derive(fromUserID: "é") == "agent_u__c3_a9")
    }

    @Test func escapedIdsCannotCollideWithTheirEscapes() {
        // "a_5fb" escapes its underscore, so it differs from "a_b".
        #expect(AgentIdentity.derive(fromUserID: "a_5fb") == "agent_u_a_5f5fb")
        #expect(AgentIdentity.derive(fromUserID: "a_5fb") != AgentIdentity.derive(fromUserID: "a_b"))
    }

    @Test func identitiesUseOnlyLettersDigitsAndUnderscores() throws {
        for id in ["user@example.com", "x y z", "😀", "0b7d3c1e-9f00-4a6b-8c2d-1234567890ab", "plain"] {
            let identity = try #require(AgentIdentity.derive(fromUserID: id))
            #expect(identity.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" })
            #expect((1...256).contains(identity.count))
        }
    }

    @Test func anEmptyOrTooLongIdHasNoIdentity() {
        #expect(AgentIdentity.derive(fromUserID: "") == nil)
        #expect(AgentIdentity.derive(fromUserID: String(repeating: "a", count: 248)) == "agent_u_" + String(repeating: "a", count: 248))
        #expect(AgentIdentity.derive(fromUserID: String(repeating: "a", count: 249)) == nil)
        #expect(AgentIdentity.derive(fromUserID: String(repeating: "-", count: 83)) == nil)
    }

    @Test func aMalformedUUIDIsTreatedAsAnyOtherId() {
        #expect(AgentIdentity.derive(fromUserID: "0b7d3c1e-9f00-4a6b-8c2d-1234567890ag") == "agent_u_0b7d3c1e_2d9f00_2d4a6b_2d8c2d_2d1234567890ag")
    }
}
