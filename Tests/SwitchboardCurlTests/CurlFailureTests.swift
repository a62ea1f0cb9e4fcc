import SwitchboardHTTP
import Testing

@testable import SwitchboardCurl

/// What a failed transfer means depends on whether any of the request was sent: callers decide from it
/// whether the server may have acted on the request.
@Suite struct CurlFailureTests {
    @Test func aTimeoutBeforeAnythingWasSentIsAConnectionNobodyAccepted() {
        #expect(CurlFailure.error(code: 28, message: "m", requestSent: false) == .connectionRefused("m (no connection within the time allowed)"))
        #expect(CurlFailure.error(code: 28, message: "m", requestSent: true) == .timeout("m"))
        #expect(CurlFailure.error(code: 28, message: "m", requestSent: nil) == .timeout("m"))
    }

    @Test(arguments: [7, 6, 35, 60])
    func aConnectionFailureAfterARequestWasSentIsALostConnection(code: Int) {
        #expect(CurlFailure.error(code: code, message: "m", requestSent: true) == .connectionLost("m (after a request was sent)"))
        #expect(CurlFailure.error(code: code, message: "m", requestSent: false) == CurlFailure.error(code: code, message: "m"))
    }

    @Test(arguments: [52, 56, 3, 42, 1])
    func otherFailuresMeanTheSameWhateverWasSent(code: Int) {
        let alone = CurlFailure.error(code: code, message: "m")
        #expect(CurlFailure.error(code: code, message: "m", requestSent: true) == alone)
        #expect(CurlFailure.error(code: code, message: "m", requestSent: false) == alone)
    }
}
