/// The serialized form of a group's whole state, for the client's store: GroupContext, tree,
/// own private keys, epoch secrets, secret tree, transcript, pending proposals and Commit,
/// resumption PSKs and kept past epochs. The encoding is deterministic (equal states give equal
/// bytes) and versioned.
///
/// The bytes hold private keys: store them as securely as the signature key itself.
extension MLSGroup {
    /// "TMLS" followed by the format version.
    private static let stateMagic: [UInt8] = Array("TMLS".utf8)
    private static let stateVersion: UInt16 = 1

    /// The encoded state (without the configuration).
    public func serializedState() -> [UInt8] {
        var encoder = MLSEncoder(capacity: 4096)
        encoder.writeRaw(Self.stateMagic)
        encoder.write(Self.stateVersion)
        switch status {
        case .active: encoder.write(UInt8(0))
        case .removed: encoder.write(UInt8(1))
        case .reinitialized(let proposal):
            encoder.write(UInt8(2))
            encoder.write(proposal)
        }
        encoder.writeOpaque(signatureKeyPair.privateKey)
        encoder.writeOpaque(signatureKeyPair.publicKey)
        current.encode(to: &encoder)
        encoder.writeVector(pendingProposals)
        encoder.write(pendingCommit != nil)
        if let pendingCommit {
            encoder.write(pendingCommit.message)
            encoder.write(pendingCommit.content)
            encoder.write(pendingCommit.staged.next != nil)
            pendingCommit.staged.next?.encode(to: &encoder)
            encoder.write(pendingCommit.staged.changes)
        }
        encoder.writeVector { inner in
            for entry in resumptionPSKs {
                inner.write(entry.epoch)
                inner.writeOpaque(entry.secret)
            }
        }
        encoder.writeVector { inner in
            for past in pastEpochs {
                inner.write(past.groupContext)
                inner.writeOpaque(past.senderDataSecret)
                past.secretTree.encodeState(to: &inner)
                inner.writeVector(past.roster.sortedMembers)
            }
        }
        return encoder.bytes
    }

    /// Restores a group from ``serializedState()``.
    ///
    /// - Throws: ``MLSGroupError/invalidSerializedState(_:)`` for bytes of another format or
    ///   version, or state that is inconsistent (for example private keys that do not match the tree).
    public init(serializedState bytes: [UInt8], configuration: MLSGroupConfiguration) throws(MLSGroupError) {
        do {
            var decoder = MLSDecoder(bytes)
            guard try decoder.readRaw(count: 4) == Self.stateMagic else { throw MLSGroupError.invalidSerializedState("not a group state") }
            let version = try decoder.readUInt16()
            guard version == Self.stateVersion else { throw MLSGroupError.invalidSerializedState("unknown version \(version)") }
            let status: Status
            switch try decoder.readUInt8() {
            case 0: status = .active
            case 1: status = .removed
            case 2: status = .reinitialized(try decoder.read())
            case let other: throw MLSGroupError.invalidSerializedState("status \(other)")
            }
            let signatureKeyPair = SignatureKeyPair(privateKey: try decoder.readOpaque(), publicKey: try decoder.readOpaque())
            // The suite comes first inside the GroupContext; peek it without consuming.
            var peek = decoder
            let suite = try Self.peekSuite(&peek)
            let current = try EpochState(decodingFrom: &decoder, suite: suite)
            self.init(configuration: configuration, suite: suite, epoch: current, signatureKeyPair: signatureKeyPair)
            self.status = status
            pendingProposals = try decoder.readVector()
            if try decoder.readBool() {
                let message = try decoder.read(MLSMessage.self)
                let content = try decoder.read(AuthenticatedContent.self)
                let next = try decoder.readBool() ? try EpochState(decodingFrom: &decoder, suite: suite) : nil
                pendingCommit = PendingCommit(message: message, content: content,
                                              staged: StagedCommit(next: next, changes: try decoder.read()))
            }
            resumptionPSKs = try decoder.readVector { inner in
                var entries: [(epoch: UInt64, secret: [UInt8])] = []
                while !inner.isAtEnd { entries.append((try inner.readUInt64(), try inner.readOpaque())) }
                return entries
            }
            pastEpochs = try decoder.readVector { inner in
                var epochs: [PastEpoch] = []
                while !inner.isAtEnd {
                    let context = try inner.read(GroupContext.self)
                    let senderDataSecret = try inner.readOpaque()
                    let secretTree = try SecretTree(decodingStateFrom: &inner, suite: suite)
                    let members = try inner.readVector(of: GroupMember.self)
                    epochs.append(PastEpoch(groupContext: context, senderDataSecret: senderDataSecret, secretTree: secretTree,
                                            roster: .restored(Dictionary(members.map { ($0.index.rawValue, $0) },
                                                                         uniquingKeysWith: { first, _ in first }))))
                }
                return epochs
            }
            try decoder.finish()
            guard try suite.signaturePublicKey(privateKey: signatureKeyPair.privateKey) == signatureKeyPair.publicKey,
                  ownLeafNode?.signatureKey == signatureKeyPair.publicKey || status != .active else {
                throw MLSGroupError.invalidSerializedState("signature key does not match the own leaf")
            }
        } catch let error as MLSGroupError {
            throw error
        } catch {
            throw .invalidSerializedState(String(describing: error))
        }
    }

    private static func peekSuite(_ decoder: inout MLSDecoder) throws -> any CipherSuite {
        _ = try decoder.read(ProtocolVersion.self)
        return try decoder.read(CipherSuiteID.self).suite()
    }
}

extension EpochState {
    func encode(to encoder: inout MLSEncoder) {
        encoder.write(groupContext)
        encoder.write(tree)
        encoder.write(privateTree.leafIndex)
        encoder.writeVector { inner in
            for node in privateTree.keyPairs.keys.sorted() {
                guard let pair = privateTree.keyPairs[node] else { continue }
                inner.write(node.rawValue)
                inner.writeOpaque(pair.privateKey)
                inner.writeOpaque(pair.publicKey)
            }
        }
        for secret in [keys.senderDataSecret, keys.exporterSecret, keys.externalSecret, keys.confirmationKey,
                       keys.membershipKey, keys.resumptionPSK, keys.epochAuthenticator, keys.initSecret] {
            encoder.writeOpaque(secret)
        }
        secretTree.encodeState(to: &encoder)
        encoder.writeOpaque(interimTranscriptHash)
        encoder.writeOpaque(confirmationTag)
    }

    init(decodingFrom decoder: inout MLSDecoder, suite: any CipherSuite) throws {
        let context = try decoder.read(GroupContext.self)
        guard context.cipherSuite == suite.id else { throw MLSGroupError.invalidSerializedState("mixed cipher suites") }
        let tree = try decoder.read(RatchetTree.self)
        let leaf = try decoder.read(LeafIndex.self)
        let pairs = try decoder.readVector { inner in
            var pairs: [(NodeIndex, HPKEKeyPair)] = []
            while !inner.isAtEnd {
                pairs.append((NodeIndex(try inner.readUInt32()),
                              HPKEKeyPair(privateKey: try inner.readOpaque(), publicKey: try inner.readOpaque())))
            }
            return pairs
        }
        guard let leafPair = pairs.first(where: { $0.0 == leaf.nodeIndex })?.1 else {
            throw MLSGroupError.invalidSerializedState("no leaf private key")
        }
        var privateTree = TreeKEMPrivateState(leafIndex: leaf, leafKeyPair: leafPair)
        for (node, pair) in pairs { privateTree.setKeyPair(pair, for: node) }
        guard privateTree.isConsistent(with: tree) else {
            throw MLSGroupError.invalidSerializedState("private keys do not match the tree")
        }
        let secrets = try (0..<8).map { _ in try decoder.readOpaque() }
        let keys = EpochKeyMaterial(senderDataSecret: secrets[0], exporterSecret: secrets[1], externalSecret: secrets[2],
                                    confirmationKey: secrets[3], membershipKey: secrets[4], resumptionPSK: secrets[5],
                                    epochAuthenticator: secrets[6], initSecret: secrets[7])
        let secretTree = try SecretTree(decodingStateFrom: &decoder, suite: suite)
        guard secretTree.leafCount == tree.leafCount else { throw MLSGroupError.invalidSerializedState("secret tree size") }
        let treeHashes = TreeHashCache(tree: tree, suite: suite)
        guard treeHashes.rootHash == context.treeHash else { throw MLSGroupError.invalidSerializedState("tree hash") }
        self.init(groupContext: context, treeHashes: treeHashes, privateTree: privateTree, keys: keys, secretTree: secretTree,
                  interimTranscriptHash: try decoder.readOpaque(), confirmationTag: try decoder.readOpaque())
    }
}
