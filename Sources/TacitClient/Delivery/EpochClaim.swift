/// The claim that makes a send a group's one commit of an epoch.
///
/// The server keeps, per group id, only the current epoch and the SHA-256 of its epoch
/// token. A send carrying a claim is stored only if ``epoch`` is the group's current epoch
/// and ``epochToken`` hashes to the stored hash (or, for a group the server does not know
/// yet, if ``epoch`` is 0); the group then moves to `epoch + 1` with ``nextTokenHash``.
/// Of several commits racing for one epoch exactly one wins; the others fail with
/// ``ServerError/Code/staleEpoch(current:)``, and a wrong token with
/// ``ServerError/Code/forbidden``.
public struct EpochClaim: Sendable, Equatable {
    /// The MLS group id (1 to 255 bytes).
    public var groupID: [UInt8]
    /// The epoch the commit was made in.
    public var epoch: UInt64
    /// The secret token of ``epoch``, known only to its members (derived from the epoch's
    /// MLS exporter secret). Ignored by the server when it creates the group at epoch 0.
    public var epochToken: [UInt8]
    /// SHA-256 of the token of epoch `epoch + 1` (32 bytes).
    public var nextTokenHash: [UInt8]

    /// A claim to advance `groupID` from `epoch`, proven by `epochToken`.
    public init(groupID: [UInt8], epoch: UInt64, epochToken: [UInt8], nextTokenHash: [UInt8]) {
        self.groupID = groupID
        self.epoch = epoch
        self.epochToken = epochToken
        self.nextTokenHash = nextTokenHash
    }
}
