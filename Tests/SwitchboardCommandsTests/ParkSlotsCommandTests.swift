import Foundation
import HummingbirdTesting
import SwitchboardTestSupport
import Testing

/// `switchboard park-slots prune` through the real binary against a fake Twilio over loopback: it deletes
/// the empty park slots of every page of the account's queue list, and nothing else.
@Suite struct ParkSlotsCommandTests {
    let cli = CommandLineTests()

    static let one = "park_CA000000000000000000000000000000a1"
    static let held = "park_CA000000000000000000000000000000c3"
    static let two = "park_CA000000000000000000000000000000e5"

    /// Three park slots (one with a caller), and other applications' queues, one named like a slot.
    static let queues = [
        FakeTwilio.Queue(sid: "QU000000000000000000000000000000a1", name: one),
        FakeTwilio.Queue(sid: "QU000000000000000000000000000000b2", name: "support"),
        FakeTwilio.Queue(sid: "QU000000000000000000000000000000c3", name: held, size: 1),
        FakeTwilio.Queue(sid: "QU000000000000000000000000000000d4", name: "park_lobby"),
        FakeTwilio.Queue(sid: "QU000000000000000000000000000000e5", name: two),
    ]

    /// Runs the binary off the cooperative pool, so the fake's handlers keep their threads meanwhile.
    func run(_ arguments: [String]) async throws -> CommandLineTests.Run {
        let cli = cli
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try cli.run(arguments) }) }
        }
    }

    func arguments(port: Int, _ more: [String] = []) -> [String] {
        ["park-slots", "prune", "--twilio-account-sid", FakeTwilio.accountSID, "--auth-token", FakeTwilio.authToken]
            + ["--twilio-api-base-url", "http://127.0.0.1:\(port)"] + more
    }

    @Test func deletesTheEmptyParkSlotsOfEveryPageAndNothingElse() async throws {
        let twilio = FakeTwilio(queues: Self.queues, queuesPerPage: 2)
        let result = try await twilio.application().test(.live) { fake in try await run(arguments(port: try #require(fake.port))) }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            String(decoding: result.stdout, as: UTF8.self)
                == """
                deleted: QU000000000000000000000000000000a1 \(Self.one)
                kept: QU000000000000000000000000000000c3 \(Self.held) (1 waiting)
                deleted: QU000000000000000000000000000000e5 \(Self.two)
                3 park slots of 5 queues: 2 deleted, 1 kept with a caller waiting, 0 not deleted

                """
        )
        #expect(await twilio.queues.map(\.name) == ["support", Self.held, "park_lobby"])
    }

    @Test func aDryRunDeletesNothing() async throws {
        let twilio = FakeTwilio(queues: Self.queues, queuesPerPage: 2)
        let result = try await twilio.application().test(.live) { fake in try await run(arguments(port: try #require(fake.port), ["--dry-run"])) }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            String(decoding: result.stdout, as: UTF8.self).hasSuffix(
                "3 park slots of 5 queues: 2 to delete, 1 kept with a caller waiting, 0 not deleted\n"
            )
        )
        #expect(await twilio.deleteRequests.isEmpty)
        #expect(await twilio.queues == Self.queues)
    }

    /// Wrong credentials: the list is refused, nothing is deleted, and the exit code says so.
    @Test func aRefusedListExitsOne() async throws {
        let twilio = FakeTwilio(queues: Self.queues)
        let result = try await twilio.application().test(.live) { fake in
            try await run(
                ["park-slots", "prune", "--twilio-account-sid", FakeTwilio.accountSID, "--auth-token", "wrong"]
                    + ["--twilio-api-base-url", "http://127.0.0.1:\(try #require(fake.port))"]
            )
        }
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("switchboard park-slots prune: could not list the account's queues: HTTP 401"))
        #expect(await twilio.deleteRequests.isEmpty)
    }

    @Test func noAccountIsAUsageError() async throws {
        let result = try await run(["park-slots", "prune", "--auth-token", "t"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the Twilio account SID is missing"))
    }

    /// `serve` and `park-slots prune` read the Twilio API's flags by one rule: a base URL that is not
    /// http(s) is a usage error for both. (The port file's missing directory would stop a `serve` that
    /// skipped the check with exit code 1, rather than leave it running.)
    @Test func serveAndPruneRefuseTheSameBadBaseURL() async throws {
        let serve = [
            "serve", "--dev", "--store", "memory", "--jwt-secret", "secret", "--twilio-account-sid", FakeTwilio.accountSID,
            "--twilio-api-base-url", "ftp://twilio.example.com", "--port", "0", "--public-url", "http://127.0.0.1:1",
            "--port-file", "/nonexistent-\(UUID().uuidString)/port",
        ]
        let prune = [
            "park-slots", "prune", "--twilio-account-sid", FakeTwilio.accountSID, "--auth-token", "token",
            "--twilio-api-base-url", "ftp://twilio.example.com",
        ]
        for arguments in [serve, prune] {
            let result = try await run(arguments)
            #expect(result.status == 2, "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("the Twilio API base URL ftp://twilio.example.com must start with https:// or http://"), "\(arguments[0])")
        }
    }
}
