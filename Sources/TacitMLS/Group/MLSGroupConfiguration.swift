/// The application's policies for a group: how credentials, times and PSKs are checked, and how
/// much old key material is kept. Not part of the serialized state; pass it again on restore.
public struct MLSGroupConfiguration: Sendable {
    /// Whether lifetimes of leaf nodes are checked.
    public enum LifetimeValidation: Hashable, Sendable {
        /// KeyPackages being added (sent or received) must be inside their lifetime now.
        case enforce
        /// Lifetimes are not checked (for replaying recorded messages such as test vectors).
        case skip
    }

    /// Decides which credentials are acceptable.
    public var credentialValidator: any CredentialValidator
    /// The time lifetimes are checked against.
    public var clock: any MLSClock
    /// Whether lifetimes are checked.
    public var lifetimeValidation: LifetimeValidation
    /// External PSKs, and resumption PSKs the group does not hold itself.
    public var preSharedKeys: any PreSharedKeyStore
    /// Out-of-order limits for the secret tree of each epoch.
    public var secretTree: SecretTreeConfiguration
    /// How many recent epochs' resumption PSKs the group keeps (the current one included).
    public var resumptionPSKRetention: Int
    /// How many past epochs' application keys are kept, so late application messages still decrypt.
    public var pastEpochRetention: Int
    /// Application messages are zero-padded to a multiple of this many bytes (0 or 1: no padding).
    public var paddingBlockSize: Int
    /// How proposals and Commits are sent: ``WireFormat/publicMessage`` or ``WireFormat/privateMessage``.
    public var handshakeWireFormat: WireFormat

    /// Creates a configuration; the defaults enforce lifetimes against the system clock and
    /// accept basic credentials.
    public init(
        credentialValidator: any CredentialValidator = BasicCredentialValidator(),
        clock: any MLSClock = SystemMLSClock(),
        lifetimeValidation: LifetimeValidation = .enforce,
        preSharedKeys: any PreSharedKeyStore = InMemoryPreSharedKeyStore(),
        secretTree: SecretTreeConfiguration = .default,
        resumptionPSKRetention: Int = 5,
        pastEpochRetention: Int = 1,
        paddingBlockSize: Int = 0,
        handshakeWireFormat: WireFormat = .publicMessage
    ) {
        self.credentialValidator = credentialValidator
        self.clock = clock
        self.lifetimeValidation = lifetimeValidation
        self.preSharedKeys = preSharedKeys
        self.secretTree = secretTree
        self.resumptionPSKRetention = max(1, resumptionPSKRetention)
        self.pastEpochRetention = max(0, pastEpochRetention)
        self.paddingBlockSize = max(0, paddingBlockSize)
        self.handshakeWireFormat = handshakeWireFormat
    }

    /// The time to check lifetimes against, or `nil` when lifetimes are skipped.
    var lifetimeCheckTime: UInt64? { lifetimeValidation == .enforce ? clock.now : nil }

    /// The number of zero bytes that pad `length` bytes of content to the block size.
    func paddingLength(for length: Int) -> Int {
        guard paddingBlockSize > 1 else { return 0 }
        let remainder = length % paddingBlockSize
        return remainder == 0 ? 0 : paddingBlockSize - remainder
    }
}
