import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDesk

/// `GET /api/voicemails`: the tenant's voicemails, newest first, so the agents can call back.
struct VoicemailsAPIController<Store: DeskStore>: Sendable {
    let services: DeskServices<Store>

    /// The most voicemails one request answers unless `limit` says otherwise, and the most it may ask for.
    static var defaultLimit: Int { 100 }
    static var maximumLimit: Int { 1000 }

    /// A list of voicemails.
    struct Voicemails: Encodable {
        var voicemails: [Voicemail]
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.api(.get, "/api/voicemails", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            let limit = try Self.limit(request.uri.queryParameters["limit"].map(String.init))
            let voicemails = try await services.run(notFound: .internalError) { () async throws(StoreError) in
                try await services.store.voicemails(in: user.tenant, limit: limit)
            }
            return DeskJSON.response(Voicemails(voicemails: voicemails))
        }
    }

    /// The `limit` query: 1 to ``maximumLimit``, ``defaultLimit`` when absent.
    static func limit(_ text: String?) throws(DeskError) -> Int {
        guard let text else { return defaultLimit }
        guard let limit = Int(text), (1...maximumLimit).contains(limit) else {
            throw .invalidRequest("limit must be a whole number from 1 to \(maximumLimit), not \"\(text)\".")
        }
        return limit
    }
}
