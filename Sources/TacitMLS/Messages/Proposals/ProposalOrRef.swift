/// A proposal covered by a Commit, inline or by reference (RFC 9420, Section 12.4).
///
/// ```
/// enum { reserved(0), proposal(1), reference(2), (255) } ProposalOrRefType;
/// struct {
///   ProposalOrRefType type;
///   select (ProposalOrRef.type) {
///     case proposal:  Proposal proposal;
///     case reference: ProposalRef reference;
///   };
/// } ProposalOrRef;
/// ```
public enum ProposalOrRef: Hashable, Sendable, MLSCodable {
    /// A proposal sent inside the Commit itself.
    case proposal(Proposal)
    /// A proposal sent earlier, named by its reference.
    case reference(ProposalRef)

    public func encode(to encoder: inout MLSEncoder) {
        switch self {
        case .proposal(let proposal):
            encoder.write(UInt8(1))
            encoder.write(proposal)
        case .reference(let reference):
            encoder.write(UInt8(2))
            encoder.write(reference)
        }
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        switch try decoder.readUInt8() {
        case 1: self = .proposal(try decoder.read())
        case 2: self = .reference(try decoder.read())
        case let other: throw MLSCodingError.unknownEnumValue(type: "ProposalOrRefType", value: UInt64(other))
        }
    }
}
