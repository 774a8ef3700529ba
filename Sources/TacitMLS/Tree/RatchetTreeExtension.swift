/// The `ratchet_tree` GroupInfo extension: the full public tree for joiners (RFC 9420, Section 12.4.3.3).
public struct RatchetTreeExtension: ExtensionPayload, Hashable, Sendable {
    /// The extension type this payload is carried under.
    public static var extensionType: ExtensionType { .ratchetTree }

    /// The group's ratchet tree.
    public var tree: RatchetTree

    /// Creates a value from its fields.
    public init(tree: RatchetTree) { self.tree = tree }

    public func encode(to encoder: inout MLSEncoder) { encoder.write(tree) }
    /// Creates a value from its fields.
    public init(from decoder: inout MLSDecoder) throws { tree = try decoder.read() }
}
