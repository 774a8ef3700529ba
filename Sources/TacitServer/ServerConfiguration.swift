import Foundation

/// Everything an operator can tune about a Tacit server, with every default in one place.
///
/// The CLI maps its flags and environment variables onto this struct; tests shorten the
/// timings. `port` may be 0 to let the system pick a free port (see ``TacitServer/boundPort()``).
public struct ServerConfiguration: Sendable, Equatable {
    /// Certificate and key files (PEM) that switch the listener to TLS.
    public struct TLSFiles: Sendable, Equatable {
        public var certificateChainPath: String
        public var privateKeyPath: String

        public init(certificateChainPath: String, privateKeyPath: String) {
            self.certificateChainPath = certificateChainPath
            self.privateKeyPath = privateKeyPath
        }
    }

    /// A token bucket: `requestsPerSecond` sustained, up to `burst` at once.
    public struct RateLimit: Sendable, Equatable {
        public var requestsPerSecond: Double
        public var burst: Double

        public init(requestsPerSecond: Double, burst: Double) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }
    }

    /// Where the server keeps accounts, devices and queues.
    public enum Database: Sendable, Equatable {
        /// Embedded SQLite at ``ServerConfiguration/databasePath``: one node, nothing to run beside it.
        case sqlite
        /// A PostgreSQL database, which any number of nodes may share.
        case postgres(PostgresSettings)
    }

    /// How to reach a PostgreSQL database.
    public struct PostgresSettings: Sendable, Equatable {
        /// `postgres://user:password@host:port/database?sslmode=…`
        public var url: String
        /// The most connections this node's pool opens (one more is used for the cluster link).
        public var poolSize: Int
        /// How long opening one connection may take.
        public var connectTimeout: Duration

        public init(url: String, poolSize: Int = 8, connectTimeout: Duration = .seconds(3)) {
            self.url = url
            self.poolSize = poolSize
            self.connectTimeout = connectTimeout
        }
    }

    /// Interface to listen on.
    public var host: String
    /// TCP port; 0 picks a free one.
    public var port: Int
    /// Where the server keeps its identity key and (by default) its database.
    public var dataDirectory: String
    /// Queued messages older than this are deleted even if never acknowledged.
    public var queueExpiry: Duration
    /// The largest message body a device may send.
    public var maxEnvelopeBytes: Int
    /// A device whose one-time KeyPackages drop below this many (through claims) is told
    /// to publish more (a `KeyPackagesLow` push).
    public var keyPackageLowStock: Int = 10
    /// The most recipient devices one send may address.
    public var maxRecipients: Int
    /// Per-connection request rate.
    public var rateLimit: RateLimit
    /// How far a device's authentication timestamp may differ from the server's clock.
    public var authTimestampSkew: Duration
    /// How long a link code stays valid.
    public var linkCodeLifetime: Duration
    /// TLS certificate and key; plain TCP when `nil` (put TLS in front, or use loopback).
    public var tls: TLSFiles?
    /// How often the server pings an idle socket (a missing pong closes it).
    public var keepaliveInterval: Duration
    /// How long a new socket may take to present its authentication.
    public var handshakeTimeout: Duration
    /// How often expired queue entries are deleted and the queue-depth gauge is refreshed.
    public var maintenanceInterval: Duration
    /// Queue entries read from the store per page when streaming a backlog.
    public var backlogPageSize: Int
    /// The store behind the server.
    public var database: Database
    /// This node's name among the nodes sharing a database (logs, cluster notifications);
    /// derived from the host name when `nil`. Letters, digits, `.`, `_`, `-`; at most 64.
    public var nodeID: String?
    /// How long a request may wait for a networked store (PostgreSQL) before it fails with
    /// a retryable `retryLater`; also bounds `/health`'s check.
    public var storeTimeout: Duration
    /// With several nodes: how long a connection that nothing woke waits before it re-reads
    /// its queue anyway, in case a wakeup from another node was lost.
    public var catchUpInterval: Duration

    public init(host: String = "127.0.0.1",
                port: Int = 8080,
                dataDirectory: String = "./tacit-data",
                queueExpiry: Duration = .seconds(30 * 24 * 60 * 60),
                maxEnvelopeBytes: Int = 1024 * 1024,
                maxRecipients: Int = 5000,
                rateLimit: RateLimit = RateLimit(requestsPerSecond: 200, burst: 400),
                authTimestampSkew: Duration = .seconds(5 * 60),
                linkCodeLifetime: Duration = .seconds(10 * 60),
                tls: TLSFiles? = nil,
                keepaliveInterval: Duration = .seconds(30),
                handshakeTimeout: Duration = .seconds(30),
                maintenanceInterval: Duration = .seconds(60),
                backlogPageSize: Int = 100,
                database: Database = .sqlite,
                nodeID: String? = nil,
                storeTimeout: Duration = .seconds(5),
                catchUpInterval: Duration = .seconds(5)) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.queueExpiry = queueExpiry
        self.maxEnvelopeBytes = maxEnvelopeBytes
        self.maxRecipients = maxRecipients
        self.rateLimit = rateLimit
        self.authTimestampSkew = authTimestampSkew
        self.linkCodeLifetime = linkCodeLifetime
        self.tls = tls
        self.keepaliveInterval = keepaliveInterval
        self.handshakeTimeout = handshakeTimeout
        self.maintenanceInterval = maintenanceInterval
        self.backlogPageSize = backlogPageSize
        self.database = database
        self.nodeID = nodeID
        self.storeTimeout = storeTimeout
        self.catchUpInterval = catchUpInterval
    }

    /// The largest WebSocket message accepted: a full envelope plus room for the frame around it.
    public var maxFrameBytes: Int { maxEnvelopeBytes + 64 * 1024 }

    /// The default path of the SQLite database inside ``dataDirectory``.
    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("tacit.sqlite") }

    /// The path of the server's identity key inside ``dataDirectory``.
    public var identityKeyPath: String { (dataDirectory as NSString).appendingPathComponent("server-identity.key") }

    /// Size (default 2 GiB per blob), quota (10 GiB per account) and lifetime (30 days) of
    /// stored attachments.
    public var blobLimits = BlobLimits()

    /// Where attachment blobs are kept: `blobs/` inside ``dataDirectory``.
    public var blobDirectoryPath: String { (dataDirectory as NSString).appendingPathComponent("blobs") }
}
