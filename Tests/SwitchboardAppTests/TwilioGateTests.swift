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
}
