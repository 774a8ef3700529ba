extension LeafNode {
    /// The label of leaf node signatures.
    public static let signatureLabel = "LeafNodeTBS"

    /// The encoded `LeafNodeTBS`: the content fields, then `group_id` and `leaf_index` when the
    /// source is `update` or `commit`. `group` is ignored for `key_package` leaves.
    public func toBeSigned(group: LeafNodeGroupBinding?) -> [UInt8] {
        var encoder = MLSEncoder()
        encodeContent(to: &encoder)
        if source.isGroupBound {
            encoder.writeOpaque(group?.groupID ?? [])
            encoder.write(group?.leafIndex ?? LeafIndex(0))
        }
        return encoder.bytes
    }

    /// Replaces ``signature`` with a fresh signature by `privateKey`.
    ///
    /// - Throws: ``LeafNodeError/missingGroupBinding`` for an `update`/`commit` leaf without `group`.
    public mutating func sign(suite: any CipherSuite, privateKey: [UInt8], group: LeafNodeGroupBinding?) throws {
        try sign(suite: suite, signingKey: suite.preparedSigningKey(privateKey: privateKey), group: group)
    }

    /// Replaces ``signature`` with a fresh signature by a prepared key.
    public mutating func sign(suite: any CipherSuite, signingKey: any PreparedSigningKey, group: LeafNodeGroupBinding?) throws {
        if source.isGroupBound, group == nil { throw LeafNodeError.missingGroupBinding }
        signature = try suite.signWithLabel(key: signingKey, label: Self.signatureLabel, content: toBeSigned(group: group))
    }

    /// Whether ``signature`` verifies under ``signatureKey``.
    public func verifySignature(suite: any CipherSuite, group: LeafNodeGroupBinding?) -> Bool {
        if source.isGroupBound, group == nil { return false }
        return suite.verifyWithLabel(publicKey: signatureKey, label: Self.signatureLabel,
                                     content: toBeSigned(group: group), signature: signature)
    }
}
