/// How a leaf node entered the tree, with the field that depends on it (RFC 9420, Section 7.2).
///
/// ```
/// enum { reserved(0), key_package(1), update(2), commit(3), (255) } LeafNodeSource;
/// select (LeafNode.leaf_node_source) {
///     case key_package: Lifetime lifetime;
///     case update:      struct{};
///     case commit:      opaque parent_hash<V>;
/// };
/// ```
public enum LeafNodeSource: Hashable, Sendable, MLSCodable {
    /// Published in a KeyPackage; valid for `lifetime`.
    case keyPackage(Lifetime)
    /// Sent in an Update proposal.
    case update
    /// Sent in a Commit's UpdatePath; `parentHash` chains to the next node of the filtered direct path.
    case commit(parentHash: [UInt8])

    /// The source without its payload, for stating which source a context expects.
    public enum Kind: UInt8, Hashable, Sendable {
        case keyPackage = 1
        case update = 2
        case commit = 3
    }

    /// The source without its payload.
    public var kind: Kind {
        switch self {
        case .keyPackage: .keyPackage
        case .update: .update
        case .commit: .commit
        }
    }

    /// The wire value of the discriminant.
    public var rawType: UInt8 {
        switch self {
        case .keyPackage: 1
        case .update: 2
        case .commit: 3
        }
    }

    /// Whether this source binds the signature to a group (`update` and `commit`).
    public var isGroupBound: Bool {
        if case .keyPackage = self { return false }
        return true
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(rawType)
        switch self {
        case .keyPackage(let lifetime): encoder.write(lifetime)
        case .update: break
        case .commit(let parentHash): encoder.writeOpaque(parentHash)
        }
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        switch try decoder.readUInt8() {
        case 1: self = .keyPackage(try decoder.read())
        case 2: self = .update
        case 3: self = .commit(parentHash: try decoder.readOpaque())
        case let other: throw MLSCodingError.unknownEnumValue(type: "LeafNodeSource", value: UInt64(other))
        }
    }
}
