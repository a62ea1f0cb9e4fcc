import Logging
import Synchronization
import Testing

@testable import SwitchboardCommands

@Suite struct LineLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    func logger(_ lines: Lines, label: String = "switchboard", provider: Logger.MetadataProvider? = nil) -> Logger {
        var logger = Logger(label: label) { label in
            LineLogHandler(label: label, metadataProvider: provider) { lines.append($0) }
        }
        logger.logLevel = .info
        return logger
    }

    /// Splits `2026-11-23T03:40:00+0000 rest` into its timestamp and the rest.
    func split(_ line: String) -> (timestamp: Substring, rest: Substring) {
        let space = line.firstIndex(of: " ") ?? line.endIndex
        return (line[..<space], line[line.index(after: space)...])
    }

    @Test func aLineHasStreamLogHandlersLayoutWithMetadataSortedByKey() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: "hb.request.id"] = "7"
        logger.info("call decision", metadata: ["outcome": "ring", "callSid": "CA1"], source: "SwitchboardVoice")
        let line = try #require(lines.all.first)
        let (timestamp, rest) = split(line)
        #expect(rest == "info switchboard: callSid=CA1 hb.request.id=7 outcome=ring [SwitchboardVoice] call decision\n")
        // %Y-%m-%dT%H:%M:%S%z
        #expect(timestamp.count == 24)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/) != nil)
    }

    @Test func withoutMetadataThereIsNothingBetweenTheLabelAndTheSource() throws {
        let lines = Lines()
        logger(lines).warning("bad signature", source: "SwitchboardApp")
        #expect(split(try #require(lines.all.first)).rest == "warning switchboard: [SwitchboardApp] bad signature\n")
    }

    @Test func recordMetadataOverridesTheProviderWhichOverridesTheLoggers() throws {
        let lines = Lines()
        var logger = logger(lines, provider: Logger.MetadataProvider { ["tenant": "provided", "extra": "1"] })
        logger[metadataKey: "tenant"] = "logger"
        logger[metadataKey: "callSid"] = "CA1"
        logger.info("one", source: "S")
        logger.info("two", metadata: ["tenant": "record"], source: "S")
        let all = lines.all.map { split($0).rest }
        #expect(
            all == [
                "info switchboard: callSid=CA1 extra=1 tenant=provided [S] one\n", "info switchboard: callSid=CA1 extra=1 tenant=record [S] two\n",
            ]
        )
    }

    @Test func recordsBelowTheLevelAreNotWrittenAndMetadataIsPerLogger() throws {
        let lines = Lines()
        var first = logger(lines)
        var second = first
        first.logLevel = .warning
        first[metadataKey: "a"] = "1"
        second[metadataKey: "b"] = "2"
        first.info("dropped", source: "S")
        first.warning("kept", source: "S")
        second.info("other", source: "S")
        #expect(lines.all.map { split($0).rest } == ["warning switchboard: a=1 [S] kept\n", "info switchboard: b=2 [S] other\n"])
    }

    @Test func anEmptyLabelLeavesNoSpace() throws {
        let lines = Lines()
        logger(lines, label: "").error("x", source: "S")
        #expect(split(try #require(lines.all.first)).rest == "error: [S] x\n")
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String { "refused" }
    }

    @Test func anErrorAddsItsMessageAndTypeAsStreamLogHandlerDoes() throws {
        let lines = Lines()
        logger(lines).error("failed", error: Refused(), source: "S")
        let rest = split(try #require(lines.all.first)).rest
        #expect(rest == "error switchboard: error.message=refused error.type=SwitchboardCommandsTests.LineLogHandlerTests.Refused [S] failed\n")
    }

    /// A value from a request cannot end the line early or forge another one.
    @Test func controlCharactersInValuesAndMessagesAreEscaped() throws {
        let lines = Lines()
        logger(lines).warning(
            "not understood: \"a\rb\"",
            metadata: [
                "conversation": "c1\n2026-11-24T00:00:00+0000 info switchboard: forged", "tab": "a\tb", "bell": "\u{7}x\u{7F}",
                "separators": "a\u{85}b\u{2028}c\u{2029}d", "slash": #"a\nb é"#,
            ],
            source: "S"
        )
        let line = try #require(lines.all.first)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(!line.contains("\r"))
        #expect(
            split(line).rest
                == #"warning switchboard: bell=\u{7}x\u{7F} conversation=c1\n2026-11-24T00:00:00+0000 info switchboard: forged "#
                + #"separators=a\u{85}b\u{2028}c\u{2029}d slash=a\\nb é tab=a\tb [S] not understood: "a\rb""#
                + "\n"
        )
    }
}
