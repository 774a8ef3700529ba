/// What a `FramedContent` carries (RFC 9420, Section 6).
///
/// ```
/// enum { reserved(0), application(1), proposal(2), commit(3), (255) } ContentType;
/// ```
public enum ContentType: UInt8, Hashable, Sendable, MLSCodable {
    /// Application data.
    case application = 1
    /// A Proposal.
    case proposal = 2
    /// A Commit.
    case commit = 3

    /// The sender ratchet that protects this content in a `PrivateMessage` (Section 9).
    public var ratchetType: RatchetType { self == .application ? .application : .handshake }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(rawValue) }

    public init(from decoder: inout MLSDecoder) throws {
        let raw = try decoder.readUInt8()
        guard let value = ContentType(rawValue: raw) else {
            throw MLSCodingError.unknownEnumValue(type: "ContentType", value: UInt64(raw))
        }
        self = value
    }
}
