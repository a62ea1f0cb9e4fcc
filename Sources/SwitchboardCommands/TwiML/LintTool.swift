import SwitchboardTwiML
import SwitchboardTwiMLReader

/// What `switchboard lint` does for one file, free of the file system so tests run it directly.
public enum LintTool {
    /// Every problem in one TwiML file, as `file:line:col: rule: message` lines.
    public static func lint(_ bytes: [UInt8], file: String) -> [String] {
        let element: Element
        do {
            element = try TwiMLReader.parse(bytes)
        } catch let error as MalformedXML {
            return ["\(file):\(error.position): malformed-xml: \(error.reason)"]
        } catch {
            return ["\(file):1:1: malformed-xml: \(error)"]
        }
        return TwiMLRules.check(element, options: DecodingOptions(allowUnknownAttributes: false)).map { diagnostic in
            let position = diagnostic.position ?? SourcePosition(line: 1, column: 1)
            return "\(file):\(position): \(diagnostic.rule): \(diagnostic.message) (\(diagnostic.path))"
        }
    }
}
