import SwitchboardWebhooks
import Testing

@Suite struct StatusValuesTests {
    @Test func callStatusReadsEveryDocumentedValue() {
        let expected: [String: CallStatus] = [
            "queued": .queued, "initiated": .initiated, "ringing": .ringing, "in-progress": .inProgress,
            "completed": .completed, "busy": .busy, "failed": .failed, "no-answer": .noAnswer, "canceled": .canceled,
        ]
        for (raw, status) in expected {
            #expect(CallStatus(rawValue: raw) == status, "\(raw)")
            #expect(status.rawValue == raw)
            #expect(status.description == raw)
        }
    }

    @Test func dialCallStatusReadsEveryDocumentedValue() {
        let expected: [String: DialCallStatus] = [
            "completed": .completed, "answered": .answered, "busy": .busy, "no-answer": .noAnswer, "failed": .failed,
            "canceled": .canceled,
        ]
        for (raw, status) in expected {
            #expect(DialCallStatus(rawValue: raw) == status, "\(raw)")
            #expect(status.rawValue == raw)
        }
    }

    @Test func directionAndRecordingStatusReadEveryDocumentedValue() {
        #expect(CallDirection(rawValue: "inbound") == .inbound)
        #expect(CallDirection(rawValue: "outbound-api") == .outboundAPI)
        #expect(CallDirection(rawValue: "outbound-dial") == .outboundDial)
        #expect(RecordingStatus(rawValue: "in-progress") == .inProgress)
        #expect(RecordingStatus(rawValue: "completed") == .completed)
        #expect(RecordingStatus(rawValue: "absent") == .absent)
        #expect(RecordingStatus(rawValue: "failed") == .failed)
    }

    @Test func unknownValuesAreKeptAndCaseMatters() {
        #expect(CallStatus(rawValue: "Ringing") == .other("Ringing"))
        #expect(CallStatus(rawValue: "Ringing") != .ringing)
        #expect(DialCallStatus(rawValue: "no_answer") == .other("no_answer"))
        #expect(RecordingStatus(rawValue: "").rawValue == "")
    }

    @Test func anOtherSpelledLikeACaseEqualsThatCase() {
        #expect(CallStatus.other("no-answer") == .noAnswer)
        #expect(Set([CallStatus.other("busy"), .busy]).count == 1)
    }

    @Test func onlyCompletedAndAnsweredDialsWereAnswered() {
        #expect(DialCallStatus.completed.wasAnswered)
        #expect(DialCallStatus.answered.wasAnswered)
        for status in [DialCallStatus.busy, .noAnswer, .failed, .canceled, .other("completed-ish")] {
            #expect(!status.wasAnswered, "\(status)")
        }
    }
}
