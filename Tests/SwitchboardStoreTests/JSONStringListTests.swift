import Foundation
import Testing

@testable import SwitchboardSQLite

/// The agents-rung column's JSON writer, checked against Foundation's reader and writer.
@Suite struct JSONStringListTests {
    static let lists: [[String]] = [
        [],
        ["amy"],
        ["agent_00", "agent_01", "agent_02"],
        ["", "\"quoted\"", "back\\slash", "slash/ed", "tab\there", "line\nbreak\r\n", "\u{0}\u{1}\u{1F}\u{7F}"],
        ["é", "日本語", "😀", "\u{2028}\u{2029}", "a\u{301}"],
    ]

    @Test(arguments: lists)
    func foundationReadsBackWhatItWrites(list: [String]) throws {
        let json = JSONStringList.encode(list)
        #expect(try JSONDecoder().decode([String].self, from: Data(json.utf8)) == list)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) as? [String]
        #expect(parsed == list)
    }

    @Test func plainIdentitiesAreWrittenAsFoundationWritesThem() throws {
        let list = ["agent_00", "Amy", "bob_2"]
        #expect(JSONStringList.encode(list) == String(decoding: try JSONEncoder().encode(list), as: UTF8.self))
        #expect(JSONStringList.encode([]) == "[]")
        #expect(JSONStringList.encode(["a\"b", "c\\d", "\u{1}"]) == #"["a\"b","c\\d","\u0001"]"#)
    }
}
