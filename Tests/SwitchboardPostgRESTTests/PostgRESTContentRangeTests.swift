import SwitchboardPostgREST
import Testing

/// `Content-Range` values as ../shared/reference/postgrest.md §1.7 gives them.
@Suite struct PostgRESTContentRangeTests {
    @Test(arguments: [
        ("0-14/*", PostgRESTContentRange(rows: 0...14, total: nil)),
        ("2-4/*", PostgRESTContentRange(rows: 2...4, total: nil)),
        ("*/*", PostgRESTContentRange(rows: nil, total: nil)),
        ("*/0", PostgRESTContentRange(rows: nil, total: 0)),
        ("1-1/2", PostgRESTContentRange(rows: 1...1, total: 2)),
        ("0-999/1500", PostgRESTContentRange(rows: 0...999, total: 1500)),
        ("*/15", PostgRESTContentRange(rows: nil, total: 15)),
    ])
    func theReferencesExamplesRead(value: String, expected: PostgRESTContentRange) {
        #expect(PostgRESTContentRange(value) == expected)
    }

    @Test(arguments: ["", "0-14", "5-4/*", "-1-3/*", "0-+3/*", "0-3/-1", "0-3/x", "a-b/*", "0-3/4/5", "0-/4", "bytes 0-3/4"])
    func anythingElseIsNotARange(value: String) {
        #expect(PostgRESTContentRange(value) == nil)
    }
}
