import NIOCore
import PostgresNIO

/// Turns a ``PostgresStore/Configuration`` into postgres-nio's settings for the pool and
/// for the single connection that migrates the schema at start-up.
enum PostgresConnectionSettings {
    /// Session settings sent when each connection starts (no extra round trip).
    ///
    /// `synchronous_commit = off` on the server would let COMMIT return before the commit
    /// record is on disk, breaking "acknowledged means durable"; the store only raises it to
    /// `on` when the server's default is `off`, so stricter replication settings stay.
    static func startupParameters(synchronousCommitOff: Bool) -> [(String, String)] {
        var parameters = [("application_name", "tacit")]
        if synchronousCommitOff { parameters.append(("synchronous_commit", "on")) }
        return parameters
    }

    static func client(_ configuration: PostgresStore.Configuration,
                       synchronousCommitOff: Bool) -> PostgresClient.Configuration {
        let endpoint = configuration.endpoint
        let tls: PostgresClient.Configuration.TLS = switch endpoint.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var client = PostgresClient.Configuration(host: endpoint.host, port: endpoint.port,
                                                  username: endpoint.username, password: endpoint.password,
                                                  database: endpoint.database, tls: tls)
        client.options.connectTimeout = configuration.connectTimeout
        client.options.maximumConnections = max(1, configuration.poolSize)
        client.options.minimumConnections = 0
        client.options.additionalStartupParameters = startupParameters(synchronousCommitOff: synchronousCommitOff)
        return client
    }

    static func connection(_ configuration: PostgresStore.Configuration) throws -> PostgresConnection.Configuration {
        let endpoint = configuration.endpoint
        let tls: PostgresConnection.Configuration.TLS = switch endpoint.tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var connection = PostgresConnection.Configuration(host: endpoint.host, port: endpoint.port,
                                                          username: endpoint.username, password: endpoint.password,
                                                          database: endpoint.database, tls: tls)
        connection.options.connectTimeout = timeAmount(configuration.connectTimeout)
        connection.options.additionalStartupParameters = startupParameters(synchronousCommitOff: false)
        return connection
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        // Clamped to a day, far beyond any sensible timeout, so the nanoseconds cannot overflow.
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(min(max(seconds, 0), 86_400) * 1_000_000_000 + max(attoseconds, 0) / 1_000_000_000)
    }
}
