/// The confirmation tag of a Commit: `MAC(confirmation_key, confirmed_transcript_hash)`
/// of the new epoch (RFC 9420, Section 6.1 and 8.2).
public enum ConfirmationTag {
    /// Computes the tag.
    public static func compute(suite: any CipherSuite, confirmationKey: [UInt8], confirmedTranscriptHash: [UInt8]) -> [UInt8] {
        suite.mac(key: confirmationKey, data: confirmedTranscriptHash)
    }

    /// Whether `tag` is the tag for these inputs (constant-time comparison).
    public static func verify(_ tag: [UInt8], suite: any CipherSuite, confirmationKey: [UInt8],
                              confirmedTranscriptHash: [UInt8]) -> Bool {
        suite.tagsEqual(tag, compute(suite: suite, confirmationKey: confirmationKey,
                                     confirmedTranscriptHash: confirmedTranscriptHash))
    }
}
