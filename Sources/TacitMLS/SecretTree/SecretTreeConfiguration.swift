/// Limits for out-of-order delivery in the secret tree.
///
/// Keys for skipped generations are kept so late messages still decrypt, at the price of
/// weaker forward secrecy for those keys; both limits bound that exposure and the memory used.
public struct SecretTreeConfiguration: Hashable, Sendable {
    /// How many generations past the next expected one a received message may be.
    public var maximumForwardDistance: UInt32
    /// How many keys of skipped generations one ratchet keeps; the oldest go first.
    public var maximumSkippedKeys: Int

    /// Creates a configuration.
    public init(maximumForwardDistance: UInt32 = 1000, maximumSkippedKeys: Int = 256) {
        self.maximumForwardDistance = maximumForwardDistance
        self.maximumSkippedKeys = max(0, maximumSkippedKeys)
    }

    /// 1000 generations forward, 256 skipped keys kept per ratchet.
    public static let `default` = SecretTreeConfiguration()
}
