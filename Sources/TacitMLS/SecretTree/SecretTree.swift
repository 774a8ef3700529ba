/// The per-epoch tree of secrets that feeds every sender's hash ratchets (RFC 9420, Section 9).
///
/// ```
/// tree_node_[N]_secret ─┬─ ExpandWithLabel(., "tree", "left",  Nh) = tree_node_[left(N)]_secret
///                       └─ ExpandWithLabel(., "tree", "right", Nh) = tree_node_[right(N)]_secret
/// leaf secret ─┬─ ExpandWithLabel(., "handshake",   "", Nh) = handshake_ratchet_secret_[N]_[0]
///              └─ ExpandWithLabel(., "application", "", Nh) = application_ratchet_secret_[N]_[0]
/// ```
///
/// Node secrets are derived lazily, on the way from the root to the first leaf that needs
/// them, and a node's secret is deleted once its children are derived (Section 9.2). Keys are
/// deleted once handed out. It is a value type: to try a decryption without committing to
/// it, work on a copy and keep the copy only if the message authenticates.
public struct SecretTree: Sendable, SecretRedacting {
    /// The cipher suite of the epoch.
    public let suite: any CipherSuite
    /// The number of leaves whose ratchets may be used (the ratchet tree's leaf count).
    public let leafCount: UInt32
    /// Out-of-order delivery limits.
    public let configuration: SecretTreeConfiguration

    /// The full tree the secrets are laid out in: ratchet trees always have a power-of-two
    /// number of leaves (Section 7.7), so a smaller count is rounded up.
    // Internal (not private) so the group state codec can persist and restore them.
    let shape: TreeSize
    var nodeSecrets: [NodeIndex: [UInt8]]
    var handshakeRatchets: [LeafIndex: HashRatchet] = [:]
    var applicationRatchets: [LeafIndex: HashRatchet] = [:]

    /// Creates the tree of an epoch from its `encryption_secret`.
    public init(suite: any CipherSuite, encryptionSecret: [UInt8], leafCount: UInt32,
                configuration: SecretTreeConfiguration = .default) {
        self.suite = suite
        self.configuration = configuration
        self.leafCount = leafCount
        var width: UInt32 = 1
        while width < leafCount, width <= UInt32.max / 2 { width *= 2 }
        shape = TreeSize(leafCount: width)
        nodeSecrets = [shape.root: encryptionSecret]
    }

    /// The key of the next generation of `leaf`'s ratchet, for sending a message.
    public mutating func nextKey(for leaf: LeafIndex, type: RatchetType) throws -> RatchetKey {
        try withRatchet(leaf, type) { try $0.nextKey() }
    }

    /// The key of `generation` of `leaf`'s ratchet, for a received message; it cannot be asked for again.
    ///
    /// - Throws: ``SecretTreeError/generationAlreadyUsed(_:)`` on a replay,
    ///   ``SecretTreeError/generationTooOld(_:)`` for a skipped key no longer kept,
    ///   ``SecretTreeError/generationTooFarAhead(requested:next:)`` beyond the window.
    public mutating func key(for leaf: LeafIndex, type: RatchetType, generation: UInt32) throws -> RatchetKey {
        try withRatchet(leaf, type) { try $0.key(for: generation) }
    }

    /// The generation `leaf` would send next on the `type` ratchet.
    public mutating func nextGeneration(for leaf: LeafIndex, type: RatchetType) throws -> UInt32? {
        try withRatchet(leaf, type) { $0.generation }
    }

    private mutating func withRatchet<Result>(_ leaf: LeafIndex, _ type: RatchetType,
                                              _ body: (inout HashRatchet) throws -> Result) throws -> Result {
        guard leaf.rawValue < leafCount else { throw SecretTreeError.leafOutOfRange(leaf) }
        if handshakeRatchets[leaf] == nil { try createRatchets(for: leaf) }
        switch type {
        case .handshake:
            guard var ratchet = handshakeRatchets[leaf] else { throw SecretTreeError.leafOutOfRange(leaf) }
            let result = try body(&ratchet)
            handshakeRatchets[leaf] = ratchet
            return result
        case .application:
            guard var ratchet = applicationRatchets[leaf] else { throw SecretTreeError.leafOutOfRange(leaf) }
            let result = try body(&ratchet)
            applicationRatchets[leaf] = ratchet
            return result
        }
    }

    /// Derives the secrets from the lowest stored ancestor down to `leaf`, then its two ratchets.
    private mutating func createRatchets(for leaf: LeafIndex) throws {
        let target = leaf.nodeIndex
        let path = [target] + shape.directPath(of: target)
        // Exactly one node on the path still holds a secret: the lowest one derived so far.
        guard let start = path.firstIndex(where: { nodeSecrets[$0] != nil }) else {
            throw SecretTreeError.leafOutOfRange(leaf)
        }
        var derived = nodeSecrets
        for index in stride(from: start, to: 0, by: -1) {
            let node = path[index]
            guard let secret = derived.removeValue(forKey: node), let left = node.left, let right = node.right else {
                throw SecretTreeError.leafOutOfRange(leaf)
            }
            derived[left] = try suite.expandWithLabel(secret: secret, label: "tree", context: Array("left".utf8),
                                                      length: suite.hashLength)
            derived[right] = try suite.expandWithLabel(secret: secret, label: "tree", context: Array("right".utf8),
                                                       length: suite.hashLength)
        }
        guard let leafSecret = derived.removeValue(forKey: target) else { throw SecretTreeError.leafOutOfRange(leaf) }
        let handshake = try suite.expandWithLabel(secret: leafSecret, label: "handshake", context: [], length: suite.hashLength)
        let application = try suite.expandWithLabel(secret: leafSecret, label: "application", context: [], length: suite.hashLength)
        nodeSecrets = derived
        handshakeRatchets[leaf] = HashRatchet(suite: suite, secret: handshake, configuration: configuration)
        applicationRatchets[leaf] = HashRatchet(suite: suite, secret: application, configuration: configuration)
    }

    public var description: String { "SecretTree(\(leafCount) leaves, secrets: redacted)" }
}
