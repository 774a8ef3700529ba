/// An MLS proposal type identifier (RFC 9420, Section 12.1 and Section 17.4).
///
/// Open-valued, because capabilities and required capabilities may list types this
/// implementation does not know. A ``Proposal`` of an unknown type cannot be decoded.
public struct ProposalType: RawRepresentable, Hashable, Sendable, MLSCodable, CustomStringConvertible {
    public var rawValue: UInt16

    /// Creates a value from its fields.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `add`
    public static let add = ProposalType(rawValue: 0x0001)
    /// `update`
    public static let update = ProposalType(rawValue: 0x0002)
    /// `remove`
    public static let remove = ProposalType(rawValue: 0x0003)
    /// `psk`
    public static let psk = ProposalType(rawValue: 0x0004)
    /// `reinit`
    public static let reinit = ProposalType(rawValue: 0x0005)
    /// `external_init`
    public static let externalInit = ProposalType(rawValue: 0x0006)
    /// `group_context_extensions`
    public static let groupContextExtensions = ProposalType(rawValue: 0x0007)

    /// Types every client supports; they must not be listed in `Capabilities.proposals` (Section 7.2).
    public static let defaults: Set<ProposalType> = [
        .add, .update, .remove, .psk, .reinit, .externalInit, .groupContextExtensions,
    ]

    /// Whether an `external` sender may propose this type (Section 12.1.8).
    public var allowedFromExternalSender: Bool {
        [.add, .remove, .psk, .reinit, .groupContextExtensions].contains(self)
    }

    /// Whether a Commit covering a proposal of this type must carry an UpdatePath (Section 17.4).
    public var requiresPath: Bool {
        [.update, .remove, .externalInit, .groupContextExtensions].contains(self)
    }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { rawValue = try decoder.readUInt16() }

    public var description: String { "ProposalType(0x\(String(rawValue, radix: 16)))" }
}
