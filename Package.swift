// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "switchboard", targets: ["SwitchboardCLI"]),
        .library(name: "SwitchboardTwiML", targets: ["SwitchboardTwiML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
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

        // I/O layers.
        // TwiML XML reader: libxml2 through FoundationXML, into element trees with positions.
        .target(name: "SwitchboardTwiMLReader", dependencies: ["SwitchboardTwiML"], swiftSettings: swiftSettings),
        // The embedded store: SQLite through sqlite-nio. SQLite enters only here.
        .target(
            name: "SwitchboardSQLite",
            dependencies: ["SwitchboardCore", .product(name: "SQLiteNIO", package: "sqlite-nio")],
            swiftSettings: swiftSettings
        ),
        // The `switchboard` subcommands as a library, so tests run them in process.
        .target(
            name: "SwitchboardCommands",
            dependencies: [
                "SwitchboardTwiML",
                "SwitchboardTwiMLReader",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "SwitchboardCLI", dependencies: ["SwitchboardCommands"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "SwitchboardBenchmarks",
            dependencies: ["SwitchboardTwiML", "SwitchboardWebhooks"],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "SwitchboardTwiMLTests",
            dependencies: ["SwitchboardTwiML", "SwitchboardTwiMLReader"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SwitchboardWebhooksTests", dependencies: ["SwitchboardWebhooks"], swiftSettings: swiftSettings),
        .testTarget(name: "SwitchboardRoutingTests", dependencies: ["SwitchboardRouting"], swiftSettings: swiftSettings),
        .testTarget(name: "SwitchboardStoreTests", dependencies: ["SwitchboardCore", "SwitchboardSQLite"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardCommandsTests",
            dependencies: ["SwitchboardCommands", "SwitchboardCLI", "SwitchboardTwiML", "SwitchboardTwiMLReader"],
            swiftSettings: swiftSettings
        ),
    ]
)
