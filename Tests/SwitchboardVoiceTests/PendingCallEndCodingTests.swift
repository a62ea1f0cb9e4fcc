import Foundation
import SwitchboardCore
import SwitchboardVoice
import Testing

/// The journal's coding of a call end's part: what earlier builds wrote still reads, and what this build
/// writes reads in an earlier build (a rollback). The reference is Swift's own coding of the enum as it
/// was before `answeredDial`, which those builds used.
@Suite struct PendingCallEndCodingTests {
    /// ``PendingCallEnd/Part`` as earlier builds declared it, coded by Swift.
    enum EarlierPart: Equatable, Codable {
        case unanswered
        case answered(wrapUpSeconds: Int)
        case agentLeg(identity: String, tenant: TenantID?, wrapUpSeconds: Int)
    }

    @Test func whatEarlierBuildsWroteReadsTheSame() throws {
        let pairs: [(EarlierPart, PendingCallEnd.Part)] = [
            (.unanswered, .unanswered),
            (.answered(wrapUpSeconds: 30), .answered(wrapUpSeconds: 30)),
            (.agentLeg(identity: "amy", tenant: "acme", wrapUpSeconds: 5), .agentLeg(identity: "amy", tenant: "acme", wrapUpSeconds: 5)),
            (.agentLeg(identity: "amy", tenant: nil, wrapUpSeconds: 5), .agentLeg(identity: "amy", tenant: nil, wrapUpSeconds: 5)),
        ]
        for (earlier, part) in pairs {
            let data = try JSONEncoder().encode(earlier)
            #expect(try JSONDecoder().decode(PendingCallEnd.Part.self, from: data) == part, "\(String(decoding: data, as: UTF8.self))")
            // And this build writes them as earlier builds did.
            #expect(try JSONDecoder().decode(EarlierPart.self, from: try JSONEncoder().encode(part)) == earlier)
        }
    }

    @Test func theDialsEndReadsBackAndAsThePlainEndInAnEarlierBuild() throws {
        let data = try JSONEncoder().encode(PendingCallEnd.Part.answeredDial(wrapUpSeconds: 30))
        #expect(try JSONDecoder().decode(PendingCallEnd.Part.self, from: data) == .answeredDial(wrapUpSeconds: 30))
        #expect(try JSONDecoder().decode(EarlierPart.self, from: data) == .answered(wrapUpSeconds: 30))
        // A whole end, through the journal's own type.
        let end = PendingCallEnd(callSid: "CA1", part: .answeredDial(wrapUpSeconds: 30), occurredAt: Date(timeIntervalSince1970: 5))
        #expect(try JSONDecoder().decode(PendingCallEnd.self, from: try JSONEncoder().encode(end)) == end)
    }

    @Test func aPartWithNoOrTwoCasesIsRefused() {
        for json in [#"{}"#, #"{"answered":{"wrapUpSeconds":1},"unanswered":{}}"#, #"{"hungUp":{}}"#, #"{"answered":{}}"#] {
            #expect(throws: DecodingError.self, "\(json)") { try JSONDecoder().decode(PendingCallEnd.Part.self, from: Data(json.utf8)) }
        }
    }
}
