import Metrics

/// The store operations that are timed, as they appear in the `operation` dimension.
enum StoreOperation: String, CaseIterable, Sendable {
    case createAccount = "create_account"
    case device
    case activeDevices = "active_devices"
    case deviceList = "device_list"
    case addDevice = "add_device"
    case revokeDevice = "revoke_device"
    case createLinkCode = "create_link_code"
    case claimLinkCode = "claim_link_code"
    case linkCode = "link_code"
    case deleteLinkCode = "delete_link_code"
    case publishKeyPackages = "publish_key_packages"
    case keyPackageInventory = "key_package_inventory"
    case claimKeyPackages = "claim_key_packages"
    case enqueue
    case pending
    case acknowledge
    case expire
    case queueDepth = "queue_depth"
    /// One group-commit transaction (many enqueues and acks).
    case commitBatch = "commit_batch"
    /// Statistics and other introspection.
    case diagnostics
}

/// The store's metrics, made through the swift-metrics API so whichever backend the
/// process bootstrapped (Prometheus in the server) receives them.
///
/// - `tacit_store_seconds{operation=…}`: how long each operation took, as its caller saw it.
/// - `tacit_store_batch_size`: how many writes one group-commit transaction carried.
struct StoreMetrics: Sendable {
    private let timers: [StoreOperation: Timer]
    private let batchSize: Recorder

    /// Metric objects bind to a factory when created, so make them after the process has
    /// bootstrapped its metrics backend (the store does so when it opens).
    init(factory: any MetricsFactory) {
        var timers: [StoreOperation: Timer] = [:]
        for operation in StoreOperation.allCases {
            timers[operation] = Timer(label: "tacit_store_seconds",
                                      dimensions: [("operation", operation.rawValue)],
                                      factory: factory)
        }
        self.timers = timers
        self.batchSize = Recorder(label: "tacit_store_batch_size", factory: factory)
    }

    func record(_ operation: StoreOperation, since start: ContinuousClock.Instant) {
        timers[operation]?.record(duration: ContinuousClock.now - start)
    }

    func recordBatch(size: Int) {
        batchSize.record(size)
    }
}
