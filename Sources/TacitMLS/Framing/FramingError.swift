/// Why protecting or unprotecting an MLS message failed (RFC 9420, Section 6).
public enum FramingError: Error, Equatable, Sendable {
    /// The message's wire format is not the one this operation handles.
    case unexpectedWireFormat(WireFormat)
    /// Application data must be sent as a PrivateMessage (Section 6.2).
    case applicationDataMustBeEncrypted
    /// Only members can send PrivateMessages (Section 6.3.2).
    case senderNotMember
    /// A member's PublicMessage lacks a membership tag, or another sender's carries one.
    case membershipTagPresence
    /// The membership tag did not verify (Section 6.2).
    case invalidMembershipTag
    /// The signature did not verify (Section 6.1).
    case invalidSignature
    /// A Commit's confirmation tag is missing or did not verify (Section 6.1).
    case invalidConfirmationTag
    /// The content is not a Commit, but the operation needs one (transcript hashes).
    case notACommit
    /// The message belongs to another group.
    case groupIDMismatch
    /// The message belongs to another epoch.
    case epochMismatch(expected: UInt64, actual: UInt64)
    /// The sender data did not decrypt (Section 6.3.2).
    case senderDataDecryptionFailed
    /// The content did not decrypt (Section 6.3.1).
    case contentDecryptionFailed
    /// A reuse guard was not 4 bytes.
    case invalidReuseGuard
    /// The padding of a PrivateMessageContent had a non-zero byte (Section 6.3.1).
    case nonZeroPadding
}
