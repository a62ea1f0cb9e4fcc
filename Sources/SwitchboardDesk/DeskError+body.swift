#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DeskError {
    /// The JSON body: `{"error": code, "message": sentence}`, plus `hint` and the details when
    /// present, with sorted keys.
    public var body: [UInt8] {
        var object: [String: JSONField] = ["error": .string(code.rawValue), "message": .string(message)]
        if let hint { object["hint"] = .string(hint) }
        for (key, value) in details where object[key] == nil {
            switch value {
            case .string(let text): object[key] = .string(text)
            case .integer(let number): object[key] = .integer(number)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(object)) ?? Data(#"{"error":"internal_error","message":"?"}"#.utf8))
    }
}

private enum JSONField: Encodable {
    case string(String)
    case integer(Int)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let number): try container.encode(number)
        }
    }
}
