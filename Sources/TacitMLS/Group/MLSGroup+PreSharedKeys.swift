extension MLSGroup {
    /// The `psk_secret` for `ids` (Section 8.4), or `nil` for none. Resumption PSKs of this
    /// group's kept epochs come from the group state, everything else from the PSK store.
    func pskSecret(for ids: [PreSharedKeyID]) throws -> [UInt8]? {
        guard !ids.isEmpty else { return nil }
        return try suite.pskSecret(ids.map { PreSharedKey(id: $0, secret: try preSharedKey($0)) })
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

    /// The `psk_secret` for a joiner, which holds no resumption PSKs of its own.
    static func pskSecret(for ids: [PreSharedKeyID], suite: any CipherSuite, store: any PreSharedKeyStore) throws -> [UInt8]? {
        guard !ids.isEmpty else { return nil }
        return try suite.pskSecret(ids.map { id in
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
