import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardDesk

/// `GET /api/events`: the tenant's ring events as Server-Sent Events.
///
/// Each event is `id: <sequence>`, `event: <kind>` and `data: <the event as JSON>`. The stream polls
/// the store (``DeskConfiguration/eventPollInterval``), sends a `: heartbeat` comment when idle
/// (``DeskConfiguration/heartbeatInterval``), and closes after
/// ``DeskConfiguration/eventStreamLifetime``; the client reconnects with `Last-Event-ID` (or
/// `?after=`) and gets every event after that sequence, so nothing is lost across reconnects.
struct EventsAPIController<Store: DeskStore>: Sendable {
    let services: DeskServices<Store>
    /// Events read per store call.
    static var pageSize: Int { 200 }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.api(.get, "/api/events", logger: services.logger) { request, _ in
            let user = try await services.user(request)
            let after = try Self.startSequence(request)
            // A fresh stream skips old events; a resumed one (an id given) skips nothing.
            let window = services.configuration.freshStreamWindow
            let since = after == nil ? Date().addingTimeInterval(-Double(window.components.seconds)) : nil
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody { writer in try await stream(tenant: user.tenant, after: after ?? 0, since: since, to: &writer) }
            )
        }
    }

    /// `Last-Event-ID`, else `?after=`, else nil (a fresh stream).
    static func startSequence(_ request: Request) throws(DeskError) -> Int64? {
        let text = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters["after"].map(String.init)
        guard let text, !text.isEmpty else { return nil }
        guard let sequence = Int64(text), sequence >= 0 else {
            throw .invalidRequest("Last-Event-ID (or after) must be a non-negative event id, not \"\(text)\".")
        }
        return sequence
    }

    private func stream(tenant: TenantID, after: Int64, since: Date?, to writer: inout any ResponseBodyWriter) async throws {
        let configuration = services.configuration
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.eventStreamLifetime)
        var last = after
        var lastWrite = clock.now
        let retry = configuration.eventPollInterval.components.seconds * 1000 + 1000
        try await writer.write(ByteBuffer(string: "retry: \(retry)\n: connected\n\n"))
        while clock.now < deadline, !Task.isCancelled {
            let events: [RingEvent]
            do {
                events = try await services.store.ringEvents(in: tenant, after: last, limit: Self.pageSize)
            } catch {
                services.logger.warning("event stream: store failed", metadata: ["error": "\(error)"])
                events = []
            }
            if !events.isEmpty {
                var text = ""
                for event in events where since.map({ event.occurredAt >= $0 }) ?? true { text += Self.frame(event) }
                if !text.isEmpty {
                    try await writer.write(ByteBuffer(string: text))
                    lastWrite = clock.now
                }
                last = events[events.count - 1].sequence
                if events.count == Self.pageSize { continue }
            } else if lastWrite.duration(to: clock.now) >= configuration.heartbeatInterval {
                try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                lastWrite = clock.now
            }
            try await Task.sleep(for: min(configuration.eventPollInterval, clock.now.duration(to: deadline)))
        }
        try await writer.finish(nil)
    }

    /// One event's frame.
    static func frame(_ event: RingEvent) -> String {
        let data = (try? DeskJSON.encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "id: \(event.sequence)\nevent: \(event.kind.rawValue)\ndata: \(data)\n\n"
    }
}
