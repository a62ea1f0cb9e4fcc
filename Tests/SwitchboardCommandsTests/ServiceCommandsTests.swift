import Foundation
import SwitchboardCurl
import SwitchboardHTTP
import Testing

/// The service's commands through the real binary: agents and numbers on a real SQLite file, `sign`
/// against an independent vector, and `serve` + `simulate` over loopback HTTP.
@Suite struct ServiceCommandsTests {
    let cli = CommandLineTests()
    static let token = "12345678901234567890123456789012"

    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Imports one available agent, alice, into the embedded store at `database`.
    func importAlice(into database: String) throws {
        let agents = #"[{"identity": "alice", "name": "Alice", "email": "a@x.com", "presence": "available"}]"#
        #expect(try cli.run(["agents", "import", "-", "--database", database], stdin: Array(agents.utf8)).status == 0)
    }

    /// The wrk script in shared/bench carries this signature for this body, token and URL, computed by
    /// twilio-python.
    @Test func signMatchesTheBenchmarkScriptsSignature() throws {
        let body =
            "AccountSid=AC11111111111111111111111111111111&ApiVersion=2010-04-01&CallSid=CA22222222222222222222222222222222&CallStatus=ringing&Called=%2B15005550006&CalledCity=&CalledCountry=US&CalledState=CA&CalledZip=&Caller=%2B14155551234&CallerCity=SAN+FRANCISCO&CallerCountry=US&CallerState=CA&CallerZip=94103&Direction=inbound&From=%2B14155551234&FromCity=SAN+FRANCISCO&FromCountry=US&FromState=CA&To=%2B15005550006"
        let result = try cli.run(["sign", "--auth-token", Self.token, "--url", "https://switchboard.example.com/twilio/voice", body])
        #expect(result.status == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "/u3nZOQ3AyPOxXLjNY9ieQx+VdY=\n")
    }

    @Test func serveRefusesToStartWithoutAToken() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try cli.run(["serve", "--database", directory.appendingPathComponent("s.sqlite").path, "--port", "0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no Twilio Auth Token"))
    }

    @Test(arguments: [
        ("https://user:secret@switchboard.example.com", "credentials"),
        ("https://switchboard.example.com/twilio", "path"),
        ("https://switchboard.example.com?x=1", "query"),
        ("https://switchboard.example.com#top", "fragment"),
        ("ftp://switchboard.example.com", "http:// or https://"),
        ("https://", "host"),
    ])
    func serveRefusesAPublicURLSignaturesCannotMatch(url: String, reason: String) throws {
        let result = try cli.run(["serve", "--store", "memory", "--port", "0", "--auth-token", "t", "--public-url", url])
        #expect(result.status == 2, "\(url)")
        #expect(result.stderr.contains(reason), "\(url): \(result.stderr)")
    }

    @Test func agentsImportListAndSetPresenceWorkOnTheEmbeddedStore() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("agents.sqlite").path
        let agents =
            #"[{"identity": "alice", "name": "Alice", "email": "a@x.com", "presence": "available"}, {"identity": "bob", "name": "Bob", "email": "b@x.com", "presence": "away", "tenant": "acme"}]"#
        let imported = try cli.run(["agents", "import", "-", "--database", database], stdin: Array(agents.utf8))
        #expect(imported.status == 0)
        #expect(String(decoding: imported.stdout, as: UTF8.self) == "imported 2 of 2 agents\n")
        let set = try cli.run(["agents", "set-presence", "alice", "offline", "--database", database])
        #expect(set.status == 0)
        let list = try cli.run(["agents", "list", "--database", database])
        #expect(String(decoding: list.stdout, as: UTF8.self) == "acme\tbob\taway\tBob\tb@x.com\t-\ndefault\talice\toffline\tAlice\ta@x.com\t-\n")
        let missing = try cli.run(["agents", "set-presence", "nobody", "away", "--database", database])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nobody"))
    }

    /// A file that would fail partway changes nothing: every record is checked, against the rules and
    /// against what is stored, before any is written.
    @Test func agentsImportOfAFileWithABadRecordStoresNone() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("atomic.sqlite").path
        func importing(_ json: String, _ extra: [String] = []) throws -> CommandLineTests.Run {
            try cli.run(["agents", "import", "-", "--database", database] + extra, stdin: Array(json.utf8))
        }
        func agent(_ identity: String, _ tenant: String) -> String {
            #"{"identity": "\#(identity)", "name": "N", "email": "n@x.com", "presence": "available", "tenant": "\#(tenant)"}"#
        }
        #expect(try importing("[\(agent("ann", "t1"))]").status == 0)
        // A bad identity last, a tenant with a leading space in the middle: the good first record is not stored.
        let badRules = try importing("[\(agent("bob", "t1")), \(agent("cy", " t1")), \(agent("dee-1", "t1"))]")
        #expect(badRules.status == 1)
        #expect(badRules.stderr.contains(#"agent 1 ("cy"): Agent cy: a tenant's name cannot begin or end with a space"#), "\(badRules.stderr)")
        #expect(badRules.stderr.contains(#"agent 2 ("dee-1"): Agent identity must be"#), "\(badRules.stderr)")
        #expect(badRules.stderr.contains("nothing imported"))
        // An identity current in another tenant, without --move, after a good record: neither is stored.
        let elsewhere = try importing("[\(agent("eve", "t2")), \(agent("ann", "t2"))]")
        #expect(elsewhere.status == 1)
        #expect(elsewhere.stderr.contains("agent 1 (ann): Identity ann is already a current agent of tenant t1"), "\(elsewhere.stderr)")
        #expect(elsewhere.stderr.contains("pass --move"))
        let listed = String(decoding: try cli.run(["agents", "list", "--database", database]).stdout, as: UTF8.self)
        #expect(listed == "t1\tann\tavailable\tN\tn@x.com\t-\n", "\(listed)")
        // With --move the same file is stored whole.
        let moved = try importing("[\(agent("eve", "t2")), \(agent("ann", "t2"))]", ["--move"])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(String(decoding: moved.stdout, as: UTF8.self).contains("imported 2 of 2 agents"))
    }

    /// An empty database path is refused (SQLite would give every connection a private temporary
    /// database: an import would report success and store nothing, and a server find no tables).
    @Test func anEmptyDatabasePathIsRefused() throws {
        for arguments in [["agents", "list", "--database", ""], ["agents", "import", "-", "--database", ""], ["serve", "--dev", "--database", ""]] {
            let run = try cli.run(arguments, stdin: Array("[]".utf8))
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("--database cannot be empty"), "\(arguments): \(run.stderr)")
        }
    }

    /// A `--server` that is not an http URL is a usage error, not a crash.
    @Test func simulateRefusesAServerThatIsNotAnHTTPURL() throws {
        for server in ["127.0.0.1:18601", "http://[::1", "http://exa mple.com", "ftp://127.0.0.1:1"] {
            let run = try cli.run(["simulate", "voice", "--server", server, "--auth-token", "tok"])
            #expect(run.status == 2, "\(server): \(run.stderr)")
            #expect(run.stderr.contains("is not an http:// or https:// URL with a host"), "\(server): \(run.stderr)")
        }
    }

    @Test func agentsImportNamesTheBadRecord() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("bad.sqlite").path
        let missingField = try cli.run(
            ["agents", "import", "-", "--database", database],
            stdin: Array(#"[{"identity": "a", "name": "A", "email": "e"}]"#.utf8)
        )
        #expect(missingField.status == 1)
        #expect(missingField.stderr.contains("[0]: missing presence"))
        let badIdentity = try cli.run(
            ["agents", "import", "-", "--database", database],
            stdin: Array(#"[{"identity": "bad id", "name": "A", "email": "e", "presence": "available"}]"#.utf8)
        )
        #expect(badIdentity.status == 1)
        #expect(badIdentity.stderr.contains(#"agent 0 ("bad id"): Agent identity must be"#), "\(badIdentity.stderr)")
        let twice = try cli.run(
            ["agents", "import", "-", "--database", database],
            stdin: Array(
                #"[{"identity": "dee", "name": "D", "email": "d@x.com", "presence": "available"}, {"identity": "eve", "name": "E", "email": "e@x.com", "presence": "away"}, {"identity": "dee", "name": "D2", "email": "d2@x.com", "presence": "away"}]"#
                    .utf8
            )
        )
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("agents 0 and 2 are both dee in tenant default: list each agent once"), "\(twice.stderr)")
        let listed = try cli.run(["agents", "list", "--database", database])
        #expect(!String(decoding: listed.stdout, as: UTF8.self).contains("dee"), "nothing of a refused file is stored")
        let missingFile = try cli.run(["agents", "import", database + ".missing.json", "--database", database])
        #expect(missingFile.status == 1)
        #expect(missingFile.stderr.contains("cannot read") && missingFile.stderr.contains("no such file"), "\(missingFile.stderr)")
    }

    /// An identity current in another tenant moves only with --move, which retires its record there;
    /// a file giving one identity to two tenants is refused whole.
    @Test func anAgentMovesToAnotherTenantOnlyWhenAskedTo() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("moves.sqlite").path
        let amy = { (tenant: String) in
            Array(#"[{"identity": "amy", "name": "Amy", "email": "amy@x.com", "presence": "available", "tenant": "\#(tenant)"}]"#.utf8)
        }
        #expect(try cli.run(["agents", "import", "-", "--database", database], stdin: amy("acme")).status == 0)

        let refused = try cli.run(["agents", "import", "-", "--database", database], stdin: amy("globex"))
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("agent 0 (amy): Identity amy is already a current agent of tenant acme")
                && refused.stderr.contains("pass --move to move it"),
            "\(refused.stderr)"
        )
        let unchanged = try cli.run(["agents", "list", "--database", database])
        #expect(String(decoding: unchanged.stdout, as: UTF8.self) == "acme\tamy\tavailable\tAmy\tamy@x.com\t-\n")

        let moved = try cli.run(["agents", "import", "-", "--move", "--database", database], stdin: amy("globex"))
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(
            String(decoding: moved.stdout, as: UTF8.self)
                == "moved amy from tenant acme to tenant globex; its record in acme is retired\nimported 1 of 1 agents\n"
        )
        let list = try cli.run(["agents", "list", "--database", database])
        #expect(
            String(decoding: list.stdout, as: UTF8.self)
                == "acme\tamy\tretired\tAmy\tamy@x.com\t-\nglobex\tamy\tavailable\tAmy\tamy@x.com\t-\n"
        )
        let presence = try cli.run(["agents", "set-presence", "amy", "available", "--tenant", "acme", "--database", database])
        #expect(presence.status == 1)
        #expect(presence.stderr.contains("Agent amy in tenant acme is retired"), "\(presence.stderr)")

        let both = try cli.run(
            ["agents", "import", "-", "--move", "--database", database],
            stdin: Array(
                #"[{"identity": "bea", "name": "B", "email": "b@x.com", "presence": "available", "tenant": "acme"}, {"identity": "bea", "name": "B", "email": "b@x.com", "presence": "available", "tenant": "globex"}]"#
                    .utf8
            )
        )
        #expect(both.status == 1)
        #expect(
            both.stderr.contains("agents 0 and 1 give identity bea to tenants acme and globex: an identity is an agent of one tenant"),
            "\(both.stderr)"
        )
        #expect(!String(decoding: try cli.run(["agents", "list", "--database", database]).stdout, as: UTF8.self).contains("bea"))
    }

    /// A number another tenant owns moves only with --move; `numbers list` shows the mappings; `numbers
    /// remove` unmaps one, and says when none is left.
    @Test func aNumberMovesToAnotherTenantOnlyWhenAskedTo() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("numbers.sqlite").path
        let first = try cli.run(["numbers", "add", "+15005550006", "--tenant", "acme", "--database", database])
        #expect(first.status == 0)
        // The first mapping changes where every call goes, and says so; later ones do not repeat it.
        #expect(String(decoding: first.stdout, as: UTF8.self).contains("the first mapped number: from now on"), "\(first.stderr)")
        let second = try cli.run(["numbers", "add", "+15005550007", "--tenant", "acme", "--database", database])
        #expect(second.status == 0)
        #expect(String(decoding: second.stdout, as: UTF8.self) == "+15005550007 belongs to acme\n")
        let again = try cli.run(["numbers", "add", "+15005550006", "--tenant", "acme", "--database", database])
        #expect(again.status == 0)
        #expect(String(decoding: again.stdout, as: UTF8.self) == "+15005550006 belongs to acme\n")

        let refused = try cli.run(["numbers", "add", "+15005550006", "--tenant", "globex", "--database", database])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("+15005550006 belongs to tenant acme; add --move to give it to globex"), "\(refused.stderr)")
        let unchanged = try cli.run(["numbers", "list", "--database", database])
        #expect(String(decoding: unchanged.stdout, as: UTF8.self) == "+15005550006\tacme\n+15005550007\tacme\n")

        let moved = try cli.run(["numbers", "add", "+15005550006", "--tenant", "globex", "--move", "--database", database])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(String(decoding: moved.stdout, as: UTF8.self) == "+15005550006 moved from acme to globex\n")
        let list = try cli.run(["numbers", "list", "--database", database])
        #expect(String(decoding: list.stdout, as: UTF8.self) == "+15005550006\tglobex\n+15005550007\tacme\n")

        let removed = try cli.run(["numbers", "remove", "+15005550006", "--database", database])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(String(decoding: removed.stdout, as: UTF8.self) == "+15005550006 no longer belongs to globex\n")
        let unmapped = try cli.run(["numbers", "remove", "+15005550006", "--database", database])
        #expect(unmapped.status == 1)
        #expect(unmapped.stderr.contains("+15005550006 is not mapped"), "\(unmapped.stderr)")
        let last = try cli.run(["numbers", "remove", "+15005550007", "--database", database])
        #expect(
            String(decoding: last.stdout, as: UTF8.self)
                == "+15005550007 no longer belongs to acme\nno numbers are mapped now: every call belongs to the default tenant\n"
        )
        #expect(try cli.run(["numbers", "list", "--database", database]).stdout.isEmpty)
    }

    @Test func numbersAddRefusesANonE164Number() throws {
        let result = try cli.run(["numbers", "add", "5550006", "--tenant", "acme", "--database", "/tmp/unused.sqlite"])
        #expect(result.status == 2)
        // A country code never begins with 0.
        let zero = try cli.run(["numbers", "add", "+0123", "--tenant", "acme", "--database", "/tmp/unused.sqlite"])
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("the first not 0"), "\(zero.stderr)")
    }

    /// A tenant's name with a tab or an edge space is refused: it would break the tab-separated lists,
    /// and " acme" would be a second tenant beside acme.
    @Test(arguments: ["a\tb", " acme", "acme ", ""])
    func numbersAddRefusesATenantNameThatBreaksTheRules(tenant: String) throws {
        let result = try cli.run(["numbers", "add", "+15005550006", "--tenant", tenant, "--database", "/tmp/unused.sqlite"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("a tenant's name"), "\(result.stderr)")
    }

    /// A command that reads or changes what is stored refuses a missing file (a mistyped path) rather
    /// than making an empty database there; and no command adds Switchboard's tables to another
    /// application's SQLite file.
    @Test func readingCommandsRefuseAMissingOrForeignDatabase() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let typo = directory.appendingPathComponent("typo.sqlite").path
        for arguments in [
            ["agents", "list"], ["numbers", "list"], ["agents", "set-presence", "amy", "away"], ["numbers", "remove", "+15005550006"],
        ] {
            let run = try cli.run(arguments + ["--database", typo])
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains("no embedded store at \(typo)"), "\(arguments): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: typo))

        let foreign = directory.appendingPathComponent("other-app.sqlite").path
        let made = Process()
        made.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        made.arguments = [
            "python3", "-c", "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('CREATE TABLE invoices (id INTEGER)')", foreign,
        ]
        try made.run()
        made.waitUntilExit()
        for arguments in [["agents", "list"], ["numbers", "add", "+15005550006", "--tenant", "acme"]] {
            let run = try cli.run(arguments + ["--database", foreign])
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains("another application's database"), "\(arguments): \(run.stderr)")
        }
        let tables = Process()
        tables.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tables.arguments = [
            "python3", "-c",
            "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'\").fetchone()[0])",
            foreign,
        ]
        let output = Pipe()
        tables.standardOutput = output
        try tables.run()
        tables.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "invoices\n")
    }

    /// A start refused for its store leaves no spool directory behind, and one refused for its port
    /// file fails at once rather than serving while whoever waits for the file waits for ever.
    @Test func aRefusedStartLeavesNoSpoolAndAnUnwritablePortFileIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let notADatabase = directory.appendingPathComponent("notdb.sqlite").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: notADatabase))
        let refused = try cli.run(["serve", "--dev", "--port", "0", "--public-url", Self.publicURL, "--database", notADatabase])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: notADatabase + "-voicemail-spool"))

        for portFile in ["/nonexistent-dir/port.txt", directory.path] {
            let run = try cli.run([
                "serve", "--dev", "--port", "0", "--public-url", Self.publicURL, "--port-file", portFile,
                "--database", directory.appendingPathComponent("pf.sqlite").path,
            ])
            #expect(run.status == 2, "\(portFile): \(run.stderr)")
            #expect(run.stderr.contains("the port file"), "\(portFile): \(run.stderr)")
        }
    }

    @Test func serveAndSimulateAnswerACallOverLoopback() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("e2e.sqlite").path
        try importAlice(into: database)
        try await withServer(["--database", database]) { port, reply in
            #expect(reply.status == 0)
            #expect(String(decoding: reply.stdout, as: UTF8.self).contains(">alice</Client></Dial></Response>"))
            let forged = try cli.run([
                "simulate", "voice", "--server", "http://127.0.0.1:\(port)", "--public-url", Self.publicURL, "--auth-token", "not-the-token",
            ])
            #expect(forged.status == 1)
            #expect(forged.stderr.contains("HTTP 403"))
            // A dial of another tenant's call, whose <Dial action> names it: the voicemail answer keeps it.
            let dial = try cli.run([
                "simulate", "dial-status", "--server", "http://127.0.0.1:\(port)", "--public-url", Self.publicURL, "--auth-token", Self.token,
                "--tenant", "acme",
            ])
            #expect(dial.status == 0, "\(dial.stderr)")
            #expect(String(decoding: dial.stdout, as: UTF8.self).contains("/twilio/recording-status?tenant=acme"), "\(dial.stdout)")
        }
        // The voicemail spool is made at start, next to the database.
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: database + "-voicemail-spool/rejected", isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
    }

    /// Starts a Python process that holds `database`'s write lock for `seconds` (a backup, an operator's
    /// session), creating the file when missing; returns once it holds it.
    func holdLock(on database: String, seconds: Int) throws -> Process {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys, time
            connection = sqlite3.connect(sys.argv[1], isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            time.sleep(int(sys.argv[2]))
            connection.execute("COMMIT")
            """,
            database, "\(seconds)",
        ]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("locked"))
        return holder
    }

    /// Another process holds the database's write lock as the service starts (a backup, an operator's
    /// session): a file whose schema is current needs no write to open, so the service listens at once
    /// and rings its agents (the routing read needs no lock), where it used to wait out the lock and
    /// leave Twilio with no server at all.
    @Test func serveStartsAtOnceOnACurrentFileAnotherProcessHoldsLocked() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("locked.sqlite").path
        try importAlice(into: database)
        // The holder's process ends as it releases the lock: a call answered while it runs was answered
        // under the lock, however slowly a loaded machine started the service.
        try await whileLocked(database, for: 12) { holder in
            try await withServer(["--database", database]) { _, reply in
                #expect(reply.status == 0)
                #expect(String(decoding: reply.stdout, as: UTF8.self).contains(">alice</Client></Dial></Response>"))
                #expect(holder.isRunning, "the call was answered while the lock was still held")
            }
        }
    }

    /// A file that needs its schema written (a new one, here) cannot open under another process's lock:
    /// the start keeps trying, and the service comes up once the lock is released, instead of exiting.
    @Test func serveWaitsForANewStoreFileAnotherProcessHoldsLocked() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("new.sqlite").path
        let clock = ContinuousClock()
        let start = clock.now
        try await whileLocked(database, for: 8) { _ in
            try await withServer(["--database", database]) { _, reply in
                #expect(reply.status == 0)
                #expect(String(decoding: reply.stdout, as: UTF8.self).contains("<Record"), "no agents yet: voicemail")
            }
            #expect(start.duration(to: clock.now) > .seconds(5), "the lock outlasted the first attempt's busy timeout")
        }
    }

    /// Runs `body` while a Python process holds `database`'s write lock (see ``holdLock(on:seconds:)``),
    /// then waits for that process to release it and end cleanly. `body` gets the process, which runs
    /// exactly while it holds the lock.
    func whileLocked(_ database: String, for seconds: Int, _ body: (Process) async throws -> Void) async throws {
        let holder = try holdLock(on: database, seconds: seconds)
        defer { if holder.isRunning { holder.terminate() } }
        try await body(holder)
        // Waited for without blocking a thread of the cooperative pool, which other tests need meanwhile.
        while holder.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(holder.terminationStatus == 0)
    }

    /// A default spool that cannot be made does not stop the service (the voicemails then wait in
    /// memory, as the log says); `none` turns the spool off.
    @Test func aDefaultSpoolThatCannotBeMadeDoesNotStopTheService() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("blocked.sqlite").path
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: database + "-voicemail-spool"))
        try await withServer(["--database", database]) { _, reply in
            #expect(reply.status == 0)
        }
        let other = directory.appendingPathComponent("off.sqlite").path
        try await withServer(["--database", other, "--voicemail-spool", "none"]) { _, reply in
            #expect(reply.status == 0)
        }
        #expect(!FileManager.default.fileExists(atPath: other + "-voicemail-spool"))
        // Nor is `none` taken for a directory's name (the server runs in this process's directory).
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/none"))
    }

    @Test func serveRefusesAVoicemailSpoolItCannotWrite() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("a-file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let result = try cli.run([
            "serve", "--store", "memory", "--port", "0", "--public-url", Self.publicURL, "--auth-token", Self.token, "--voicemail-spool", file,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot use the voicemail spool: \(file): not a directory"), "\(result.stderr)")
    }

    @Test func serveOnTheMemoryStoreRingsTheSeededAgents() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let agents = directory.appendingPathComponent("agents.json")
        try Data(#"[{"identity": "zed", "name": "Zed", "email": "z@x.com", "presence": "available"}]"#.utf8).write(to: agents)
        try await withServer(["--store", "memory", "--agents", agents.path]) { _, reply in
            #expect(String(decoding: reply.stdout, as: UTF8.self).contains(">zed</Client></Dial></Response>"))
        }
    }

    /// The memory store's seed file holds to import's rules: one identity is an agent of one tenant.
    @Test func serveOnTheMemoryStoreRefusesASeedGivingAnIdentityToTwoTenants() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let agents = directory.appendingPathComponent("agents.json")
        try Data(
            #"[{"identity": "zed", "name": "Zed", "email": "z@x.com", "presence": "available", "tenant": "acme"}, {"identity": "zed", "name": "Zed", "email": "z@x.com", "presence": "available", "tenant": "globex"}]"#
                .utf8
        ).write(to: agents)
        let result = try cli.run([
            "serve", "--store", "memory", "--agents", agents.path, "--port", "0", "--public-url", Self.publicURL, "--auth-token", Self.token,
        ])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("agents 0 and 1 give identity zed to tenants acme and globex: an identity is an agent of one tenant"),
            "\(result.stderr)"
        )
    }

    /// `serve --agents` reads its file as `agents import` does, and says the same of one it cannot read.
    @Test func serveOnTheMemoryStoreNamesAMissingOrMalformedSeed() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.json").path
        let serve = ["serve", "--store", "memory", "--port", "0", "--public-url", Self.publicURL, "--auth-token", Self.token, "--agents"]
        let absent = try cli.run(serve + [missing])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("switchboard serve: cannot read \(missing): no such file"), "\(absent.stderr)")
        let malformed = directory.appendingPathComponent("agents.json")
        try Data(#"[{"identity": "zed", "name": "Zed", "presence": "available"}]"#.utf8).write(to: malformed)
        let unreadable = try cli.run(serve + [malformed.path])
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr.contains("\(malformed.path): not a JSON array of agents: [0]: missing email"), "\(unreadable.stderr)")
    }

    @Test func serveWithAJWTSecretAnswersTheAgentsAPI() async throws {
        try await withServer(["--store", "memory", "--jwt-secret", "a-jwt-secret-of-at-least-32-characters"]) { port, _ in
            let transport = CurlTransport()
            let answer = try? await transport.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/api/agents/me"))
            await transport.shutdown()
            let response = try #require(answer)
            #expect(response.status == 401)
            #expect(response.text.contains(#""error":"missing_token""#))
        }
    }

    @Test func serveRefusesABadDeskSetting() throws {
        let result = try cli.run([
            "serve", "--store", "memory", "--port", "0", "--public-url", Self.publicURL, "--auth-token", Self.token, "--jwt-secret", "s",
            "--park-timeout-seconds", "1",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("SWITCHBOARD_PARK_TIMEOUT_SECONDS 1 is outside 10 to 86400"))
    }

    /// Starts `switchboard serve` with `arguments` on a port the system picks (`--port 0 --port-file`),
    /// waits until a signed call gets an answer, runs `body` with the port and that first reply, then
    /// stops the server with SIGTERM and expects a clean exit.
    /// The public URL servers started by ``withServer(_:_:)`` sign with: the port is chosen only when they
    /// listen, so it cannot be part of the default.
    static let publicURL = "https://switchboard.test"

    @Test func portZeroWithoutAPublicURLIsRefused() throws {
        let result = try cli.run(["serve", "--store", "memory", "--port", "0", "--auth-token", "t"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("port 0 needs --public-url"), "\(result.stderr)")
    }

    func withServer(_ arguments: [String], _ body: (Int, CommandLineTests.Run) async throws -> Void) async throws {
        let portFile = PortFile()
        defer { portFile.remove() }
        let server = Process()
        server.executableURL = CommandLineTests.binary
        server.arguments =
            ["serve", "--port", "0", "--port-file", portFile.url.path, "--public-url", Self.publicURL, "--auth-token", Self.token] + arguments
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let port = try await portFile.port(of: server)
        let simulate = ["simulate", "voice", "--server", "http://127.0.0.1:\(port)", "--public-url", Self.publicURL, "--auth-token", Self.token]
        var reply = try cli.run(simulate)
        for _ in 0..<50 where reply.status != 0 {
            try await Task.sleep(for: .milliseconds(100))
            reply = try cli.run(simulate)
        }
        try await body(port, reply)
        server.terminate()
        // Waited for without blocking a thread of the cooperative pool: a server whose store is locked
        // may take seconds to stop, and other tests need the pool meanwhile.
        while server.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(server.terminationStatus == 0, "serve should exit cleanly on SIGTERM")
    }
}
