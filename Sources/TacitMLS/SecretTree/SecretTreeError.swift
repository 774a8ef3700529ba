/// Why the secret tree could not give a key (RFC 9420, Section 9).
public enum SecretTreeError: Error, Equatable, Sendable {
    /// The leaf is not in the tree.
    case leafOutOfRange(LeafIndex)
    /// The key of this generation was already used and deleted (a replay, or a duplicate).
    case generationAlreadyUsed(UInt32)
    /// The generation is older than the oldest key still kept for out-of-order delivery.
    case generationTooOld(UInt32)
    /// The generation is further ahead of the ratchet than the configured window allows.
    case generationTooFarAhead(requested: UInt32, next: UInt32)
    /// Every generation of this ratchet (up to `UInt32.max`) has been used.
    case ratchetExhausted
}
