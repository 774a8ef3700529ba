import TacitMLS

/// secret-tree.json: sender data keys and the ratchet keys of every leaf (RFC 9420, Sections 6.3.2 and 9).
public enum SecretTreeVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public struct SenderData: Decodable, Sendable { public let sender_data_secret, ciphertext, key, nonce: VectorHex }
        public struct Generation: Decodable, Sendable {
            public let generation: UInt32
            public let handshake_key, handshake_nonce, application_key, application_nonce: VectorHex
        }
        public let cipher_suite: UInt16
        public let sender_data: SenderData
        public let encryption_secret: VectorHex
        public let leaves: [[Generation]]
    }

    public static let kind = MLSVectorKind.secretTree

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        let senderData = try step("sender data key") {
            try SenderDataKey.derive(suite: suite, senderDataSecret: entry.sender_data.sender_data_secret.bytes,
                                     ciphertext: entry.sender_data.ciphertext.bytes)
        }
        try expectEqual(senderData.key, entry.sender_data.key.bytes, "sender_data.key")
        try expectEqual(senderData.nonce, entry.sender_data.nonce.bytes, "sender_data.nonce")

        guard let leafCount = UInt32(exactly: entry.leaves.count), leafCount > 0 else {
            throw MLSVectorMismatch("leaves must hold between 1 and 2^32-1 leaves")
        }
        var tree = SecretTree(suite: suite, encryptionSecret: entry.encryption_secret.bytes, leafCount: leafCount)
        for (index, generations) in entry.leaves.enumerated() {
            let leaf = LeafIndex(UInt32(index))
            for expected in generations {
                let at = "leaf \(index) generation \(expected.generation)"
                let handshake = try step("handshake key of \(at)") {
                    try tree.key(for: leaf, type: .handshake, generation: expected.generation)
                }
                let application = try step("application key of \(at)") {
                    try tree.key(for: leaf, type: .application, generation: expected.generation)
                }
                try expectEqual(handshake.key, expected.handshake_key.bytes, "handshake_key of \(at)")
                try expectEqual(handshake.nonce, expected.handshake_nonce.bytes, "handshake_nonce of \(at)")
                try expectEqual(application.key, expected.application_key.bytes, "application_key of \(at)")
                try expectEqual(application.nonce, expected.application_nonce.bytes, "application_nonce of \(at)")
            }
        }
        // Leaves asked for in reverse order derive the same keys: derivation must not depend on order.
        var reversed = SecretTree(suite: suite, encryptionSecret: entry.encryption_secret.bytes, leafCount: leafCount)
        for (index, generations) in entry.leaves.enumerated().reversed() {
            guard let last = generations.last else { continue }
            let key = try step("application key of leaf \(index), leaves in reverse order") {
                try reversed.key(for: LeafIndex(UInt32(index)), type: .application, generation: last.generation)
            }
            try expectEqual(key.key, last.application_key.bytes, "application_key of leaf \(index), leaves in reverse order")
        }
    }
}
