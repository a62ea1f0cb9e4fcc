import Foundation
import SwitchboardTwiML

/// Reads the JSON element tree `switchboard render` takes:
/// `{"name": "Response", "attributes": {"k": "v"}, "text": "…", "children": [ … ]}`. Every key but
/// `name` is optional; attribute values are strings, integers (written in decimal) or booleans
/// (written `true`/`false`). Unknown keys are refused so a typo is never silently ignored.
enum ElementJSON {
    /// A problem in the JSON, naming the element path it was found at.
    struct Failure: Error, Equatable, CustomStringConvertible {
        let path: String
        let message: String
        var description: String { path.isEmpty ? message : "\(path): \(message)" }
    }

    static func decode(_ bytes: [UInt8]) throws(Failure) -> Element {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw Failure(path: "", message: "not valid JSON: \(describe(error))")
        }
        return try element(from: value, path: nil)
    }

    private static let keys: Set<String> = ["name", "attributes", "text", "children"]

    private static func element(from value: JSONValue, path: String?) throws(Failure) -> Element {
        guard case .object(let object) = value else {
            throw Failure(path: path ?? "", message: "an element must be a JSON object, not \(value.kind)")
        }
        guard case .string(let name)? = object["name"], !name.isEmpty else {
            throw Failure(path: path ?? "", message: "an element needs a \"name\" string")
        }
        let here = path ?? name
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw Failure(path: here, message: "unknown key \"\(unknown)\"; an element has name, attributes, text and children")
        }
        var element = Element(name)
        switch object["text"] {
        case nil, .null?: break
        case .string(let text)?: element.text = text
        case let other?: throw Failure(path: here, message: "\"text\" must be a string, not \(other.kind)")
        }
        switch object["attributes"] {
        case nil, .null?: break
        case .object(let attributes)?:
            for (key, value) in attributes {
                switch value {
                case .string(let string): element.attributes.append(Attribute(key, string))
                case .integer(let integer): element.attributes.append(Attribute(key, String(integer)))
                case .bool(let flag): element.attributes.append(Attribute(key, flag ? "true" : "false"))
                default:
                    throw Failure(path: here, message: "attribute \(key) must be a string, an integer or a boolean, not \(value.kind)")
                }
            }
            element.attributes.sort()
        case let other?: throw Failure(path: here, message: "\"attributes\" must be an object, not \(other.kind)")
        }
        switch object["children"] {
        case nil, .null?: break
        case .array(let children)?:
            var counts: [String: Int] = [:]
            for child in children {
                let childName: String
                if case .object(let childObject) = child, case .string(let name)? = childObject["name"] {
                    childName = name
                } else {
                    childName = "?"
                }
                let index = (counts[childName] ?? 0) + 1
                counts[childName] = index
                element.children.append(try self.element(from: child, path: "\(here)/\(childName)[\(index)]"))
            }
        case let other?: throw Failure(path: here, message: "\"children\" must be an array, not \(other.kind)")
        }
        return element
    }

    private static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        switch decodingError {
        case .dataCorrupted(let context): return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        default: return "\(decodingError)"
        }
    }
}
