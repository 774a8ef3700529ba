/// Who sent a `FramedContent` (RFC 9420, Section 6).
///
/// ```
/// struct {
///     SenderType sender_type;   // member(1), external(2), new_member_proposal(3), new_member_commit(4)
///     select (Sender.sender_type) {
///         case member:   uint32 leaf_index;
///         case external: uint32 sender_index;
///         case new_member_commit:
///         case new_member_proposal: struct{};
///     };
/// } Sender;
/// ```
public enum Sender: Hashable, Sendable, MLSCodable {
    /// A member, by its leaf in the ratchet tree.
    case member(LeafIndex)
    /// An external sender, by its index in the `external_senders` extension.
    case external(senderIndex: UInt32)
    /// A non-member proposing its own Add.
    case newMemberProposal
    /// A non-member joining by external Commit.
    case newMemberCommit

    /// Whether `FramedContentTBS` includes the GroupContext for this sender (Section 6.1).
    public var signsGroupContext: Bool {
        switch self {
        case .member, .newMemberCommit: true
        case .external, .newMemberProposal: false
        }
    }

    public func encode(to encoder: inout MLSEncoder) {
        switch self {
        case .member(let leaf):
            encoder.write(UInt8(1))
            encoder.write(leaf)
        case .external(let index):
            encoder.write(UInt8(2))
            encoder.write(index)
        case .newMemberProposal:
            encoder.write(UInt8(3))
        case .newMemberCommit:
            encoder.write(UInt8(4))
        }
    }

    public init(from decoder: inout MLSDecoder) throws {
        switch try decoder.readUInt8() {
        case 1: self = .member(try decoder.read())
        case 2: self = .external(senderIndex: try decoder.readUInt32())
        case 3: self = .newMemberProposal
        case 4: self = .newMemberCommit
        case let other: throw MLSCodingError.unknownEnumValue(type: "SenderType", value: UInt64(other))
        }
    }
}
