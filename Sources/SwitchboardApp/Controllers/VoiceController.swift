import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardRouting
import SwitchboardTwiML
import SwitchboardVoice
import SwitchboardWebhooks

/// The headers of every TwiML answer, made once.
private let twimlHeaders: HTTPFields = [.contentType: "text/xml; charset=utf-8"]

/// The Twilio voice routes: checks each request (method, content type, size, signature, form), then
/// answers with ``VoiceService``. Every HTTP status of these routes is decided here.
///
/// Once a request is known to come from Twilio, it always gets 200 and TwiML: the service itself never
/// fails (see ``VoiceService``), and an unexpected error still answers voicemail. Requests that are not
/// Twilio's get a 4xx with a one-line body.
struct VoiceController<Store: CallStore>: Sendable {
    let service: VoiceService<Store>
    let gate: TwilioGate
    let metrics: ServiceMetrics
    /// Run after each answered client-status callback (the agents' API sets away an agent who
    /// missed too many rings in a row); nil without the agents' API.
    var afterClientStatus: (@Sendable (FormParameters, VoiceReply) async -> Void)? = nil

    func addRoutes(to router: Router<BasicRequestContext>) {
        for route in TwilioRoute.allCases {
            let path = RouterPath(stringLiteral: route.rawValue)
            router.post(path) { request, context in try await self.answer(route, request, context) }
        }
    }

    private func answer(_ route: TwilioRoute, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let form: FormParameters
        do {
            form = try await gate.form(of: request, context: context)
        } catch {
            metrics.record(route: route.rawValue, outcome: error.outcome, duration: start.duration(to: clock.now))
            return error.response
        }
        let tenant = request.uri.query.flatMap { RoutingConfiguration.tenant(inQuery: $0) }
        let reply = await service.handle(route, form: form, tenant: tenant, at: Date())
        metrics.record(route: route.rawValue, outcome: reply.outcome, duration: start.duration(to: clock.now))
        if route == .clientStatus, let afterClientStatus { await afterClientStatus(form, reply) }
        return Response(status: .ok, headers: twimlHeaders, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
