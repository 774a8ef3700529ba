extension Messenger {
    /// Tunables; the defaults suit people, bots and tests.
    public struct Options: Sendable {
        /// How long after sending a message its sender may recall it for everyone (receivers
        /// check it against the original's server time).
        public var recallWindow: Duration
        /// How many one-time KeyPackages to publish at once.
        public var keyPackageBatch: Int
        /// Publish a new batch when the server holds fewer than this many.
        public var keyPackageLowWatermark: Int
        /// The most members one Commit adds (a Commit with its Welcome must fit the server's body limit).
        public var maximumAddsPerCommit: Int
        /// The most devices one KeyPackage claim asks for.
        public var maximumClaimBatch: Int
        /// Delivery receipts are sent automatically only in conversations with at most this many accounts.
        public var receiptAccountLimit: Int
        /// How many past epochs' keys are kept for late application messages.
        public var pastEpochRetention: Int
        /// How long a Commit that lost its epoch waits for the winning Commit to arrive.
        public var catchUpTimeout: Duration
        /// How often a Commit is recomputed after losing its epoch before giving up.
        public var maximumCommitAttempts: Int
        /// How often disappearing messages are swept.
        public var sweepInterval: Duration

        public init(recallWindow: Duration = .seconds(120), keyPackageBatch: Int = 20, keyPackageLowWatermark: Int = 5,
                    maximumAddsPerCommit: Int = 50, maximumClaimBatch: Int = 100, receiptAccountLimit: Int = 32,
                    pastEpochRetention: Int = 3, catchUpTimeout: Duration = .seconds(30), maximumCommitAttempts: Int = 10,
                    sweepInterval: Duration = .seconds(1)) {
            self.recallWindow = recallWindow
            self.keyPackageBatch = max(1, keyPackageBatch)
            self.keyPackageLowWatermark = max(0, keyPackageLowWatermark)
            self.maximumAddsPerCommit = max(1, maximumAddsPerCommit)
            self.maximumClaimBatch = max(1, maximumClaimBatch)
            self.receiptAccountLimit = receiptAccountLimit
            self.pastEpochRetention = max(1, pastEpochRetention)
            self.catchUpTimeout = catchUpTimeout
            self.maximumCommitAttempts = max(1, maximumCommitAttempts)
            self.sweepInterval = sweepInterval
        }
    }
}
