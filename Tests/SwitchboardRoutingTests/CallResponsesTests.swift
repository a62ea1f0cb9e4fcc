import Foundation
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTwiML
import SwitchboardWebhooks
import Testing

/// Expected documents are written out by hand from the issue's description of each route.
@Suite struct CallResponsesTests {
    let responses = CallResponses(configuration: RoutingConfiguration(publicURL: "https://sb.example.com/", dialTimeout: 25))
    let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    @Test func ringAllDialsEachAgentWithScreeningAndStatusCallbacks() throws {
        let agents = ["alice", "bob"].map { Agent(id: $0, identity: $0, name: $0, email: "") }
        let decision = RingDecision(candidates: agents, at: Date(), maximum: 10)
        let client = { (name: String) in
            #"<Client statusCallback="https://sb.example.com/twilio/client-status" statusCallbackEvent="ringing answered completed" statusCallbackMethod="POST" url="https://sb.example.com/twilio/screen">\#(name)</Client>"#
        }
        let expected =
            declaration
            + #"<Response><Dial action="https://sb.example.com/twilio/dial-status" answerOnBridge="true" method="POST" timeout="25">"#
            + client("alice") + client("bob") + "</Dial></Response>"
        #expect(try responses.ring(decision).render() == expected)
    }

    @Test func voicemailSaysThePromptThenRecordsWithCallbacks() throws {
        let expected =
            declaration
            + #"<Response><Say voice="Polly.Joanna">No one is available to take your call. Please leave a message after the tone.</Say>"#
            + #"<Record action="https://sb.example.com/twilio/voicemail" maxLength="120" method="POST" playBeep="true" "#
            + #"recordingStatusCallback="https://sb.example.com/twilio/recording-status" recordingStatusCallbackEvent="completed" "#
            + #"recordingStatusCallbackMethod="POST" trim="trim-silence" /></Response>"#
        #expect(try responses.voicemail().render() == expected)
        #expect(responses.voicemail().diagnostics().isEmpty)
    }

    @Test(arguments: ["busy", "no-answer", "failed", "canceled", "something-new"])
    func unansweredDialsGoToVoicemail(status: String) {
        #expect(responses.dialStatus(DialCallStatus(rawValue: status)) == responses.voicemail())
    }

    @Test(arguments: ["completed", "answered"])
    func answeredDialsHangUp(status: String) throws {
        #expect(try responses.dialStatus(DialCallStatus(rawValue: status)).render() == declaration + "<Response><Hangup /></Response>")
    }

    @Test func theClaimWinnerIsBridgedAndLosersHangUp() throws {
        #expect(try responses.screen(.won).render() == declaration + "<Response />")
        // Expected bytes rendered by twilio-python 9.13.0: VoiceResponse().say(text, voice="Polly.Joanna"), .hangup().
        #expect(
            try responses.screen(.alreadyAnswered(by: "bob")).render()
                == declaration + #"<Response><Say voice="Polly.Joanna">This call was answered by another agent.</Say><Hangup /></Response>"#
        )
        #expect(
            try responses.screen(.agentBusy(currentCallSid: "CA9")).render()
                == declaration + #"<Response><Say voice="Polly.Joanna">You are already on another call.</Say><Hangup /></Response>"#
        )
    }

    @Test func everyDocumentPassesTheTwiMLRules() {
        let agents = (0..<10).map { Agent(id: "\($0)", identity: "agent_\($0)", name: "", email: "") }
        let documents = [
            responses.ring(RingDecision(candidates: agents, at: Date(), maximum: 10)), responses.voicemail(), responses.hangup(),
            responses.voicemailRecorded(), responses.acknowledged(),
        ]
        for document in documents { #expect(document.diagnostics().isEmpty, "\(document.diagnostics())") }
    }
}
