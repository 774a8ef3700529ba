import Logging
import Metrics

extension PostgresStore {
    /// How a ``PostgresStore`` reaches its database, and its tuning knobs.
    public struct Configuration: Sendable {
        public var endpoint: PostgresEndpoint
        /// The most connections the store's pool opens (reads, writes and the group-commit writer).
        public var poolSize: Int
        /// How long opening one connection may take before it counts as failed.
        public var connectTimeout: Duration
        /// The most writes (enqueues and acknowledgements) one group-commit transaction carries.
        public var maxBatchSize: Int
        /// How many group-commit transactions may be in flight at once. One keeps the
        /// SQLite store's behaviour (a write waits for at most one commit before its own)
        /// and measured fastest: 50 senders to 2 devices went about 7 times faster, and 100
        /// senders to 100 devices about 4 times, than one transaction per write on 8
        /// connections (`maxBatchSize` 1, `concurrentBatches` 8).
        /// More than one trades batch size for parallel commits (across nodes that
        /// happens anyway).
        public var concurrentBatches: Int
        /// How many times in all a transaction that failed before `COMMIT` (a deadlock, a
        /// serialization failure, a lost connection) is run before the caller gets
        /// ``StoreError/unavailable(_:)``.
        public var transactionAttempts: Int
        public var metricsFactory: any MetricsFactory
        public var logger: Logger

        public init(endpoint: PostgresEndpoint,
                    poolSize: Int = 8,
                    connectTimeout: Duration = .seconds(10),
                    maxBatchSize: Int = 256,
                    concurrentBatches: Int = 1,
                    transactionAttempts: Int = 3,
                    metricsFactory: any MetricsFactory = MetricsSystem.factory,
                    logger: Logger = Logger(label: "tacit.store")) {
            self.endpoint = endpoint
            self.poolSize = poolSize
            self.connectTimeout = connectTimeout
            self.maxBatchSize = maxBatchSize
            self.concurrentBatches = concurrentBatches
            self.transactionAttempts = transactionAttempts
            self.metricsFactory = metricsFactory
            self.logger = logger
        }

        /// A configuration for the database at `url` (see ``PostgresEndpoint/init(url:)``).
        public init(url: String) throws {
            self.init(endpoint: try PostgresEndpoint(url: url))
        }
    }
}
