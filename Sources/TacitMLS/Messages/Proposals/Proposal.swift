/// A proposed change to the group, tagged by its type (RFC 9420, Section 12.1).
///
/// ```
/// struct {
///     ProposalType proposal_type;
///     select (Proposal.proposal_type) {
///         case add: Add;  case update: Update;  case remove: Remove;  case psk: PreSharedKey;
///         case reinit: ReInit;  case external_init: ExternalInit;
///         case group_context_extensions: GroupContextExtensions;
///     };
/// } Proposal;
/// ```
///
/// A proposal of an unknown type cannot be decoded (its body has no length prefix) and
/// fails with ``MLSCodingError/unknownEnumValue(type:value:)``.
public enum Proposal: Hashable, Sendable, MLSCodable {
    case add(AddProposal)
    case update(UpdateProposal)
    case remove(RemoveProposal)
    case preSharedKey(PreSharedKeyProposal)
    case reInit(ReInitProposal)
    case externalInit(ExternalInitProposal)
    case groupContextExtensions(GroupContextExtensionsProposal)

    /// The proposal's type.
    public var type: ProposalType {
        switch self {
        case .add: .add
        case .update: .update
        case .remove: .remove
        case .preSharedKey: .psk
        case .reInit: .reinit
        case .externalInit: .externalInit
        case .groupContextExtensions: .groupContextExtensions
        }
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(type)
        switch self {
        case .add(let body): encoder.write(body)
        case .update(let body): encoder.write(body)
        case .remove(let body): encoder.write(body)
        case .preSharedKey(let body): encoder.write(body)
        case .reInit(let body): encoder.write(body)
        case .externalInit(let body): encoder.write(body)
        case .groupContextExtensions(let body): encoder.write(body)
        }
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        let type = try decoder.read(ProposalType.self)
        switch type {
        case .add: self = .add(try decoder.read())
        case .update: self = .update(try decoder.read())
        case .remove: self = .remove(try decoder.read())
        case .psk: self = .preSharedKey(try decoder.read())
        case .reinit: self = .reInit(try decoder.read())
        case .externalInit: self = .externalInit(try decoder.read())
        case .groupContextExtensions: self = .groupContextExtensions(try decoder.read())
        default: throw MLSCodingError.unknownEnumValue(type: "ProposalType", value: UInt64(type.rawValue))
        }
    }
}
