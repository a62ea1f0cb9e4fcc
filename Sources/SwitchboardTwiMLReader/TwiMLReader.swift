import Foundation
import SwitchboardTwiML

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads TwiML bytes into a plain ``Element`` tree with source positions, through libxml2
/// (FoundationXML's `XMLParser`).
///
/// Whitespace-only text between child elements is dropped (it is indentation); any other text is kept
/// as written, concatenated when split by children. XML turns a raw carriage return into a newline, as
/// every parser must.
public enum TwiMLReader {
    /// Parses `bytes` as XML.
    ///
    /// - Throws: ``MalformedXML`` with libxml2's line, column and reason when the bytes are not
    ///   well-formed XML.
    public static func parse(_ bytes: some Collection<UInt8>) throws -> Element {
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder()
        parser.delegate = builder
        let ok = parser.parse()
        if let failure = builder.failure ?? (ok ? nil : MalformedXML(parser, nil)) {
            throw failure
        }
        guard let root = builder.root else {
            throw MalformedXML(position: SourcePosition(line: 1, column: 1), reason: "the document has no root element")
        }
        return root
    }

    /// Parses a string as XML; see ``parse(_:)-(Collection<UInt8>)``.
    public static func parse(_ string: String) throws -> Element {
        try parse(Array(string.utf8))
    }

}

/// Builds the tree from parser callbacks. Used by one parser on one thread.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: Element?
    var failure: MalformedXML?
    private var stack: [(element: Element, texts: [String])] = []

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let position = SourcePosition(line: parser.lineNumber, column: max(1, parser.columnNumber))
        let element = Element(elementName, attributes: attributes.map { Attribute($0.key, $0.value) }.sorted(), position: position)
        stack.append((element, []))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].texts.append(string)
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].texts.append(String(decoding: block, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard case (var element, let texts)? = stack.popLast() else { return }
        var text = texts.joined()
        if !element.children.isEmpty && text.allSatisfy(\.isWhitespace) { text = "" }
        element.text = text.isEmpty ? nil : text
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].element.children.append(element)
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if failure == nil {
            failure = MalformedXML(parser, parseError)
        }
    }
}

/// Bytes that are not well-formed XML, with libxml2's position and reason.
public struct MalformedXML: Error, Equatable, CustomStringConvertible {
    /// Where libxml2 stopped.
    public var position: SourcePosition
    /// libxml2's reason.
    public var reason: String

    /// Creates a failure.
    public init(position: SourcePosition, reason: String) {
        self.position = position
        self.reason = reason
    }

    init(_ parser: XMLParser, _ error: (any Error)?) {
        let underlying = error ?? parser.parserError
        let reason = underlying.map { ($0 as NSError).localizedDescription } ?? "not well-formed XML"
        self.init(position: SourcePosition(line: max(1, parser.lineNumber), column: max(1, parser.columnNumber)), reason: reason)
    }

    /// `line:col: reason`.
    public var description: String { "\(position): \(reason)" }
}
