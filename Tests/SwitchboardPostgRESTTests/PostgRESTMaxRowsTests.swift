import Foundation
import Logging
import SwitchboardCore
import SwitchboardHTTP
import SwitchboardPostgREST
import SwitchboardTestSupport
import Testing

/// A project whose Max Rows is below the configured one, over a scripted transport: the first page's
/// count shows the cut, and the list goes on in pages of what the project answered. The same against a
/// real PostgreSQL is in SwitchboardStoreTests (PostgRESTMaxRowsGatewayTests).
@Suite struct PostgRESTMaxRowsTests {
    /// Agents `ids` as one answer, with the `Content-Range` PostgREST would send for them.
    static func page(_ ids: ClosedRange<Int>, total: Int?) -> Result<HTTPResponse, TransportError> {
        let rows = ids.map {
            #"{"tenant_id":"acme","identity":"a\#($0)","id":"\#($0)","name":"A","email":"a@x.com","presence":"away","chat_capacity":1}"#
        }
        let range = "\(ids.lowerBound - 1)-\(ids.upperBound - 1)/\(total.map(String.init) ?? "*")"
        let partial = total.map { ids.count < $0 } ?? false
        return .success(
            HTTPResponse(
                status: partial ? 206 : 200,
                headers: [HTTPHeader("Content-Range", range)],
                body: Array("[\(rows.joined(separator: ","))]".utf8)
            )
        )
    }

    func store(_ transport: ScriptedTransport, maxRows: Int, messages: LogRecorder) -> PostgRESTCallStore {
        PostgRESTCallStore(
            configuration: PostgRESTConfiguration(url: "https://abcd.supabase.co", serviceRoleKey: "key", maxRows: maxRows),
            transport: transport,
            logger: messages.logger(),
            pause: { _ in },
            random: { 0.5 }
        )
    }

    @Test func aPageCutByTheProjectIsFollowedInPagesOfWhatItAnswered() async throws {
        // Five agents match; five are asked for; the project answers two.
        let transport = ScriptedTransport([Self.page(1...2, total: 5), Self.page(3...4, total: nil), Self.page(5...5, total: nil)])
        let messages = LogRecorder()
        let store = store(transport, maxRows: 5, messages: messages)
        #expect(try await store.agents(in: "acme").map(\.identity) == ["a1", "a2", "a3", "a4", "a5"])
        let requests = transport.requests
        #expect(
            requests.map { $0.url.components(separatedBy: "&order=").last } == [
                "tenant_id.asc,identity.asc&limit=5", "tenant_id.asc,identity.asc&limit=2&offset=2", "tenant_id.asc,identity.asc&limit=2&offset=4",
            ]
        )
        #expect(requests.map { $0.header("Prefer") } == ["count=exact", nil, nil], "only the first page counts")
        #expect(store.observedMaxRows == 2)
        #expect(messages.entries.count == 1)
        let entry = try #require(messages.entries.first)
        #expect(entry.level == .warning)
        #expect(entry.message.hasPrefix("Supabase answered 2 rows where 5 were asked and more match"), "\(entry.message)")
        #expect(entry.message.contains("set SUPABASE_MAX_ROWS (or --supabase-max-rows) to 2"), "\(entry.message)")
    }

    @Test func theCutIsLoggedOnceForEachLowerValue() async throws {
        let transport = ScriptedTransport([
            Self.page(1...2, total: 3), Self.page(3...3, total: nil),
            Self.page(1...2, total: 3), Self.page(3...3, total: nil),
            Self.page(1...1, total: 3), Self.page(2...2, total: nil), Self.page(3...3, total: nil),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
        ])
        let messages = LogRecorder()
        let store = store(transport, maxRows: 4, messages: messages)
        for _ in 0..<3 {
            #expect(try await store.agents(in: "acme").map(\.identity) == ["a1", "a2", "a3"])
        }
        #expect(store.observedMaxRows == 1)
        #expect(messages.entries.map { $0.metadata["answered"].map { "\($0)" } } == ["2", "1"])
    }

    /// A row added before the pages already read brings one back: it is kept once, and the pages go on.
    @Test func aRowThatComesAgainDoesNotEndTheList() async throws {
        let transport = ScriptedTransport([Self.page(1...2, total: 4), Self.page(2...3, total: nil), Self.page(4...4, total: nil)])
        let store = store(transport, maxRows: 2, messages: LogRecorder())
        #expect(try await store.agents(in: "acme").map(\.identity) == ["a1", "a2", "a3", "a4"])
        #expect(transport.requests.map { $0.url.components(separatedBy: "&limit=").last } == ["2", "2&offset=2", "2&offset=4"])
        #expect(store.observedMaxRows == nil)
    }

    /// A row added after the pages already read, once they hold as many rows as were counted, does not
    /// end the list before the last old row: only a short page does.
    @Test func aRowAddedAheadDoesNotCostTheLastOldRow() async throws {
        // a1 … a4 counted; "a2b" is stored between the first page and the second.
        func page(_ identities: [String]) -> Result<HTTPResponse, TransportError> {
            let rows = identities.map {
                #"{"tenant_id":"acme","identity":"\#($0)","id":"\#($0)","name":"A","email":"a@x.com","presence":"away","chat_capacity":1}"#
            }
            return .success(
                HTTPResponse(status: 200, headers: [HTTPHeader("Content-Range", "0-1/4")], body: Array("[\(rows.joined(separator: ","))]".utf8))
            )
        }
        let transport = ScriptedTransport([page(["a1", "a2"]), page(["a2b", "a3"]), page(["a4"])])
        let store = store(transport, maxRows: 2, messages: LogRecorder())
        #expect(try await store.agents(in: "acme").map(\.identity) == ["a1", "a2", "a2b", "a3", "a4"])
    }

    /// An answer that ignores the offset (every page the first again) ends the list rather than asking forever.
    @Test func aPageOfRowsAllReadBeforeEndsTheList() async throws {
        let transport = ScriptedTransport([Self.page(1...2, total: nil), Self.page(1...2, total: nil), Self.page(1...2, total: nil)])
        let store = store(transport, maxRows: 2, messages: LogRecorder())
        #expect(try await store.agents(in: "acme").map(\.identity) == ["a1", "a2"])
        #expect(transport.requests.count == 2)
    }

    /// Voicemails `numbers`, newest first, as one answer (no count: a limited list asks for none).
    static func voicemails(_ numbers: [Int]) -> Result<HTTPResponse, TransportError> {
        let rows = numbers.map {
            #"{"recording_sid":"RE\#($0)","call_sid":"CA\#($0)","tenant_id":"acme","caller":null,"recording_url":"https://x/\#($0)","#
                + #""duration_seconds":5,"received_at":"2026-11-25T00:00:0\#($0)+00:00"}"#
        }
        return .success(
            HTTPResponse(status: 200, headers: [HTTPHeader("Content-Range", "0-0/*")], body: Array("[\(rows.joined(separator: ","))]".utf8))
        )
    }

    /// A limited list asks for no count (it would count every row the filter matches); a short first page
    /// is followed by a request for the row after it, which tells a cut page from the list's end.
    @Test func aLimitedListsShortPageIsCheckedWithOneRow() async throws {
        let cut = ScriptedTransport([Self.voicemails([9, 8]), Self.voicemails([7]), Self.voicemails([7, 6]), Self.voicemails([5])])
        let messages = LogRecorder()
        let store = store(cut, maxRows: 1000, messages: messages)
        #expect(try await store.voicemails(in: "acme", limit: 5).map(\.recordingSid) == ["RE9", "RE8", "RE7", "RE6", "RE5"])
        #expect(cut.requests.map { $0.url.components(separatedBy: "&limit=").last } == ["5", "1&offset=2", "2&offset=2", "1&offset=4"])
        #expect(cut.requests.allSatisfy { $0.header("Prefer") == nil })
        #expect(store.observedMaxRows == 2)
        #expect(messages.entries.count == 1)

        // A voicemail stored between the page and the check moves the page's last row along: not a cut.
        let moved = ScriptedTransport([Self.voicemails([9, 8]), Self.voicemails([8])])
        let messages2 = LogRecorder()
        let shifted = self.store(moved, maxRows: 1000, messages: messages2)
        #expect(try await shifted.voicemails(in: "acme", limit: 5).map(\.recordingSid) == ["RE9", "RE8"])
        #expect(shifted.observedMaxRows == nil)
        #expect(messages2.entries.isEmpty)

        // The list's end: the row after the short page is not there.
        let end = ScriptedTransport([Self.voicemails([9, 8]), .success(HTTPResponse(status: 200, body: Array("[]".utf8)))])
        let whole = self.store(end, maxRows: 1000, messages: LogRecorder())
        #expect(try await whole.voicemails(in: "acme", limit: 5).map(\.recordingSid) == ["RE9", "RE8"])
        #expect(end.requests.count == 2)
        #expect(whole.observedMaxRows == nil)
    }

    /// A short list that the count confirms whole is one request, and nothing is logged.
    @Test func aShortListTheCountConfirmsIsOneRequest() async throws {
        let transport = ScriptedTransport([Self.page(1...3, total: 3)])
        let messages = LogRecorder()
        let store = store(transport, maxRows: 1000, messages: messages)
        #expect(try await store.agents(in: "acme").count == 3)
        #expect(transport.requests.count == 1)
        #expect(store.observedMaxRows == nil)
        #expect(messages.entries.isEmpty)
    }

    /// A full page without a count (a proxy that drops `Content-Range`) still asks for the next.
    @Test func withoutACountAFullPageStillAsksForTheNext() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 200, body: try #require(Self.page(1...2, total: nil).get().body))),
            .success(HTTPResponse(status: 200, body: Array("[]".utf8))),
        ])
        let store = store(transport, maxRows: 2, messages: LogRecorder())
        #expect(try await store.agents(in: "acme").count == 2)
        #expect(transport.requests.count == 2)
    }

    /// A count of rows matched with none answered is an error, not an empty list.
    @Test func rowsCountedButNoneAnsweredIsAnError() async throws {
        let transport = ScriptedTransport([
            .success(HTTPResponse(status: 206, headers: [HTTPHeader("Content-Range", "*/4")], body: Array("[]".utf8)))
        ])
        let store = store(transport, maxRows: 10, messages: LogRecorder())
        await #expect(throws: StoreError.self) { try await store.agents(in: "acme") }
    }
}
