import SwitchboardWebhooks
import Testing

@Suite struct VoiceRequestTests {
    /// An incoming call to a number, as Twilio posts it (field set of a real request).
    static let incomingCall =
        "AccountSid=AC11111111111111111111111111111111&ApiVersion=2010-04-01&CallSid=CA22222222222222222222222222222222"
        + "&CallStatus=ringing&CallToken=%7B%22parentCallInfoToken%22%3A%22eyJ%22%7D&Called=%2B15005550006&CalledCity="
        + "&CalledCountry=US&CalledState=CA&CalledZip=&Caller=%2B14155551234&CallerCity=SAN+FRANCISCO&CallerCountry=US"
        + "&CallerName=JANE+DOE&CallerState=CA&CallerZip=94103&Direction=inbound&ForwardedFrom=%2B15005550001"
        + "&From=%2B14155551234&FromCity=SAN+FRANCISCO&FromCountry=US&FromState=CA&FromZip=94103&StirVerstat=TN-Validation-Passed-A"
        + "&To=%2B15005550006&ToCity=&ToCountry=US&ToState=CA&ToZip="

    @Test func incomingCallParsesEveryField() throws {
        let request = try VoiceRequest(FormParameters.parse(Self.incomingCall))
        #expect(request.callSid == "CA22222222222222222222222222222222")
        #expect(request.accountSid == "AC11111111111111111111111111111111")
        #expect(request.from == "+14155551234")
        #expect(request.to == "+15005550006")
        #expect(request.callStatus == .ringing)
        #expect(request.direction == .inbound)
        #expect(request.apiVersion == "2010-04-01")
        #expect(request.forwardedFrom == "+15005550001")
        #expect(request.callerName == "JANE DOE")
        #expect(request.parentCallSid == nil)
        #expect(request.callToken == "{\"parentCallInfoToken\":\"eyJ\"}")
    }

    @Test func voiceSDKCallFromAClient() throws {
        let form: FormParameters = [
            "AccountSid": "AC1", "ApplicationSid": "AP1", "CallSid": "CA1", "CallStatus": "ringing",
            "Direction": "inbound", "From": "client:alice", "To": "", "Caller": "client:alice",
        ]
        let request = try VoiceRequest(form)
        #expect(request.from == "client:alice")
        #expect(request.to == "")
        #expect(request.apiVersion == nil)
    }

    @Test(arguments: ["CallSid", "AccountSid", "From", "To"])
    func missingRequiredParameterNamesItself(parameter: String) throws {
        var form = try FormParameters.parse(Self.incomingCall)
        form.pairs.removeAll { $0.name == parameter }
        let error = #expect(throws: WebhookError.self) { try VoiceRequest(form) }
        #expect(error == .missingParameter)
        #expect(error?.parameter == parameter)
        #expect(error?.message.contains(parameter) == true)
    }

    @Test func optionalParametersMayBeAbsent() throws {
        let request = try VoiceRequest(["CallSid": "CA1", "AccountSid": "AC1", "From": "anonymous", "To": "+1"])
        #expect(request.callStatus == nil)
        #expect(request.direction == nil)
        #expect(request.callerName == nil)
    }

    @Test func unknownStatusAndDirectionAreKept() throws {
        let request = try VoiceRequest([
            "CallSid": "CA1", "AccountSid": "AC1", "From": "+1", "To": "+2", "CallStatus": "paused",
            "Direction": "trunking-originating",
        ])
        #expect(request.callStatus == .other("paused"))
        #expect(request.callStatus?.rawValue == "paused")
        #expect(request.direction == .other("trunking-originating"))
    }

    @Test func theFirstOfRepeatedParametersCounts() throws {
        let request = try VoiceRequest(["CallSid": "CA1", "CallSid": "CA2", "AccountSid": "AC1", "From": "+1", "To": "+2"])
        #expect(request.callSid == "CA1")
    }
}
