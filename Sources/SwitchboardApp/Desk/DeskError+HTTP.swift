import HTTPTypes
import Hummingbird
import NIOCore
import SwitchboardDesk

extension DeskError {
    /// The HTTP status of each code: the one place the API's statuses are decided.
    var status: HTTPResponse.Status {
        switch code {
        case .missingToken, .invalidToken, .tokenExpired: .unauthorized
        case .tenantMissing, .supervisorOnly, .notYourLeg: .forbidden
        case .agentRecordMissing, .callNotFound, .agentNotFound, .parkedCallNotFound, .handoffNotFound, .routeNotFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .invalidRequest: .badRequest
        case .agentRetired, .alreadyAnswered, .agentBusy, .agentCallChanged, .callNotRinging, .notOnCall, .notRung, .alreadyParked, .alreadyRetrieved,
            .parkEnded,
            .parkInProgress,
            .atCapacity,
            .alreadyPickedUp, .handoffNotActive, .handoffReleased:
            .conflict
        case .twilioFailed: .badGateway
        case .twilioOutcomeUnknown: .gatewayTimeout
        case .twilioNotConfigured, .storeUnavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    /// The JSON error response; 401s say how to authenticate.
    var response: Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized {
            headers[.wwwAuthenticate] = code == .missingToken ? "Bearer" : "Bearer error=\"invalid_token\""
        }
        if code == .methodNotAllowed, case .string(let allowed)? = details["allowed"] {
            headers[.allow] = allowed
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
