/// A non-blank node of the ratchet tree (RFC 9420, Section 12.4.3.3).
///
/// ```
/// enum { reserved(0), leaf(1), parent(2), (255) } NodeType;
/// struct {
///     NodeType node_type;
///     select (Node.node_type) {
///         case leaf:   LeafNode leaf_node;
///         case parent: ParentNode parent_node;
///     };
/// } Node;
/// ```
///
/// The cases are boxed so a mostly blank `[Node?]` stays small in memory.
public indirect enum Node: Hashable, Sendable, MLSCodable {
    case leaf(LeafNode)
    case parent(ParentNode)

    /// The wire value of `NodeType`.
    public var nodeType: UInt8 {
        switch self {
        case .leaf: 1
        case .parent: 2
        }
    }

    /// The node's HPKE public key.
    public var encryptionKey: HPKEPublicKey {
        switch self {
        case .leaf(let leaf): leaf.encryptionKey
        case .parent(let parent): parent.encryptionKey
        }
    }

    /// The `parent_hash` field: of a parent node, or of a `commit`-sourced leaf (else `nil`).
    public var parentHash: [UInt8]? {
        switch self {
        case .leaf(let leaf): leaf.parentHash
        case .parent(let parent): parent.parentHash
        }
    }

    /// The leaf node, if this is a leaf.
    public var leafNode: LeafNode? {
        if case .leaf(let leaf) = self { return leaf }
        return nil
    }

    /// The parent node, if this is a parent.
    public var parentNode: ParentNode? {
        if case .parent(let parent) = self { return parent }
        return nil
    }

    public func encode(to encoder: inout MLSEncoder) {
        encoder.write(nodeType)
        switch self {
        case .leaf(let leaf): encoder.write(leaf)
        case .parent(let parent): encoder.write(parent)
        }
    }

    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws {
        switch try decoder.readUInt8() {
        case 1: self = .leaf(try decoder.read())
        case 2: self = .parent(try decoder.read())
        case let other: throw MLSCodingError.unknownEnumValue(type: "NodeType", value: UInt64(other))
        }
    }
}
