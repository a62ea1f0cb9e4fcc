import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardDesk

/// `GET /api/handoffs`, `POST /api/handoffs`, `POST /api/handoffs/{id}/pickup` and
/// `POST /api/handoffs/{id}/release`.
struct HandoffsAPIController<Store: DeskStore>: Sendable {
    let services: DeskServices<Store>

    /// The body of `POST /api/handoffs`.
    struct NewHandoff: Decodable {
        var conversationID: String
        var customerName: String?
        var summary: String?
    }

    /// A list of handoffs.
    struct Handoffs: Encodable {
        var handoffs: [ChatHandoff]
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.api(.get, "/api/handoffs", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            var status: ChatHandoff.Status?
            if let text = request.uri.queryParameters["status"].map(String.init) {
                guard let known = ChatHandoff.Status(rawValue: text) else {
                    throw DeskError.invalidRequest("status must be pending, active or released, not \"\(text)\".")
                }
                status = known
            }
            let handoffs = try await services.run(notFound: .internalError) { () async throws(StoreError) in
                try await services.store.handoffs(in: user.tenant, status: status)
            }
            return DeskJSON.response(Handoffs(handoffs: handoffs))
        }
        router.api(.post, "/api/handoffs", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            let new = try await DeskJSON.decode(NewHandoff.self, from: request)
            guard !new.conversationID.isEmpty else { throw DeskError.invalidRequest("conversationID cannot be empty.") }
            // It names the customer's conversation in the chat system: a blank one names none, a control
            // character (NUL, a line break) no chat system writes, and PostgreSQL refuses NUL in text.
            let scalars = new.conversationID.unicodeScalars
            guard scalars.count <= 256, !scalars.allSatisfy(\.properties.isWhitespace),
                !scalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw DeskError.invalidRequest("conversationID must be 1 to 256 characters, not all blank, with no control character.")
            }
            // Free text, line breaks welcome; but no store keeps NUL the same (PostgreSQL refuses it in text).
            for (field, value) in [("customerName", new.customerName), ("summary", new.summary)] where value?.utf8.contains(0) == true {
                throw DeskError.invalidRequest("\(field) cannot contain the NUL character (\\u0000).")
            }
            let creation = try await services.run(notFound: .internalError) { () async throws(StoreError) in
                try await services.store.createHandoff(
                    tenant: user.tenant,
                    conversationID: new.conversationID,
                    customerName: new.customerName,
                    summary: new.summary,
                    at: Date()
                )
            }
            switch creation {
            case .created(let handoff): return DeskJSON.response(handoff, status: .created)
            // The conversation's open handoff, as a repeated request must find it: 200, not a second card.
            case .alreadyOpen(let handoff): return DeskJSON.response(handoff, status: .ok)
            }
        }
        router.api(.post, "/api/handoffs/:id/pickup", logger: services.logger) { request, context in
            let user = try await services.user(request)
            let id = try DeskJSON.parameter("id", of: context)
            let agent = try await services.agent(for: user)
            let outcome = try await services.run(notFound: .handoffNotFound(id)) { () async throws(StoreError) in
                try await services.store.pickUpHandoff(id: id, tenant: user.tenant, agentIdentity: agent.identity, at: Date())
            }
            switch outcome {
            case .pickedUp(let handoff): return DeskJSON.response(handoff)
            case .alreadyPickedUp(let holder): throw DeskError.alreadyPickedUp(by: holder)
            case .released(let releaser): throw DeskError.handoffReleased(by: releaser)
            case .atCapacity(let active, let capacity): throw DeskError.atCapacity(active: active, capacity: capacity)
            }
        }
        router.api(.post, "/api/handoffs/:id/release", logger: services.logger) { request, context in
            let user = try await services.user(request)
            let id = try DeskJSON.parameter("id", of: context)
            let agent = try await services.agent(for: user)
            do {
                let released = try await services.store.releaseHandoff(id: id, tenant: user.tenant, agentIdentity: agent.identity, at: Date())
                return DeskJSON.response(released)
            } catch let error as StoreError where error == .notFound {
                throw DeskError.handoffNotFound(id)
            } catch let error as StoreError where error == .conflict {
                throw DeskError.handoffNotActive(id)
            } catch let error as StoreError {
                throw services.map(error)
            }
        }
    }
}
