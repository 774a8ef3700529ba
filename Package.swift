// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "tacit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TacitMLS", targets: ["TacitMLS"]),
        .library(name: "TacitWire", targets: ["TacitWire"]),
        .library(name: "TacitStore", targets: ["TacitStore"]),
        .library(name: "TacitServer", targets: ["TacitServer"]),
        .library(name: "TacitClient", targets: ["TacitClient"]),
        .executable(name: "tacit", targets: ["tacit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
                 traits: ["JSON", "CommandLineArguments"]),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // RFC 9420 in pure Swift: no I/O, only swift-crypto.
        .target(
            name: "TacitMLS",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // Runs the MLS working group's interop test vectors (used by `tacit conformance` and the tests).
        .target(
            name: "TacitConformance",
            dependencies: ["TacitMLS"],
            swiftSettings: strict
        ),
        // The client–server protocol (generated from proto/tacit.proto) and frame helpers.
        .target(
            name: "TacitWire",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strict
        ),
        // Storage protocol and its SQLite and PostgreSQL implementations.
        .target(
            name: "TacitStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TacitServer",
            dependencies: [
                "TacitWire", "TacitStore", "TacitMLS",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // The cluster link (LISTEN/NOTIFY) runs on a connection of its own, outside the store.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // Blob uploads are written to disk straight from the request's ByteBuffers.
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TacitClient",
            dependencies: [
                "TacitWire", "TacitMLS",
                .product(name: "Crypto", package: "swift-crypto"),
                // KDF.Scrypt for local stores sealed with a passphrase.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // The blob service client (Media/): streamed HTTP/1.1 over TCP or TLS.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tacit",
            dependencies: [
                "TacitMLS", "TacitConformance", "TacitServer", "TacitClient", "TacitStore", "TacitWire", "TacitBench",
                "TacitTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The server load generator behind `tacit bench`: real sockets, real device authentication.
        .target(
            name: "TacitBench",
            dependencies: [
                "TacitWire", "TacitClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        // ordo-one/benchmark suites: `swift package benchmark --target TacitMLSBenchmarks`.
        .executableTarget(
            name: "TacitMLSBenchmarks",
            dependencies: ["TacitMLS", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/TacitMLSBenchmarks",
            swiftSettings: strict,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `swift package benchmark --target TacitServerBenchmarks`: frame coding and the store's group commit.
        .executableTarget(
            name: "TacitServerBenchmarks",
            dependencies: ["TacitWire", "TacitStore", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/TacitServerBenchmarks",
            swiftSettings: strict,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .testTarget(
            name: "TacitMLSTests",
            dependencies: ["TacitMLS", "TacitConformance", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(name: "TacitWireTests", dependencies: ["TacitWire"], swiftSettings: strict),
        // The chat screen of `tacit chat` as pure values: layout, key decoding, frame output.
        .target(name: "TacitTerminal", swiftSettings: strict),
        .testTarget(name: "TacitTerminalTests", dependencies: ["TacitTerminal"], swiftSettings: strict),
        .testTarget(
            name: "TacitBenchTests",
            dependencies: [
                "TacitBench", "TacitServer", "TacitStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TacitStoreTests",
            dependencies: ["TacitStore", .product(name: "Logging", package: "swift-log"),
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TacitServerTests",
            dependencies: [
                "TacitServer", "TacitStore", "TacitWire", "TacitMLS",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TacitClientTests",
            dependencies: [
                "TacitClient", "TacitServer", "TacitStore", "TacitWire", "TacitMLS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Media tests run the blob service on its own router.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // Several server nodes on one PostgreSQL: real `tacit server` processes, nginx, fault tests.
        .testTarget(
            name: "ClusterTests",
            dependencies: [
                "TacitTestSupport",
                "TacitClient", "TacitServer", "TacitStore", "TacitWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Helpers several test targets share (child processes and their exits).
        .target(name: "TacitTestSupport", path: "Tests/TacitTestSupport", swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TacitTestSupport",
                "TacitClient", "TacitServer", "TacitStore", "TacitWire", "TacitMLS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
    ]
)
