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
    ],
    targets: [
        // Pure TwiML: typed model, writer, element trees, rules. Depends on nothing.
        .target(name: "SwitchboardTwiML", swiftSettings: swiftSettings),
        // TwiML XML reader: libxml2 through FoundationXML, into element trees with positions.
        .target(name: "SwitchboardTwiMLReader", dependencies: ["SwitchboardTwiML"], swiftSettings: swiftSettings),
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
            dependencies: ["SwitchboardTwiML"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SwitchboardTwiMLTests", dependencies: ["SwitchboardTwiML", "SwitchboardTwiMLReader"], swiftSettings: swiftSettings),
        .testTarget(name: "SwitchboardCommandsTests", dependencies: ["SwitchboardCommands"], swiftSettings: swiftSettings),
    ]
)
