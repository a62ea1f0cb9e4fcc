import SwitchboardWebhooks
import Testing

@Suite struct DialActionRequestTests {
    static let noAnswer =
        "AccountSid=AC11111111111111111111111111111111&ApiVersion=2010-04-01&CallSid=CA22222222222222222222222222222222"
        + "&CallStatus=in-progress&Called=%2B15005550006&Caller=%2B14155551234&DialBridged=false"
        + "&DialCallSid=CA33333333333333333333333333333333&DialCallStatus=no-answer&Direction=inbound"
        + "&From=%2B14155551234&To=%2B15005550006"

    @Test func noAnswerDialParses() throws {
        let request = try DialActionRequest(FormParameters.parse(Self.noAnswer))
        #expect(request.dialCallStatus == .noAnswer)
        #expect(request.dialCallStatus.wasAnswered == false)
        #expect(request.dialCallSid == "CA33333333333333333333333333333333")
        #expect(request.dialBridged == false)
        #expect(request.dialCallDuration == nil)
        #expect(request.recordingUrl == nil)
        #expect(request.call.callSid == "CA22222222222222222222222222222222")
        #expect(request.call.callStatus == .inProgress)
        #expect(request.call.from == "+14155551234")
    }

    @Test func completedDialWithDurationAndRecording() throws {
        let form: FormParameters = [
            "CallSid": "CA1", "AccountSid": "AC1", "From": "+1", "To": "+2", "DialCallStatus": "completed",
            "DialCallDuration": "42", "DialBridged": "true",
            "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        ]
        let request = try DialActionRequest(form)
        #expect(request.dialCallStatus == .completed)
        #expect(request.dialCallDuration == 42)
        #expect(request.dialBridged == true)
        #expect(request.recordingUrl == "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1")
    }

    @Test func unknownDialCallStatusIsKept() throws {
        var form = try FormParameters.parse(Self.noAnswer)
        form.pairs = form.pairs.map { $0.name == "DialCallStatus" ? .init(name: $0.name, value: "rerouted") : $0 }
        let request = try DialActionRequest(form)
        #expect(request.dialCallStatus == .other("rerouted"))
        #expect(request.dialCallStatus.rawValue == "rerouted")
    }

    @Test(arguments: ["DialCallStatus", "CallSid", "AccountSid", "From", "To"])
    func missingRequiredParameterNamesItself(parameter: String) throws {
        var form = try FormParameters.parse(Self.noAnswer)
        form.pairs.removeAll { $0.name == parameter }
        let error = #expect(throws: WebhookError.self) { try DialActionRequest(form) }
        #expect(error == .missingParameter)
        #expect(error?.parameter == parameter)
        #expect(error?.message.contains("<Dial action>") == true)
    }

    @Test(arguments: [("DialCallDuration", "12s"), ("DialCallDuration", "-1"), ("DialCallDuration", "99999999999999999999"), ("DialBridged", "yes")])
    func malformedValueNamesItsParameter(parameter: String, value: String) throws {
        var form = try FormParameters.parse(Self.noAnswer)
        form.append(name: parameter, value: value)
        form.pairs.removeAll { $0.name == parameter && $0.value != value }
        let error = #expect(throws: WebhookError.self) { try DialActionRequest(form) }
        #expect(error == .invalidParameter)
        #expect(error?.parameter == parameter)
        #expect(error?.message.contains(value) == true)
    }

    @Test func emptyOptionalNumbersCountAsAbsentAndBooleansIgnoreCase() throws {
        var form = try FormParameters.parse(Self.noAnswer)
        form.pairs.removeAll { $0.name == "DialBridged" }
        form.append(name: "DialCallDuration", value: "")
        form.append(name: "DialBridged", value: "TRUE")
        let request = try DialActionRequest(form)
        #expect(request.dialCallDuration == nil)
        #expect(request.dialBridged == true)
    }
}
