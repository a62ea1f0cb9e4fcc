import HTTPTypes
import Testing

@testable import SwitchboardApp

@Suite struct TwilioGateTests {
    @Test(arguments: [
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8",
        "Application/X-WWW-Form-URLEncoded", "APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8",
        "application/x-www-form-urlencoded ; charset=utf-8", "application/x-www-form-urlencoded\t;charset=utf-8",
        "application/x-www-form-urlencoded  ",
    ])
    func formContentTypesInAnyCaseAreForms(_ contentType: String) {
        #expect(TwilioGate.isForm(contentType))
    }

    @Test(arguments: [
        "", "application/json", "application/x-www-form", "text/plain", " application/x-www-form-urlencoded",
        "application\u{2215}x-www-form-urlencoded",  // DIVISION SLASH, not a slash
        "application/x-www-form-urlencodedjunk", "application/x-www-form-urlencoded-v2", "application/x-www-form-urlencoded junk",
    ])
    func otherContentTypesAreNot(_ contentType: String) {
        #expect(!TwilioGate.isForm(contentType))
    }

    @Test func noContentTypeIsNotAForm() {
        #expect(!TwilioGate.isForm(nil))
    }

    @Test func aHeaderReadsAsTheFieldsSubscriptReadsIt() {
        let signature = TwilioGate.signatureHeader
        let cases: [HTTPFields] = [
            [:],
            [.contentType: "text/plain"],
            [signature: "abc=", .contentType: "application/x-www-form-urlencoded"],
            // Names match in any case; several fields of one name join as the subscript joins them.
            [HTTPField.Name("x-twilio-signature")!: "one", .accept: "*/*", HTTPField.Name("X-TWILIO-SIGNATURE")!: "two"],
            [.contentType: "application/x-www-form-urlencoded", .contentType: "application/json"],
            [.contentType: ""],
        ]
        for headers in cases {
            #expect(TwilioGate.value(of: signature, in: headers) == headers[signature])
            #expect(TwilioGate.value(of: .contentType, in: headers) == headers[.contentType])
        }
        #expect(TwilioGate.value(of: signature, in: cases[3]) == "one, two")
        #expect(TwilioGate.value(of: .contentType, in: cases[2]) == "application/x-www-form-urlencoded")
    }
}
