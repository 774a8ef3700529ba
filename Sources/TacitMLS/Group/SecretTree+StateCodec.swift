/// The encoding of a secret tree's remaining secrets, for the group state codec. Dictionaries
/// are written in key order, so equal trees encode to equal bytes.
extension SecretTree {
    func encodeState(to encoder: inout MLSEncoder) {
        encoder.write(leafCount)
        encoder.write(configuration.maximumForwardDistance)
        encoder.write(UInt32(clamping: configuration.maximumSkippedKeys))
        encoder.writeVector { inner in
            for node in nodeSecrets.keys.sorted() {
                inner.write(node.rawValue)
                inner.writeOpaque(nodeSecrets[node] ?? [])
            }
        }
        for ratchets in [handshakeRatchets, applicationRatchets] {
            encoder.writeVector { inner in
                for leaf in ratchets.keys.sorted() {
                    inner.write(leaf)
                    ratchets[leaf]?.encodeState(to: &inner)
                }
            }
        }
    }

    init(decodingStateFrom decoder: inout MLSDecoder, suite: any CipherSuite) throws {
        let leafCount = try decoder.readUInt32()
        let configuration = SecretTreeConfiguration(maximumForwardDistance: try decoder.readUInt32(),
                                                    maximumSkippedKeys: Int(try decoder.readUInt32()))
        self.init(suite: suite, encryptionSecret: [], leafCount: leafCount, configuration: configuration)
        let shape = self.shape
        nodeSecrets = try decoder.readVector { inner in
            var secrets: [NodeIndex: [UInt8]] = [:]
            while !inner.isAtEnd {
                let node = NodeIndex(try inner.readUInt32())
                guard shape.contains(node) else { throw MLSCodingError.invalidValue("secret tree node \(node)") }
                secrets[node] = try inner.readOpaque()
            }
            return secrets
        }
        func readRatchets(_ decoder: inout MLSDecoder) throws -> [LeafIndex: HashRatchet] {
            try decoder.readVector { inner in
                var ratchets: [LeafIndex: HashRatchet] = [:]
                while !inner.isAtEnd {
                    let leaf = try inner.read(LeafIndex.self)
                    guard leaf.rawValue < leafCount else { throw MLSCodingError.invalidValue("secret tree leaf \(leaf)") }
                    ratchets[leaf] = try HashRatchet(decodingStateFrom: &inner, suite: suite, configuration: configuration)
                }
                return ratchets
            }
        }
        handshakeRatchets = try readRatchets(&decoder)
        applicationRatchets = try readRatchets(&decoder)
        guard Set(handshakeRatchets.keys) == Set(applicationRatchets.keys) else {
            throw MLSCodingError.invalidValue("secret tree ratchets of a leaf are incomplete")
        }
    }
}

extension HashRatchet {
    func encodeState(to encoder: inout MLSEncoder) {
        encoder.write(nextGeneration)
        encoder.writeOpaque(secret)
        encoder.write(oldestKept)
        encoder.writeVector { inner in
            for generation in skipped.keys.sorted() {
                guard let key = skipped[generation] else { continue }
                inner.write(generation)
                inner.writeOpaque(key.key)
                inner.writeOpaque(key.nonce)
            }
        }
    }

    init(decodingStateFrom decoder: inout MLSDecoder, suite: any CipherSuite, configuration: SecretTreeConfiguration) throws {
        let nextGeneration = try decoder.readUInt64()
        let secret = try decoder.readOpaque()
        self.init(suite: suite, secret: secret, configuration: configuration)
        self.nextGeneration = nextGeneration
        oldestKept = try decoder.readUInt64()
        guard nextGeneration <= UInt64(UInt32.max) + 1, oldestKept <= nextGeneration else {
            throw MLSCodingError.invalidValue("hash ratchet generations")
        }
        skipped = try decoder.readVector { inner in
            var keys: [UInt32: RatchetKey] = [:]
            while !inner.isAtEnd {
                let generation = try inner.readUInt32()
                keys[generation] = RatchetKey(generation: generation, key: try inner.readOpaque(), nonce: try inner.readOpaque())
            }
            return keys
        }
    }
}
