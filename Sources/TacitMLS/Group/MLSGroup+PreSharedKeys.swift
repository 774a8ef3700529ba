extension MLSGroup {
    /// The `psk_secret` for `ids` (Section 8.4), or `nil` for none. `known` (the reinit PSK,
    /// which belongs to another group) is used as given; resumption PSKs of this group's kept
    /// epochs come from the group state, everything else from the PSK store.
    func pskSecret(for ids: [PreSharedKeyID], known: PreSharedKey? = nil) throws -> [UInt8]? {
        guard !ids.isEmpty else { return nil }
        return try suite.pskSecret(ids.map { id in
            if let known, known.id == id { return known }
            return PreSharedKey(id: id, secret: try preSharedKey(id))
        })
    }

    private func preSharedKey(_ id: PreSharedKeyID) throws -> [UInt8] {
        if case .resumption(_, let pskGroupID, let pskEpoch) = id.kind, pskGroupID == groupID,
           let kept = resumptionPSKs.first(where: { $0.epoch == pskEpoch }) {
            return kept.secret
        }
        guard let secret = Self.lookUp(id, in: configuration.preSharedKeys) else {
            throw MLSGroupError.missingPreSharedKey(id)
        }
        return secret
    }

    /// The secret of `id` from `store`, or `nil`.
    static func lookUp(_ id: PreSharedKeyID, in store: any PreSharedKeyStore) -> [UInt8]? {
        switch id.kind {
        case .external(let pskID): store.externalPSK(id: pskID)
        case .resumption(_, let groupID, let epoch): store.resumptionPSK(groupID: groupID, epoch: epoch)
        }
    }

    /// The `psk_secret` for a joiner, which holds no resumption PSKs of its own (`known` is the
    /// reinit PSK a reinitialized group hands over).
    static func pskSecret(for ids: [PreSharedKeyID], suite: any CipherSuite, store: any PreSharedKeyStore,
                          known: PreSharedKey? = nil) throws -> [UInt8]? {
        guard !ids.isEmpty else { return nil }
        return try suite.pskSecret(ids.map { id in
            if let known, known.id == id { return known }
            guard let secret = lookUp(id, in: store) else { throw MLSGroupError.missingPreSharedKey(id) }
            return PreSharedKey(id: id, secret: secret)
        })
    }

    /// A fresh random PSK nonce of length `Nh`.
    func randomPSKNonce() -> [UInt8] { Self.randomBytes(suite.hashLength) }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
