import Foundation
import Logging
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTwiML
import Testing

@testable import SwitchboardVoice

@Suite struct RenderedDocumentsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let responses = CallResponses(configuration: RoutingConfiguration(publicURL: "https://sb.example.com"))

    func documents() -> RenderedDocuments { RenderedDocuments(responses: responses, logger: Logger(label: "test")) }

    func decision(_ identities: [String]) -> RingDecision {
        let agents = identities.enumerated().map { index, identity in
            // Distinct idle times keep the given order: the first is the longest idle.
            Agent(
                id: "id\(index)",
                tenant: .default,
                identity: identity,
                name: identity,
                email: "\(index)@x.com",
                lastCallEndedAt: now.addingTimeInterval(Double(index - 1000))
            )
        }
        return RingDecision(candidates: agents, at: now, maximum: 10)
    }

    @Test func aKeptRingDocumentIsTheFreshRenderingOfTheSameAgents() throws {
        let documents = documents()
        let lists: [[String]] = [
            ["agent_0"], ["agent_0", "agent_1"], ["agent_1", "agent_0"], (0..<10).map { "agent_\($0)" },
            (0..<14).map { "agent_\($0)" }, ["a&b", "<c>", "d\"e"], ["agent_0", "agent_1"],
        ]
        for identities in lists {
            let decision = decision(identities)
            let expected = try responses.ring(decision).renderBytes()
            #expect(documents.ring(decision, tenant: .default) == expected, "first rendering of \(identities)")
            #expect(documents.ring(decision, tenant: .default) == expected, "kept rendering of \(identities)")
        }
        // Fourteen agents ring the same ten as the list of ten; the last list repeats the second.
        #expect(documents.keptRings == 5)
    }

    @Test func identitiesAreKeptByTheirBytesNotByUnicodeEquivalence() throws {
        let documents = documents()
        let composed = decision(["agent_\u{E9}"])
        let decomposed = decision(["agent_e\u{301}"])
        #expect("agent_\u{E9}" == "agent_e\u{301}")  // Swift's String equality would mix them up.
        let first = documents.ring(composed, tenant: .default)
        let second = documents.ring(decomposed, tenant: .default)
        #expect(first == (try responses.ring(composed).renderBytes()))
        #expect(second == (try responses.ring(decomposed).renderBytes()))
        #expect(first != second)
        #expect(documents.keptRings == 2)
    }

    @Test func listsThatJoinAlikeAreDifferentKeys() throws {
        let documents = documents()
        let one = decision(["ab", "c"])
        let other = decision(["a", "bc"])
        #expect(documents.ring(one, tenant: .default) == (try responses.ring(one).renderBytes()))
        #expect(documents.ring(other, tenant: .default) == (try responses.ring(other).renderBytes()))
        #expect(documents.keptRings == 2)
    }

    @Test func atMostTheCapacityOfRingDocumentsIsKept() throws {
        let documents = documents()
        for index in 0..<(RenderedDocuments.ringCapacity + 44) {
            let decision = decision(["agent_\(index)"])
            #expect(documents.ring(decision, tenant: .default) == (try responses.ring(decision).renderBytes()))
            #expect(documents.keptRings <= RenderedDocuments.ringCapacity)
        }
        #expect(documents.keptRings == 44)
    }

    @Test func noOneToRingIsTheVoicemail() throws {
        let documents = documents()
        #expect(documents.ring(decision([]), tenant: .default) == (try responses.voicemail().renderBytes()))
        #expect(documents.keptRings == 0)
    }

    @Test func theFixedDocumentsAreTheirRenderings() throws {
        let documents = documents()
        #expect(documents.voicemail == (try responses.voicemail().renderBytes()))
        #expect(documents.voicemailRecorded == (try responses.voicemailRecorded().renderBytes()))
        #expect(documents.hangup == (try responses.hangup().renderBytes()))
        #expect(documents.acknowledged == (try responses.acknowledged().renderBytes()))
        for outcome in [ClaimOutcome.won, .alreadyAnswered(by: "agent_1"), .agentBusy(currentCallSid: "CA2")] {
            #expect(documents.screen(outcome) == (try responses.screen(outcome).renderBytes()))
        }
    }

    @Test func aPromptThatCannotBeRenderedFallsBackToAnEmptyResponse() throws {
        var configuration = RoutingConfiguration(publicURL: "https://sb.example.com")
        configuration.voicemailPrompt = "bad \u{1} prompt"
        let documents = RenderedDocuments(responses: CallResponses(configuration: configuration), logger: Logger(label: "test"))
        #expect(documents.voicemail == Array(#"<?xml version="1.0" encoding="UTF-8"?><Response />"#.utf8))
        // A ring-all document that renders still rings.
        let decision = decision(["agent_0"])
        #expect(documents.ring(decision, tenant: .default) == (try CallResponses(configuration: configuration).ring(decision).renderBytes()))
    }
}
