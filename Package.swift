// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["SwitchboardCLI"]),
        .library(name: "SwitchboardTwiML", targets: ["SwitchboardTwiML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Pure layers: no server, database or network imports.
        // TwiML: typed model, writer, element trees, rules. Depends on nothing.
        .target(name: "SwitchboardTwiML", swiftSettings: swiftSettings),
        // Domain types and the store protocol, with the in-memory store.
        .target(name: "SwitchboardCore", swiftSettings: swiftSettings),
        // Twilio webhooks: form bodies, typed callbacks, signature validation.
        .target(
            name: "SwitchboardWebhooks",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Routing decisions and the TwiML the voice routes answer.
        .target(
            name: "SwitchboardRouting",
            dependencies: ["SwitchboardCore", "SwitchboardTwiML", "SwitchboardWebhooks"],
            swiftSettings: swiftSettings
        ),

        // The agents' dashboard rules: token claims to identity, provisioning, API errors, ring and
        // presence decisions, and the desk's configuration.
        .target(name: "SwitchboardDesk", dependencies: ["SwitchboardCore"], swiftSettings: swiftSettings),

        // The voice routes' logic over any store: what the server and `render-call` both run.
        .target(
            name: "SwitchboardVoice",
            dependencies: [
                "SwitchboardCore", "SwitchboardRouting", "SwitchboardWebhooks", "SwitchboardTwiML",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // I/O layers.
        // TwiML XML reader: libxml2 through FoundationXML, into element trees with positions.
        .target(name: "SwitchboardTwiMLReader", dependencies: ["SwitchboardTwiML"], swiftSettings: swiftSettings),
        // The embedded store: SQLite through sqlite-nio. SQLite enters only here.
        .target(
            name: "SwitchboardSQLite",
            dependencies: [
                "SwitchboardCore", .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // libcurl, with typed wrappers for its variadic calls (`apt install libcurl4-openssl-dev`).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // HTTP requests, responses and the transport seam, with no I/O.
        .target(name: "SwitchboardHTTP", swiftSettings: swiftSettings),
        // The HTTP transport on libcurl. libcurl enters only here.
        .target(
            name: "SwitchboardCurl",
            dependencies: [
                "CCurl", "SwitchboardHTTP",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Twilio's REST API (redirecting a live call) over any HTTP transport.
        .target(name: "SwitchboardTwilioREST", dependencies: ["SwitchboardHTTP"], swiftSettings: swiftSettings),
        // The Supabase store: PostgREST over any HTTP transport.
        .target(
            name: "SwitchboardPostgREST",
            dependencies: ["SwitchboardCore", "SwitchboardHTTP", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The HTTP server: Hummingbird enters only here.
        .target(
            name: "SwitchboardApp",
            dependencies: [
                "SwitchboardCore", "SwitchboardRouting", "SwitchboardVoice", "SwitchboardWebhooks", "SwitchboardTwiML",
                "SwitchboardDesk", "SwitchboardHTTP", "SwitchboardTwilioREST",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `switchboard` subcommands as a library, so tests run them in process.
        .target(
            name: "SwitchboardCommands",
            dependencies: [
                "SwitchboardTwiML",
                "SwitchboardTwiMLReader",
                "SwitchboardCore",
                "SwitchboardRouting",
                "SwitchboardVoice",
                "SwitchboardWebhooks",
                "SwitchboardApp",
                "SwitchboardSQLite",
                "SwitchboardHTTP",
                "SwitchboardCurl",
                "SwitchboardPostgREST",
                "SwitchboardDesk",
                "SwitchboardTwilioREST",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "SwitchboardCLI", dependencies: ["SwitchboardCommands"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "SwitchboardBenchmarks",
            dependencies: [
                "SwitchboardTwiML", "SwitchboardWebhooks", "SwitchboardCore", "SwitchboardSQLite", "SwitchboardPostgREST", "SwitchboardCurl",
                "SwitchboardApp", "SwitchboardRouting",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // Helpers shared by the test targets (golden files); never linked into the product.
        .target(
            name: "SwitchboardTestSupport",
            dependencies: [
                "SwitchboardCurl", "SwitchboardHTTP", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "SwitchboardTwiMLTests",
            dependencies: ["SwitchboardTwiML", "SwitchboardTwiMLReader"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardWebhooksTests",
            dependencies: ["SwitchboardWebhooks", "SwitchboardTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SwitchboardRoutingTests", dependencies: ["SwitchboardRouting"], swiftSettings: swiftSettings),
        .testTarget(name: "SwitchboardHTTPTests", dependencies: ["SwitchboardHTTP"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardVoiceTests",
            dependencies: ["SwitchboardVoice", "SwitchboardTwiMLReader", "SwitchboardTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SwitchboardDeskTests", dependencies: ["SwitchboardDesk", "SwitchboardCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardTwilioRESTTests",
            dependencies: ["SwitchboardTwilioREST", "SwitchboardHTTP", "SwitchboardCurl"],
            swiftSettings: swiftSettings
        ),
        // The agents' API over real stores, in process and over loopback.
        .testTarget(
            name: "SwitchboardAPITests",
            dependencies: [
                "SwitchboardApp", "SwitchboardCore", "SwitchboardDesk", "SwitchboardSQLite", "SwitchboardPostgREST", "SwitchboardCurl",
                "SwitchboardHTTP", "SwitchboardTwilioREST", "SwitchboardWebhooks", "SwitchboardRouting", "SwitchboardTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardAppTests",
            dependencies: [
                "SwitchboardApp", "SwitchboardCore", "SwitchboardSQLite", "SwitchboardVoice", "SwitchboardWebhooks",
                "SwitchboardTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardStoreTests",
            dependencies: [
                "SwitchboardCore", "SwitchboardSQLite", "SwitchboardPostgREST", "SwitchboardCurl", "SwitchboardHTTP", "SwitchboardTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardPostgRESTTests",
            dependencies: [
                "SwitchboardPostgREST", "SwitchboardHTTP", "SwitchboardCore", "SwitchboardTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardCurlTests",
            dependencies: [
                "SwitchboardCurl", "SwitchboardHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchboardCommandsTests",
            dependencies: [
                "SwitchboardCommands", "SwitchboardCLI", "SwitchboardTwiML", "SwitchboardTwiMLReader", "SwitchboardTestSupport",
                "SwitchboardCore", "SwitchboardCurl", "SwitchboardHTTP", "SwitchboardPostgREST", "SwitchboardWebhooks", "SwitchboardVoice",
                "SwitchboardSQLite", .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
