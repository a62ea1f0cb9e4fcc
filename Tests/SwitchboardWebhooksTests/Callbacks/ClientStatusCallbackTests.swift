import SwitchboardWebhooks
import Testing

@Suite struct ClientStatusCallbackTests {
    static let completed =
        "AccountSid=AC11111111111111111111111111111111&ApiVersion=2010-04-01&CallDuration=17"
        + "&CallSid=CA44444444444444444444444444444444&CallStatus=completed&CallbackSource=call-progress-events"
        + "&Called=client%3Aalice&Caller=%2B14155551234&Direction=outbound-dial&From=%2B14155551234"
        + "&ParentCallSid=CA22222222222222222222222222222222&SequenceNumber=3"
        + "&Timestamp=Fri%2C+20+Aug+2010+01%3A13%3A42+%2B0000&To=client%3Aalice"

    @Test func completedEventParses() throws {
        let callback = try ClientStatusCallback(FormParameters.parse(Self.completed))
        #expect(callback.callSid == "CA44444444444444444444444444444444")
        #expect(callback.parentCallSid == "CA22222222222222222222222222222222")
        #expect(callback.callStatus == .completed)
        #expect(callback.to == "client:alice")
        #expect(callback.clientIdentity == "alice")
        #expect(callback.callDuration == 17)
        #expect(callback.sequenceNumber == 3)
        #expect(callback.timestamp == "Fri, 20 Aug 2010 01:13:42 +0000")
        #expect(callback.callbackSource == "call-progress-events")
        #expect(callback.accountSid == "AC11111111111111111111111111111111")
        #expect(callback.from == "+14155551234")
    }

    @Test(arguments: [
        ("initiated", CallStatus.initiated), ("ringing", .ringing), ("in-progress", .inProgress), ("busy", .busy),
        ("no-answer", .noAnswer), ("canceled", .canceled), ("failed", .failed), ("hold", .other("hold")),
    ])
    func everyEventStatusIsRead(raw: String, status: CallStatus) throws {
        let callback = try ClientStatusCallback([
            "CallSid": "CA4", "ParentCallSid": "CA2", "CallStatus": raw, "To": "client:bob_2", "SequenceNumber": "0",
        ])
        #expect(callback.callStatus == status)
        #expect(callback.sequenceNumber == 0)
        #expect(callback.callDuration == nil)
        #expect(callback.timestamp == nil)
    }

    @Test func identityIsNilForANonClientTarget() throws {
        let callback = try ClientStatusCallback(["CallSid": "CA4", "ParentCallSid": "CA2", "CallStatus": "ringing", "To": "+15005550006"])
        #expect(callback.clientIdentity == nil)
        let clientOnly = try ClientStatusCallback(["CallSid": "CA4", "ParentCallSid": "CA2", "CallStatus": "ringing", "To": "client:"])
        #expect(clientOnly.clientIdentity == "")
        let upperCase = try ClientStatusCallback(["CallSid": "CA4", "ParentCallSid": "CA2", "CallStatus": "ringing", "To": "Client:x"])
        #expect(upperCase.clientIdentity == nil)
    }

    @Test(arguments: ["CallSid", "ParentCallSid", "CallStatus", "To"])
    func missingRequiredParameterNamesItself(parameter: String) throws {
        var form = try FormParameters.parse(Self.completed)
        form.pairs.removeAll { $0.name == parameter }
        let error = #expect(throws: WebhookError.self) { try ClientStatusCallback(form) }
        #expect(error == .missingParameter)
        #expect(error?.parameter == parameter)
    }

    @Test func nonNumericSequenceNumberIsInvalid() throws {
        var form = try FormParameters.parse(Self.completed)
        form.pairs.removeAll { $0.name == "SequenceNumber" }
        form.append(name: "SequenceNumber", value: "three")
        let error = #expect(throws: WebhookError.self) { try ClientStatusCallback(form) }
        #expect(error == .invalidParameter)
        #expect(error?.parameter == "SequenceNumber")
    }
}
