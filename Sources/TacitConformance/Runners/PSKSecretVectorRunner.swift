import TacitMLS

/// psk_secret.json: the chain of external PSKs into psk_secret (RFC 9420, Section 8.4).
public enum PSKSecretVectorRunner: MLSVectorRunner {
    public struct Entry: Decodable, Sendable {
        public struct PSK: Decodable, Sendable { public let psk_id, psk, psk_nonce: VectorHex }
        public let cipher_suite: UInt16
        public let psks: [PSK]
        public let psk_secret: VectorHex
    }

    public static let kind = MLSVectorKind.pskSecret

    public static func check(_ entry: Entry, in context: MLSVectorContext) throws {
        let suite = try context.requireSuite()
        let psks = entry.psks.map {
            PreSharedKey(id: PreSharedKeyID(kind: .external(pskID: $0.psk_id.bytes), nonce: $0.psk_nonce.bytes), secret: $0.psk.bytes)
        }
        try expectEqual(try step("psk_secret") { try suite.pskSecret(psks) }, entry.psk_secret.bytes, "psk_secret")
    }
}
