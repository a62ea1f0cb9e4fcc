import Foundation
import SwitchboardTestSupport

/// The golden cases under `Fixtures/signatures` and `Fixtures/forms`, generated with twilio-python
/// 9.13.0 and CPython 3.11.7 (see `Fixtures/signatures/README.md`); never produced by the code under test.
enum WebhookFixtures {
    /// The package's `Fixtures/` folder.
    static var root: URL { Fixtures.root }

    static func decode<T: Decodable>(_ type: T.Type, _ folder: String, _ file: String) throws -> T {
        let data = try Data(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(file))
        return try JSONDecoder().decode(type, from: data)
    }

    /// One request and twilio-python's `validate` answer for it.
    struct SignatureCase: Decodable {
        enum Kind: String, Decodable {
            case form
            case raw
        }

        var name: String
        var kind: Kind
        var token: String
        var tokens: [String]?
        var url: String
        var params: [[String]]
        var body: String
        var signature: String
        var valid: Bool
        var computed: String
        var pythonRaises: String?

        var pairs: [(name: String, value: String)] { params.map { ($0[0], $0[1]) } }
    }

    /// `remove_port(urlparse(url))` and `add_port(urlparse(url))`, or the `ValueError` Python raised.
    struct URLCase: Decodable {
        var url: String
        var withoutPort: String?
        var withPort: String?
        var raises: String?
    }

    /// A form body and `parse_qsl(body, keep_blank_values=True)`.
    struct FormCase: Decodable {
        var body: String
        var pairs: [[String]]
    }

    static func signatureCases() throws -> [SignatureCase] {
        try decode([SignatureCase].self, "signatures", "cases.json")
    }

    static func urlCases() throws -> [URLCase] {
        try decode([URLCase].self, "signatures", "urls.json")
    }

    static func formCases() throws -> [FormCase] {
        try decode([FormCase].self, "forms", "parse_qsl.json")
    }
}
