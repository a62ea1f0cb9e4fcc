import SwitchboardWebhooks
import Testing

@Suite struct RecordingCallbacksTests {
    static let recordAction =
        "AccountSid=AC11111111111111111111111111111111&ApiVersion=2010-04-01&CallSid=CA22222222222222222222222222222222"
        + "&CallStatus=in-progress&Digits=%23&Direction=inbound&From=%2B14155551234&RecordingDuration=9"
        + "&RecordingSid=RE55555555555555555555555555555555"
        + "&RecordingUrl=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC11111111111111111111111111111111"
        + "%2FRecordings%2FRE55555555555555555555555555555555&To=%2B15005550006"

    static let recordingStatus =
        "AccountSid=AC11111111111111111111111111111111&CallSid=CA22222222222222222222222222222222&ErrorCode=0"
        + "&RecordingChannels=1&RecordingDuration=9&RecordingSid=RE55555555555555555555555555555555"
        + "&RecordingSource=RecordVerb&RecordingStartTime=Fri%2C+20+Aug+2010+01%3A13%3A42+%2B0000"
        + "&RecordingStatus=completed"
        + "&RecordingUrl=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC11111111111111111111111111111111"
        + "%2FRecordings%2FRE55555555555555555555555555555555"

    static let recordingURL =
        "https://api.twilio.com/2010-04-01/Accounts/AC11111111111111111111111111111111/Recordings/RE55555555555555555555555555555555"

    @Test func recordActionParses() throws {
        let request = try RecordActionRequest(FormParameters.parse(Self.recordAction))
        #expect(request.callSid == "CA22222222222222222222222222222222")
        #expect(request.from == "+14155551234")
        #expect(request.to == "+15005550006")
        #expect(request.recordingUrl == Self.recordingURL)
        #expect(request.recordingDuration == 9)
        #expect(request.digits == "#")
        #expect(request.accountSid == "AC11111111111111111111111111111111")
    }

    @Test func hangupEndsARecordingWithDigitsHangup() throws {
        let request = try RecordActionRequest([
            "CallSid": "CA1", "From": "+1", "To": "+2", "RecordingUrl": "https://x", "RecordingDuration": "0", "Digits": "hangup",
        ])
        #expect(request.digits == "hangup")
        #expect(request.recordingDuration == 0)
    }

    @Test(arguments: ["CallSid", "From", "To", "RecordingUrl", "RecordingDuration"])
    func recordActionMissingParameterNamesItself(parameter: String) throws {
        var form = try FormParameters.parse(Self.recordAction)
        form.pairs.removeAll { $0.name == parameter }
        let error = #expect(throws: WebhookError.self) { try RecordActionRequest(form) }
        #expect(error == .missingParameter)
        #expect(error?.parameter == parameter)
    }

    @Test func recordActionWithAnEmptyDurationIsInvalidNotMissing() throws {
        var form = try FormParameters.parse(Self.recordAction)
        form.pairs.removeAll { $0.name == "RecordingDuration" }
        form.append(name: "RecordingDuration", value: "")
        let error = #expect(throws: WebhookError.self) { try RecordActionRequest(form) }
        #expect(error == .invalidParameter)
        #expect(error?.parameter == "RecordingDuration")
    }

    @Test func recordingStatusParses() throws {
        let callback = try RecordingStatusCallback(FormParameters.parse(Self.recordingStatus))
        #expect(callback.accountSid == "AC11111111111111111111111111111111")
        #expect(callback.callSid == "CA22222222222222222222222222222222")
        #expect(callback.recordingSid == "RE55555555555555555555555555555555")
        #expect(callback.recordingUrl == Self.recordingURL)
        #expect(callback.recordingStatus == .completed)
        #expect(callback.recordingDuration == 9)
        #expect(callback.recordingChannels == 1)
        #expect(callback.recordingSource == "RecordVerb")
        #expect(callback.recordingStartTime == "Fri, 20 Aug 2010 01:13:42 +0000")
    }

    @Test func unknownRecordingStatusIsKept() throws {
        var form = try FormParameters.parse(Self.recordingStatus)
        form.pairs.removeAll { $0.name == "RecordingStatus" }
        form.append(name: "RecordingStatus", value: "stopped")
        #expect(try RecordingStatusCallback(form).recordingStatus == .other("stopped"))
    }

    @Test(arguments: ["AccountSid", "CallSid", "RecordingSid", "RecordingUrl", "RecordingStatus"])
    func recordingStatusMissingParameterNamesItself(parameter: String) throws {
        var form = try FormParameters.parse(Self.recordingStatus)
        form.pairs.removeAll { $0.name == parameter }
        let error = #expect(throws: WebhookError.self) { try RecordingStatusCallback(form) }
        #expect(error == .missingParameter)
        #expect(error?.parameter == parameter)
        #expect(error?.message == "a recording status callback requires the parameter \(parameter)")
    }
}

/// What a voicemail and a leg's status need of a callback whose other fields are malformed.
@Suite struct CallbackEssentialsTests {
    @Test func aRecordingsEssentialsLeaveMalformedOptionalFieldsOut() throws {
        var form = try FormParameters.parse(RecordingCallbacksTests.recordingStatus)
        form.pairs.removeAll { ["RecordingDuration", "RecordingChannels", "AccountSid"].contains($0.name) }
        form.append(name: "RecordingDuration", value: "-3")
        form.append(name: "RecordingChannels", value: "mono")
        let callback = try RecordingStatusCallback(essentialsOf: form)
        #expect(callback.recordingSid == "RE55555555555555555555555555555555")
        #expect(callback.recordingUrl == RecordingCallbacksTests.recordingURL)
        #expect(callback.recordingStatus == .completed)
        #expect(callback.recordingDuration == nil && callback.recordingChannels == nil)
        #expect(callback.accountSid == "")
        #expect(callback.recordingSource == "RecordVerb")
    }

    @Test(arguments: ["CallSid", "RecordingSid", "RecordingUrl", "RecordingStatus"])
    func aRecordingsEssentialsStillNameAMissingOne(parameter: String) throws {
        var form = try FormParameters.parse(RecordingCallbacksTests.recordingStatus)
        form.pairs.removeAll { $0.name == parameter }
        let error = #expect(throws: WebhookError.self) { try RecordingStatusCallback(essentialsOf: form) }
        #expect(error?.parameter == parameter)
    }

    @Test func aLegsEssentialsLeaveMalformedOptionalFieldsOut() throws {
        let form: FormParameters = [
            "CallSid": "CAleg", "ParentCallSid": "CAp", "To": "client:agent_0", "CallStatus": "completed", "CallDuration": "-1",
            "SequenceNumber": "two",
        ]
        let callback = try ClientStatusCallback(essentialsOf: form)
        #expect(callback.callSid == "CAleg" && callback.parentCallSid == "CAp" && callback.to == "client:agent_0")
        #expect(callback.callStatus == .completed)
        #expect(callback.callDuration == nil && callback.sequenceNumber == nil)
        for parameter in ["CallSid", "ParentCallSid", "To", "CallStatus"] {
            var missing = form
            missing.pairs.removeAll { $0.name == parameter }
            let error = #expect(throws: WebhookError.self) { try ClientStatusCallback(essentialsOf: missing) }
            #expect(error?.parameter == parameter)
        }
    }
}
