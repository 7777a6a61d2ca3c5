// swift-tools-version: 6.1
import PackageDescription

// Parts as in DESIGN.md; dependencies point inward. GatehouseCore does no I/O.
let package = Package(
    name: "gatehouse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .executable(name: "gatehouse-bench", targets: ["GatehouseBench"]),
        .executable(name: "gatehouse-ingest", targets: ["GatehouseIngest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "GatehouseCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "GatehouseConfig",
            dependencies: ["GatehouseCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "GatehouseStore",
            dependencies: ["GatehouseCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "GatehousePostgres",
            dependencies: [
                "GatehouseCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "GatehouseTransports",
            dependencies: [
                "GatehouseCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The whatsmeow bridge's messages.db, read-only, as an inbound source.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "GatehouseService",
            dependencies: [
                "GatehouseCore", "GatehouseConfig", "GatehouseStore", "GatehousePostgres", "GatehouseTransports",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "GatehouseMCP",
            dependencies: ["GatehouseService", .product(name: "MCP", package: "swift-sdk")]
        ),
        .executableTarget(
            name: "gatehouse",
            dependencies: [
                "GatehouseMCP", "GatehouseService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "GatehouseBench",
            dependencies: [
                "GatehouseCore", "GatehouseService", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // The inbound process: no MCP, no tools (docs/inbound.md).
        .executableTarget(
            name: "GatehouseIngest",
            dependencies: [
                "GatehouseService", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Test support shared by the test targets, as NIOTestUtils is for NIO's.
        .target(name: "GatehouseTesting", dependencies: []),
        .testTarget(
            name: "GatehouseCoreTests",
            dependencies: ["GatehouseCore", "GatehouseTesting", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Fixtures"]),
        .testTarget(name: "GatehouseConfigTests", dependencies: ["GatehouseConfig", "GatehouseTesting"]),
        .testTarget(
            name: "GatehouseStoreTests",
            dependencies: [
                "GatehouseStore", "GatehousePostgres", "GatehouseTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        .testTarget(name: "GatehouseServiceTests", dependencies: ["GatehouseService"]),
        .testTarget(name: "GatehouseMCPTests", dependencies: ["GatehouseMCP", .product(name: "MCP", package: "swift-sdk")]),
    ]
)
