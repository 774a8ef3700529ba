import Configuration
import Foundation
import TacitServer

/// Turns flags, `TACIT_*` environment variables and an optional JSON file into a
/// ``ServerConfiguration``, in that order of precedence. Every default comes from
/// `ServerConfiguration()` itself, so there is one source of truth for them.
///
/// | key (JSON)                | environment                    | flag               |
/// |---------------------------|--------------------------------|--------------------|
/// | `host`                    | `TACIT_HOST`                   | `--host`           |
/// | `port`                    | `TACIT_PORT`                   | `--port`           |
/// | `dataDir`                 | `TACIT_DATA_DIR`               | `--data-dir`       |
/// | `tlsCert`, `tlsKey`       | `TACIT_TLS_CERT`, `TACIT_TLS_KEY` | `--tls-cert`, `--tls-key` |
/// | `queueExpirySeconds`      | `TACIT_QUEUE_EXPIRY_SECONDS`   | `--queue-expiry`   |
/// | `maxEnvelopeBytes`        | `TACIT_MAX_ENVELOPE_BYTES`     | `--max-envelope-bytes` |
/// | `linkCodeLifetimeSeconds` | `TACIT_LINK_CODE_LIFETIME_SECONDS` | `--link-code-lifetime` |
/// | `maintenanceIntervalSeconds` | `TACIT_MAINTENANCE_INTERVAL_SECONDS` | `--maintenance-interval` |
/// | `logLevel`                | `TACIT_LOG_LEVEL`              | `--log-level`      |
/// | `databaseUrl`             | `TACIT_DATABASE_URL`           | `--database-url`   |
/// | `databasePoolSize`        | `TACIT_DATABASE_POOL_SIZE`     | `--database-pool-size` |
/// | `databaseConnectTimeoutSeconds` | `TACIT_DATABASE_CONNECT_TIMEOUT_SECONDS` | `--database-connect-timeout` |
/// | `databaseTimeoutSeconds`  | `TACIT_DATABASE_TIMEOUT_SECONDS` | `--database-timeout` |
/// | `nodeId`                  | `TACIT_NODE_ID`                | `--node-id`        |
/// | `catchUpIntervalSeconds`  | `TACIT_CATCH_UP_INTERVAL_SECONDS` | `--catch-up-interval` |
/// | `rateLimitPerSecond`      | `TACIT_RATE_LIMIT_PER_SECOND`  | `--rate-limit`     |
/// | `rateLimitBurst`          | `TACIT_RATE_LIMIT_BURST`       | `--rate-limit-burst` |
/// | `keepaliveSeconds`        | `TACIT_KEEPALIVE_SECONDS`      | `--keepalive`      |
///
/// Without a database URL the server uses embedded SQLite in the data directory.
/// The JSON file is named by `--config` or `TACIT_CONFIG`.
struct ServerSettings {
    /// Values given as flags; nil when absent.
    struct Flags {
        var host: String?
        var port: Int?
        var dataDir: String?
        var tlsCert: String?
        var tlsKey: String?
        var queueExpirySeconds: Double?
        var maxEnvelopeBytes: Int?
        var linkCodeLifetimeSeconds: Double?
        var maintenanceIntervalSeconds: Double?
        var logLevel: String?
        var databaseURL: String?
        var databasePoolSize: Int?
        var databaseConnectTimeoutSeconds: Double?
        var databaseTimeoutSeconds: Double?
        var nodeID: String?
        var catchUpIntervalSeconds: Double?
        var rateLimitPerSecond: Double?
        var rateLimitBurst: Double?
        var keepaliveSeconds: Double?
    }

    var configuration: ServerConfiguration
    var logLevel: String

    enum Problem: Error, CustomStringConvertible {
        case tlsNeedsBoth
        case invalid(String)

        var description: String {
            switch self {
            case .tlsNeedsBoth: "TLS needs both a certificate (--tls-cert) and a key (--tls-key)"
            case .invalid(let what): what
            }
        }
    }

    static func resolve(flags: Flags, configFile: String?,
                        environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> ServerSettings {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flags.values),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "tacit"),
        ]
        if let path = configFile ?? environment["TACIT_CONFIG"] {
            // FileProvider reads its path from a reader, which spares a SystemPackage import.
            let pathReader = ConfigReader(provider: InMemoryProvider(values: ["filePath": ConfigValue(.string(path), isSecret: false)]))
            do {
                providers.append(try await FileProvider<JSONSnapshot>(config: pathReader))
            } catch {
                throw Problem.invalid("cannot read the configuration file \(path): \(error.localizedDescription)")
            }
        }
        let reader = ConfigReader(providers: providers)
        let defaults = ServerConfiguration()
        var configuration = defaults
        configuration.host = try await reader.fetchString(forKey: "host", default: defaults.host)
        configuration.port = try await reader.fetchInt(forKey: "port", default: defaults.port)
        configuration.dataDirectory = try await reader.fetchString(forKey: "dataDir", default: defaults.dataDirectory)
        configuration.queueExpiry = .seconds(try await reader.fetchDouble(forKey: "queueExpirySeconds",
                                                           default: defaults.queueExpiry.secondsValue))
        configuration.maxEnvelopeBytes = try await reader.fetchInt(forKey: "maxEnvelopeBytes", default: defaults.maxEnvelopeBytes)
        configuration.linkCodeLifetime = .seconds(try await reader.fetchDouble(forKey: "linkCodeLifetimeSeconds",
                                                                default: defaults.linkCodeLifetime.secondsValue))
        configuration.maintenanceInterval = .seconds(try await reader.fetchDouble(forKey: "maintenanceIntervalSeconds",
                                                                   default: defaults.maintenanceInterval.secondsValue))
        let tlsCert = try await reader.fetchString(forKey: "tlsCert")
        let tlsKey = try await reader.fetchString(forKey: "tlsKey")
        switch (tlsCert, tlsKey) {
        case (nil, nil): configuration.tls = nil
        case (let cert?, let key?): configuration.tls = .init(certificateChainPath: cert, privateKeyPath: key)
        default: throw Problem.tlsNeedsBoth
        }
        guard (0...65535).contains(configuration.port) else { throw Problem.invalid("the port must be 0...65535") }
        guard configuration.queueExpiry > .zero else { throw Problem.invalid("the queue expiry must be positive") }
        guard configuration.maxEnvelopeBytes > 0 else { throw Problem.invalid("the envelope limit must be positive") }
        try await resolveCluster(reader, into: &configuration, defaults: defaults)
        try await resolveLimits(reader, into: &configuration, defaults: defaults)
        let logLevel = try await reader.fetchString(forKey: "logLevel", default: "info")
        return ServerSettings(configuration: configuration, logLevel: logLevel)
    }
}

extension ServerSettings.Flags {
    /// The flags that were given, keyed like the other sources.
    var values: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        func put(_ key: String, _ content: ConfigContent?) {
            if let content { values[AbsoluteConfigKey([key])] = ConfigValue(content, isSecret: false) }
        }
        put("host", host.map { .string($0) })
        put("port", port.map { .int($0) })
        put("dataDir", dataDir.map { .string($0) })
        put("tlsCert", tlsCert.map { .string($0) })
        put("tlsKey", tlsKey.map { .string($0) })
        put("queueExpirySeconds", queueExpirySeconds.map { .double($0) })
        put("maxEnvelopeBytes", maxEnvelopeBytes.map { .int($0) })
        put("linkCodeLifetimeSeconds", linkCodeLifetimeSeconds.map { .double($0) })
        put("maintenanceIntervalSeconds", maintenanceIntervalSeconds.map { .double($0) })
        put("logLevel", logLevel.map { .string($0) })
        if let databaseURL {
            values[AbsoluteConfigKey(["databaseUrl"])] = ConfigValue(.string(databaseURL), isSecret: true)
        }
        put("databasePoolSize", databasePoolSize.map { .int($0) })
        put("databaseConnectTimeoutSeconds", databaseConnectTimeoutSeconds.map { .double($0) })
        put("databaseTimeoutSeconds", databaseTimeoutSeconds.map { .double($0) })
        put("nodeId", nodeID.map { .string($0) })
        put("catchUpIntervalSeconds", catchUpIntervalSeconds.map { .double($0) })
        put("rateLimitPerSecond", rateLimitPerSecond.map { .double($0) })
        put("rateLimitBurst", rateLimitBurst.map { .double($0) })
        put("keepaliveSeconds", keepaliveSeconds.map { .double($0) })
        return values
    }
}

extension Duration {
    var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
