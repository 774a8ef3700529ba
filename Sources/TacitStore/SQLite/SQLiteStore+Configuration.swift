import Logging
import Metrics

extension SQLiteStore {
    /// How hard a commit works to survive a crash.
    public enum Durability: Sendable, Equatable {
        /// `synchronous = FULL`: every commit fsyncs the write-ahead log before it
        /// returns, so an acknowledged enqueue survives a killed process *and* a power
        /// loss or kernel panic. Group commit shares that fsync among every write of a batch.
        /// This is the default, and what ``TacitStore/enqueue(_:)``'s contract promises.
        case full
        /// `synchronous = NORMAL` in WAL mode: commits reach the OS page cache, not the
        /// disk, so they survive `kill -9` of the server but the newest ones may be lost
        /// on power loss. Only for benchmarks and throwaway deployments.
        case normal

        var pragmaValue: String {
            switch self {
            case .full: "FULL"
            case .normal: "NORMAL"
            }
        }
    }

    /// Tuning knobs of a ``SQLiteStore``; the defaults suit a server.
    public struct Configuration: Sendable {
        public var durability: Durability
        /// The most writes (enqueues and acknowledgements) one group-commit transaction carries.
        public var maxBatchSize: Int
        /// Concurrent read connections (WAL lets reads run beside the one writer).
        public var readerCount: Int
        /// How long a write waits for a lock held by another process (such as a backup).
        public var busyTimeout: Duration
        public var metricsFactory: any MetricsFactory
        public var logger: Logger

        public init(durability: Durability = .full,
                    maxBatchSize: Int = 256,
                    readerCount: Int = 4,
                    busyTimeout: Duration = .seconds(5),
                    metricsFactory: any MetricsFactory = MetricsSystem.factory,
                    logger: Logger = Logger(label: "tacit.store")) {
            self.durability = durability
            self.maxBatchSize = maxBatchSize
            self.readerCount = readerCount
            self.busyTimeout = busyTimeout
            self.metricsFactory = metricsFactory
            self.logger = logger
        }
    }
}
