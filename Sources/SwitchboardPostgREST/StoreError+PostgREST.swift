import SwitchboardCore
import SwitchboardHTTP

extension StoreError {
    /// The store error a PostgREST failure response means, for the operation described by `operation`
    /// (e.g. "claiming CA123"). Codes decide where they are specific; the status decides otherwise.
    static func postgREST(status: Int, body: [UInt8], operation: String) -> StoreError {
        let error = PostgRESTErrorBody.decode(body)
        let summary = error?.summary ?? String(decoding: body.prefix(300), as: UTF8.self)
        let message = "Supabase answered HTTP \(status) \(operation)"
        switch (status, error?.code) {
        case (_, "PT404"):
            return .notFound(error?.message ?? summary)
        case (_, "PT409"):
            return .conflict(error?.message ?? summary)
        case (404, "PGRST202"), (404, "PGRST205"), (404, "42P01"), (404, "42883"), (406, "PGRST106"):
            return .unavailable(
                "\(message): the database lacks Switchboard's schema; apply supabase/migrations",
                cause: summary
            )
        case (401, _), (403, _):
            return .unauthorized("\(message): the service-role key was refused (\(summary))")
        case (409, _):
            return .conflict("\(message): \(summary)")
        case (400, _), (422, _):
            return .invalid("\(message): \(summary)")
        case (404, _), (406, "PGRST116"):
            return .notFound("\(message): \(summary)")
        default:
            return .unavailable(message, cause: summary)
        }
    }

    /// The store error a transport failure means.
    static func transport(_ error: TransportError, operation: String) -> StoreError {
        switch error {
        case .timeout(let detail): .timeout("Supabase did not answer in time \(operation): \(detail)")
        case .status(let status, let body): .postgREST(status: status, body: body, operation: operation)
        default: .unavailable("Supabase is unreachable \(operation)", cause: error.description)
        }
    }
}
