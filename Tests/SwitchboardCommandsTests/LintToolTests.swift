import SwitchboardCommands
import Testing

@Suite struct LintToolTests {
    @Test func aCleanFilePrintsNothing() {
        #expect(LintTool.lint(Array(#"<Response><Dial action="/s"><Client>a</Client></Dial></Response>"#.utf8), file: "ok.xml").isEmpty)
    }

    @Test func everyViolationIsPrintedWithFileLineAndColumn() {
        let xml = "<Response>\n<Dial timeout=\"3\"><Client>bad id</Client></Dial>\n<Record/>\n</Response>"
        let lines = LintTool.lint(Array(xml.utf8), file: "calls.xml")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("calls.xml:") })
        #expect(lines.contains { $0.hasPrefix("calls.xml:2:") && $0.contains(": range: timeout=\"3\" is outside 5 to 600") })
        #expect(lines.contains { $0.hasPrefix("calls.xml:2:") && $0.contains(": client-identity: ") })
        #expect(lines.contains { $0.hasPrefix("calls.xml:3:") && $0.contains(": record-without-action: ") })
    }

    @Test func verbsAfterARecordAreReportedUnreachable() {
        let lines = LintTool.lint(Array(#"<Response><Record action="/v"/><Say>bye</Say></Response>"#.utf8), file: "f.xml")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(": unreachable: <Record> always requests its action, so <Say> after it never run") == true)
    }

    @Test func malformedXMLReportsTheParsersPosition() {
        let lines = LintTool.lint(Array("<Response>\n  <Say>hi</Sya>\n</Response>".utf8), file: "bad.xml")
        #expect(lines.count == 1)
        #expect(lines[0].hasPrefix("bad.xml:2:"))
        #expect(lines[0].contains(": malformed-xml: "))
    }
}
